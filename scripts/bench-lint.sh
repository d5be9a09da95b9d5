#!/usr/bin/env bash
# Lint benchmark: gen_mesh.py --services N, then (1) raw libyaml parse vs
# meshc lint in one process (MeshBench), (2) meshc lint as a process with
# its peak memory, (3) pre-commit latency on one small file.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-mesh.sh
bench_mesh "${1:-10000}" "${2:-}"
echo "== in one process: raw libyaml parse (1 thread) vs meshc lint"
.build/release/MeshBench lint "$dir" --repeat 3
echo "== meshc lint as a process"
if [ -x /usr/bin/time ]; then /usr/bin/time -f "wall %e s, peak RSS %M KiB" .build/release/meshc lint "$dir" >/dev/null 2>/tmp/meshc-bench-time.txt || true
tail -1 /tmp/meshc-bench-time.txt; else echo "(install the time package for peak RSS of the process)"; fi
echo "== pre-commit latency: meshc lint on one small file (20 runs)"
small=$(find "$dir" -name '*.yaml' | sort | sed -n 1p)
best=999999
for _ in $(seq 20); do
  start=$(date +%s%N)
  .build/release/meshc lint "$small" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  [ "$ms" -lt "$best" ] && best=$ms
done
echo "best of 20: ${best} ms (goal < 20 ms) for $small"
