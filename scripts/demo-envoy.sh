#!/usr/bin/env bash
# S1–S4 of SCENARIOS.md through real Envoy: `meshc build` compiles each
# sample step (the steps declare their proxies: the ingress gateway listens
# on 127.0.0.1:18080, admin 19000; S4's frontend sidecar routes by
# authority on 127.0.0.1:18086, admin 19001), Envoy (from .venv) serves it,
# `meshc echo` backends answer on the ports the samples' WorkloadEntries
# name. Prints each request and answer; sourced by demo.sh, which counts the steps.
set -uo pipefail

envoy=.venv/bin/envoy
work=$(mktemp -d /tmp/meshc-demo.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$meshc" echo --text foo --listen 127.0.0.1:18081 2>/dev/null & pids+=($!)
"$meshc" echo --text bar --listen 127.0.0.1:18082 2>/dev/null & pids+=($!)
"$meshc" echo --text foo --listen 127.0.0.1:18083 2>/dev/null & pids+=($!) # http-echo v1
"$meshc" echo --text bar --listen 127.0.0.1:18084 2>/dev/null & pids+=($!) # http-echo v2

# serve STEP PROXY ADMIN: build the step and start PROXY's Envoy; wait for its admin /ready.
serve() {
  rm -rf "$work/out"
  if ! "$meshc" build --out "$work/out" "samples/$1" >"$work/build.log" 2>&1; then
    cat "$work/build.log"; return 1
  fi
  "$envoy" -c "$work/out/$2/bootstrap.json" --disable-hot-restart --log-level error \
    >"$work/envoy.log" 2>&1 & envoy_pid=$!
  for _ in $(seq 100); do
    [ "$(curl -s "http://127.0.0.1:$3/ready" 2>/dev/null)" = LIVE ] && return 0
    sleep 0.05
  done
  echo "envoy did not become ready:"; tail -5 "$work/envoy.log"; return 1
}
stop_envoy() { kill "$envoy_pid" 2>/dev/null; wait "$envoy_pid" 2>/dev/null; }

# expect PATH BODY [HOST]: one request through the gateway (or, with HOST, the frontend's sidecar), printed.
expect() {
  if [ $# -ge 3 ]; then
    got=$(curl -s --max-time 2 -H "Host: $3" "http://127.0.0.1:18086$1")
    echo "   GET http://$3$1 (through frontend-sidecar) -> $got"
  else
    got=$(curl -s --max-time 2 "http://127.0.0.1:18080$1")
    echo "   GET $1 -> $got"
  fi
  [ "$got" = "$2" ]
}

# tally N PATH [HOST]: N requests, prints and sets $foo to the number of foo answers.
tally() {
  foo=0
  for _ in $(seq "$1"); do
    if [ $# -ge 3 ]; then got=$(curl -s --max-time 2 -H "Host: $3" "http://127.0.0.1:18086$2"); else got=$(curl -s --max-time 2 "http://127.0.0.1:18080$2"); fi
    [ "$got" = foo ] && foo=$((foo + 1))
  done
  echo "   $1 x GET $2 -> foo $foo, bar $(($1 - foo))"
}

for step in s1-ingress s2-path-routing s3-weighted; do
  echo "== meshc build samples/$step; envoy ingressgateway; requests"
  if ! serve "$step" ingressgateway 19000; then step "envoy: $step" fail "(build or start failed)"; continue; fi
  ok=ok
  case $step in
    s1-ingress) expect / foo || ok=fail ;;
    s2-path-routing) expect / foo || ok=fail; expect /bar bar || ok=fail; expect /hoge foo || ok=fail ;;
    s3-weighted) tally 200 / ; [ "$foo" -ge 8 ] && [ "$foo" -le 36 ] || ok=fail ;;
  esac
  stop_envoy
  step "envoy: $step" "$ok" "(served by Envoy from meshc build output)"
done

host=http-echo.default.svc.cluster.local
for step in step1-no-rules step2-subset-v1 step3-foo-v1-rest-v2; do
  echo "== meshc build samples/s4-sidecars/$step; envoy frontend-sidecar; requests from the frontend"
  if ! serve "s4-sidecars/$step" frontend-sidecar 19001; then step "envoy: s4-sidecars/$step" fail "(build or start failed)"; continue; fi
  ok=ok
  case $step in
    step1-no-rules) tally 100 / "$host"; [ "$foo" -ge 25 ] && [ "$foo" -le 75 ] || ok=fail ;;
    step2-subset-v1) tally 20 / "$host"; [ "$foo" = 20 ] || ok=fail; expect / foo http-echo || ok=fail ;;
    step3-foo-v1-rest-v2) expect / bar "$host" || ok=fail; expect /foo foo "$host" || ok=fail; expect /hoge bar "$host" || ok=fail ;;
  esac
  stop_envoy
  step "envoy: s4-sidecars/$step" "$ok" "(the frontend's sidecar routes by authority)"
done
