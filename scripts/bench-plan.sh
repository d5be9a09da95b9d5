#!/usr/bin/env bash
# Plan benchmark (issue 4: "plan time for a one-file change in the 10k-service
# mesh, goal under 100 ms with the blob cache warm"): gen_mesh.py --services N
# committed to a git repository, then a second commit changing one route
# timeout in one file; MeshBench plan warms the parse cache with HEAD~1 and
# times lint + compile + emit + plan of HEAD.
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-10000}"
repo="${2:-/tmp/meshc-bench-plan-$services}"
bin="${MESHBENCH:-.build/release/MeshBench}"
bash scripts/mesh-repo.sh "$services" "$repo" timeout
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" plan "$repo" --repeat "${REPEAT:-5}"
