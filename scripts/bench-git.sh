#!/usr/bin/env bash
# Source-stage benchmark: gen_mesh.py --services N committed to a git
# repository, then a second commit changing one file; MeshBench git times
# reading the commits and linting them through the parse cache.
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-10000}"
repo="${2:-/tmp/meshc-bench-git-$services}"
bin="${MESHBENCH:-.build/release/MeshBench}"
bash scripts/mesh-repo.sh "$services" "$repo" comment
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
"$bin" git "$repo" --repeat 3
