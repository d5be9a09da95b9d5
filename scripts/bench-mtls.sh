#!/usr/bin/env bash
# One hop's added latency, mTLS vs plain text (issue 10): `meshc echo` as the
# backend, reached (a) directly, (b) through a hand-written minimal Envoy
# (Envoy without meshc), (c) through two meshc-compiled sidecars in plain
# text, (d) the same under STRICT + ISTIO_MUTUAL with certificates from the
# mesh CA. A closed-loop keep-alive client (scripts/bench-mtls.py) times each
# request; REQUESTS (5000) per case after WARMUP (500).
set -euo pipefail
cd "$(dirname "$0")/.."
meshc="${MESHC:-}"
if [ -z "$meshc" ]; then
  if [ -x .build/release/meshc ]; then meshc=.build/release/meshc; else meshc=.build/debug/meshc; fi
fi
envoy="${MESHC_ENVOY:-$PWD/.venv/bin/envoy}"
[ -x "$meshc" ] || { echo "bench-mtls: no meshc at $meshc (swift build first)" >&2; exit 2; }
[ -x "$envoy" ] || { echo "bench-mtls: no Envoy at $envoy (set MESHC_ENVOY or make setup)" >&2; exit 2; }
work="${WORK:-$(mktemp -d /tmp/meshc-bench-mtls.XXXXXX)}"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$envoy" --version 2>/dev/null | grep -o 'version: [^ ]*' | head -1)"
python3 scripts/bench-mtls.py "$(realpath "$meshc")" "$envoy" "$work" "${REQUESTS:-5000}" "${WARMUP:-500}"
