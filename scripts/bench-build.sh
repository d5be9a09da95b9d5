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
echo "== meshc build as a process (writes every proxy's files)"
out=$(mktemp -d /tmp/meshc-bench-build.XXXXXX)
if [ -x /usr/bin/time ]; then
  line=$(/usr/bin/time -f "wall %e s, peak RSS %M KiB (goal < 512 MiB)" .build/release/meshc build --out "$out" "$dir" 2>&1 | grep -v '^built ' | tail -1)
  echo "$line"
  wall=$(echo "$line" | awk '{ print $2 }')
  awk -v a="$wall" -v b="$raw" 'BEGIN { if (b > 0) printf "ratio process wall / raw parse: %.2f (writes included; goal <= 2.00)\n", a / b }'
else
  .build/release/meshc build --out "$out" "$dir" 2>&1 | tail -2
fi
du -sh "$out" | awk '{print "output: " $1}'
rm -rf "$out"
