#!/usr/bin/env bash
# Envoy memory and the Prometheus page with meshc's stats configuration vs
# Envoy's default, on the mesh proxy of gen_mesh.py --services SERVICES (1000)
# (issue 12; scripts/bench-stats.py).
set -euo pipefail
cd "$(dirname "$0")/.."
meshc="${MESHC:-}"
if [ -z "$meshc" ]; then
  if [ -x .build/release/meshc ]; then meshc=.build/release/meshc; else meshc=.build/debug/meshc; fi
fi
envoy="${MESHC_ENVOY:-$PWD/.venv/bin/envoy}"
[ -x "$meshc" ] || { echo "bench-stats: no meshc at $meshc (swift build first)" >&2; exit 2; }
[ -x "$envoy" ] || { echo "bench-stats: no Envoy at $envoy (set MESHC_ENVOY or make setup)" >&2; exit 2; }
work="${WORK:-$(mktemp -d /tmp/meshc-bench-stats.XXXXXX)}"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$envoy" --version 2>/dev/null | grep -o 'version: [^ ]*' | head -1)"
python3 scripts/bench-stats.py "$(realpath "$meshc")" "$envoy" "$work" "${SERVICES:-1000}" "${SCRAPES:-5}"
