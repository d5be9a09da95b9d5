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
gen=../shared/bench/gen_mesh.py
[ -f "$gen" ] || gen=/work/shared/bench/gen_mesh.py
if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"
  python3 "$gen" --services "$services" --out "$repo" >/dev/null
  git_() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C "$repo" -c user.name=bench -c user.email=bench@example.com "$@"; }
  git_ init -q -b main
  git_ add -A
  git_ commit -q -m "generated mesh"
  first=$(cd "$repo" && grep -rl --include='*.yaml' 'timeout: 2s' . | sort | sed -n 1p)
  sed -i '0,/timeout: 2s/s//timeout: 3s/' "$repo/$first"
  git_ commit -q -am "one route timeout 2s -> 3s"
fi
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" plan "$repo" --repeat "${REPEAT:-5}"
