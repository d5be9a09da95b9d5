#!/usr/bin/env bash
# Build benchmark: gen_mesh.py --services N, then in one process (MeshBench)
# a raw single-threaded libyaml parse of the same files beside what
# `meshc build` does (lint, compile pass by pass, emit), with peak memory;
# then `meshc build` as a process writing its output.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-mesh.sh
bench_mesh "${1:-10000}" "${2:-}"
echo "== in one process: raw libyaml parse (1 thread) vs meshc build (every proxy's files written to a temporary folder)"
inproc=$(.build/release/MeshBench build "$dir" --repeat 3)
echo "$inproc"
raw=$(echo "$inproc" | awk '/^best raw libyaml parse/ { print $(NF - 1) }')
echo "== meshc build as a process (writes every proxy's files into a fresh folder), best of 3"
best=""
for _ in 1 2 3; do
  out=$(mktemp -d /tmp/meshc-bench-build.XXXXXX)
  timed .build/release/meshc build --out "$out" "$dir"
  keep_best
  size=$(du -sh "$out" | awk '{print $1}')
  rm -rf "$out"
done
echo "wall ${best} s, peak RSS ${best_rss} KiB (goal < 512 MiB), output ${size}"
awk -v a="$best" -v b="$raw" 'BEGIN { if (b > 0) printf "ratio process wall / raw parse: %.2f (writes included; goal <= 2.00)\n", a / b }'
