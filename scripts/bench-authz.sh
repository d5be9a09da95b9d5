#!/usr/bin/env bash
# One hop under AuthorizationPolicy (issue 11): a meshc-compiled gateway with
# 0, 10 and 100 policy rules in front of `meshc echo`, beside the echo direct
# and a hand-written minimal Envoy, in one run (scripts/bench-authz.py).
# REQUESTS (5000) per case after WARMUP (500).
set -euo pipefail
cd "$(dirname "$0")/.."
meshc="${MESHC:-}"
if [ -z "$meshc" ]; then
  if [ -x .build/release/meshc ]; then meshc=.build/release/meshc; else meshc=.build/debug/meshc; fi
fi
envoy="${MESHC_ENVOY:-$PWD/.venv/bin/envoy}"
[ -x "$meshc" ] || { echo "bench-authz: no meshc at $meshc (swift build first)" >&2; exit 2; }
[ -x "$envoy" ] || { echo "bench-authz: no Envoy at $envoy (set MESHC_ENVOY or make setup)" >&2; exit 2; }
work="${WORK:-$(mktemp -d /tmp/meshc-bench-authz.XXXXXX)}"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$envoy" --version 2>/dev/null | grep -o 'version: [^ ]*' | head -1)"
python3 scripts/bench-authz.py "$(realpath "$meshc")" "$envoy" "$work" "${REQUESTS:-5000}" "${WARMUP:-500}"
