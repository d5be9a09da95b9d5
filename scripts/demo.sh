#!/usr/bin/env bash
# The demo of SCENARIOS.md on the bundled samples, as far as meshc is built:
# every scenario step is linted; clean steps must pass without a word, and
# the S5 step must report exactly what samples/s5-lint-errors/expected.txt says;
# then S1–S4, S6 and S8 are committed step by step to local git repositories that
# meshc reconcile applies to real Envoys through their meshc agents.
set -uo pipefail
cd "$(dirname "$0")/.."
meshc=${MESHC:-.build/release/meshc}
passed=0
total=0

step() { # NAME OK? DETAIL
  total=$((total + 1))
  if [ "$2" = ok ]; then passed=$((passed + 1)); echo "ok    $1 $3"; else echo "FAIL  $1 $3"; fi
}

for dir in $(find samples -type f -name '*.yaml' -printf '%h\n' | sort -u); do
  echo "== meshc lint $dir"
  if [ -f "$dir/expected.txt" ]; then
    out=$("$meshc" lint --fail-on info --format json "$dir")
    status=$?
    got=$(printf '%s' "$out" | python3 -c '
import json, os, sys
for d in json.load(sys.stdin)["diagnostics"]:
    print("%s:%d %s" % (os.path.basename(d["file"]), d["line"], d["code"]))' | sort)
    want=$(grep -v '^#' "$dir/expected.txt" | sort)
    "$meshc" lint --fail-on info "$dir" | sed 's/^/   /'
    if [ "$status" = 1 ] && [ "$got" = "$want" ]; then
      step "$dir" ok "(exit 1 with --fail-on info; findings as expected.txt says)"
    else
      step "$dir" fail "(exit $status; got: $(echo $got); want: $(echo $want))"
    fi
  else
    out=$("$meshc" lint --fail-on info "$dir" 2>&1)
    status=$?
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/   /'
    if [ "$status" = 0 ] && [ -z "$out" ]; then step "$dir" ok "(clean)"; else step "$dir" fail "(exit $status)"; fi
  fi
done
# S1–S4, S6 and S8 by git commits: agents, Envoys, a mesh CA and meshc reconcile.
source scripts/demo-gitops.sh
echo "demo: $passed/$total steps as expected"
[ "$passed" = "$total" ]
