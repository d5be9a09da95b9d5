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
echo "== meshc lint as a process, beside a C program pulling every libyaml event of the same files (scripts/yaml_events.c)"
reference=$(mktemp /tmp/meshc-yaml-events.XXXXXX)
cc -O2 -o "$reference" scripts/yaml_events.c -lyaml
c_line=$(find "$dir" -name '*.yaml' | "$reference" 3)
echo "C libyaml, every event, 1 thread, best of 3: $c_line"
# meshc links mimalloc (Package.swift); the reference as built runs on glibc's
# malloc. The same reference on mimalloc, for the ratio at equal allocators:
mimalloc=/usr/lib/x86_64-linux-gnu/libmimalloc.so.2
c_mi_line=""
if [ -e "$mimalloc" ]; then
  c_mi_line=$(find "$dir" -name '*.yaml' | LD_PRELOAD=$mimalloc "$reference" 3)
  echo "C libyaml on mimalloc (LD_PRELOAD), best of 3: $c_mi_line"
fi
rm -f "$reference"
best=""
for _ in 1 2 3; do
  timed .build/release/meshc lint "$dir"
  keep_best
done
c_seconds=${c_line%% s,*}
echo "meshc lint as a process, best of 3: ${best} s, peak RSS ${best_rss} KiB (goal < 256 MiB)"
awk -v a="$best" -v b="$c_seconds" 'BEGIN { printf "ratio meshc lint / C libyaml events: %.2f (goal <= 1.00)\n", a / b }'
if [ -n "$c_mi_line" ]; then
  awk -v a="$best" -v b="${c_mi_line%% s,*}" 'BEGIN { printf "ratio meshc lint / C libyaml events on mimalloc: %.2f (same allocator on both sides)\n", a / b }'
fi
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
