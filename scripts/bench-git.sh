#!/usr/bin/env bash
# Source-stage benchmark: gen_mesh.py --services N committed to a git
# repository, then a second commit changing one file; MeshBench git times
# reading the commits and linting them through the parse cache.
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-10000}"
repo="${2:-/tmp/meshc-bench-git-$services}"
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
  first=$(cd "$repo" && find . -name '*.yaml' -not -path './.git/*' | sort | sed -n 1p)
  printf '# changed\n' >> "$repo/$first"
  git_ commit -q -am "change one file"
fi
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
"$bin" git "$repo" --repeat 3
