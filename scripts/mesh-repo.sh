#!/usr/bin/env bash
# Makes the git repository the Source-stage benchmarks read, once:
# gen_mesh.py --services N committed, then a second commit changing one file.
#   mesh-repo.sh SERVICES REPO comment   appends a comment (same resources: bench-git)
#   mesh-repo.sh SERVICES REPO timeout   one route's timeout 2s -> 3s (a real change: bench-plan)
set -euo pipefail
cd "$(dirname "$0")/.."
services="$1" repo="$2" change="$3"
[ -d "$repo/.git" ] && exit 0
gen=../shared/bench/gen_mesh.py
[ -f "$gen" ] || gen=/work/shared/bench/gen_mesh.py
rm -rf "$repo"
python3 "$gen" --services "$services" --out "$repo" >/dev/null
git_() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C "$repo" -c user.name=bench -c user.email=bench@example.com "$@"; }
git_ init -q -b main
git_ add -A
git_ commit -q -m "generated mesh"
case "$change" in
  comment)
    first=$(cd "$repo" && find . -name '*.yaml' -not -path './.git/*' | sort | sed -n 1p)
    printf '# changed\n' >> "$repo/$first"
    git_ commit -q -am "change one file" ;;
  timeout)
    first=$(cd "$repo" && grep -rl --include='*.yaml' 'timeout: 2s' . | sort | sed -n 1p)
    sed -i '0,/timeout: 2s/s//timeout: 3s/' "$repo/$first"
    git_ commit -q -am "one route timeout 2s -> 3s" ;;
  *) echo "mesh-repo.sh: change must be comment or timeout" >&2; exit 2 ;;
esac
