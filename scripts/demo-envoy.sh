#!/usr/bin/env bash
# S1–S3 of SCENARIOS.md through real Envoy: `meshc build` compiles each
# sample step, Envoy (from .venv) serves it, `meshc echo` backends answer on
# the ports the samples' WorkloadEntries name (foo 18081, bar 18082).
# Prints each request and answer; sourced by demo.sh, which counts the steps.
set -uo pipefail

envoy=.venv/bin/envoy
work=$(mktemp -d /tmp/meshc-demo.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$meshc" echo --text foo --listen 127.0.0.1:18081 2>/dev/null & pids+=($!)
"$meshc" echo --text bar --listen 127.0.0.1:18082 2>/dev/null & pids+=($!)

# serve STEP: build the step and start Envoy on 127.0.0.1:18080 (admin 19000).
serve() {
  rm -rf "$work/out"
  if ! "$meshc" build --out "$work/out" --port-offset 18000 --admin-port 19000 --listen-address 127.0.0.1 "samples/$1" >"$work/build.log" 2>&1; then
    cat "$work/build.log"; return 1
  fi
  "$envoy" -c "$work/out/gateway-istio-ingressgateway/bootstrap.json" --disable-hot-restart --log-level error \
    >"$work/envoy.log" 2>&1 & envoy_pid=$!
  for _ in $(seq 100); do
    [ "$(curl -s http://127.0.0.1:19000/ready 2>/dev/null)" = LIVE ] && return 0
    sleep 0.05
  done
  echo "envoy did not become ready:"; tail -5 "$work/envoy.log"; return 1
}
stop_envoy() { kill "$envoy_pid" 2>/dev/null; wait "$envoy_pid" 2>/dev/null; }

# expect PATH BODY: one request through the gateway, printed.
expect() {
  got=$(curl -s --max-time 2 "http://127.0.0.1:18080$1")
  echo "   GET $1 -> $got"
  [ "$got" = "$2" ]
}

for step in s1-ingress s2-path-routing s3-weighted; do
  echo "== meshc build samples/$step; envoy; requests"
  if ! serve "$step"; then step "envoy: $step" fail "(build or start failed)"; continue; fi
  ok=ok
  case $step in
    s1-ingress) expect / foo || ok=fail ;;
    s2-path-routing) expect / foo || ok=fail; expect /bar bar || ok=fail; expect /hoge foo || ok=fail ;;
    s3-weighted)
      foo=0
      for _ in $(seq 200); do [ "$(curl -s --max-time 2 http://127.0.0.1:18080/)" = foo ] && foo=$((foo + 1)); done
      echo "   200 x GET / -> foo $foo, bar $((200 - foo)) (weights 10/90)"
      [ "$foo" -ge 8 ] && [ "$foo" -le 36 ] || ok=fail ;;
  esac
  stop_envoy
  step "envoy: $step" "$ok" "(served by Envoy from meshc build output)"
done
