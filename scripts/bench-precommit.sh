#!/usr/bin/env bash
# One pre-commit hook run on one file: `pre-commit run meshc-lint --files
# mesh/virtualservice.yaml` in a scratch repository holding samples/s1-ingress,
# the hook declared `repo: local` (as .pre-commit-hooks.yaml declares it)
# running the meshc given. Prints each run's wall time, then the median, min
# and max, beside `meshc lint --context . FILE` run directly (what pre-commit adds).
#
#   scripts/bench-precommit.sh [RUNS]        # RUNS=11 by default
#   MESHC=path/to/meshc scripts/bench-precommit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-${RUNS:-11}}
meshc=${MESHC:-$root/.build/release/meshc}
pre_commit=$root/.venv/bin/pre-commit
[ -x "$meshc" ] || { echo "no meshc at $meshc: run swift build -c release (or set MESHC)" >&2; exit 2; }
[ -x "$pre_commit" ] || { echo "no pre-commit at $pre_commit: run scripts/setup.sh" >&2; exit 2; }
meshc=$(cd "$(dirname "$meshc")" && pwd)/$(basename "$meshc")

work=$(mktemp -d /tmp/meshc-bench-precommit.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 PRE_COMMIT_HOME=$work/pre-commit-home PRE_COMMIT_COLOR=never
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
repo=$work/repo
mkdir -p "$repo"
cd "$repo"
git init -q -b main
cp -r "$root/samples/s1-ingress" mesh
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: local
    hooks:
      - id: meshc-lint
        name: meshc lint
        entry: $meshc lint --context .
        language: system
        files: \.(ya?ml|json)$
        pass_filenames: true
EOF
git add -A
git commit -q -m samples
file=mesh/virtualservice.yaml

# Times `$@` RUNS times after one warm-up run; prints the runs and "median min max" in ms.
measure() {
    local label=$1; shift
    "$@" > "$work/out" 2>&1 || { cat "$work/out" >&2; echo "$label failed" >&2; exit 1; }
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" > /dev/null 2>&1
        end=$(date +%s%N)
        times+=("$(( (end - start) / 1000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
        { t[NR] = $1 / 1000 }
        END {
            median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%-52s median %7.1f ms   min %7.1f ms   max %7.1f ms   (%d runs)\n", label, median, t[1], t[NR], NR
        }'
}

echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1 /proc/loadavg); meshc: $meshc"
measure "pre-commit run meshc-lint --files $file" "$pre_commit" run meshc-lint --files "$file"
measure "meshc lint --context . $file" "$meshc" lint --context . "$file"
measure "pre-commit --version (Python start only)" "$pre_commit" --version
