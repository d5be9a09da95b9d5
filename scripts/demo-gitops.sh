#!/usr/bin/env bash
# SCENARIOS S1–S4, S6 and S8 as GitOps: a local git repository made from
# samples/, `meshc echo` backends, an Envoy with a `meshc agent` per declared
# proxy (ingressgateway: listener 127.0.0.1:18080, admin 19000, agent 19100;
# frontend-sidecar: outbound 127.0.0.1:18086, admin 19001, agent 19101) and
# `meshc reconcile` on the repository (127.0.0.1:19200). Each step commits
# the step's manifests, pokes the reconciler's webhook, waits until the
# proxies serve it, and prints each request and answer. S8 (mesh mTLS) has a
# repository, a mesh CA and a second `meshc reconcile --ca-dir` of its own
# (127.0.0.1:19201): its sidecars' agents enroll with one-time tokens, get
# their certificates from it and serve STRICT, then PERMISSIVE, mTLS
# (ports as samples/s8-mtls says). Sourced by demo.sh,
# which counts the steps.
set -uo pipefail

work=$(mktemp -d /tmp/meshc-gitops.XXXXXX)
# Run as root, the agents start Envoy as nobody: it must get through to the state folders (not list them).
chmod 711 "$work"
repo="$work/repo"
token="$work/token"
webhook_secret="$work/webhook-secret" # POST /hooks/git takes this, never the agents' token
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  # MESHC_DEMO_KEEP=1 keeps the logs, agent state folders and repositories for a look afterwards.
  if [ -n "${MESHC_DEMO_KEEP:-}" ]; then echo "demo: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$token")
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$webhook_secret")
git init -q -b main "$repo"
git -C "$repo" config user.email demo@meshc.invalid
git -C "$repo" config user.name "meshc demo"

"$meshc" echo --text foo --listen 127.0.0.1:18081 2>/dev/null & pids+=($!)
"$meshc" echo --text bar --listen 127.0.0.1:18082 2>/dev/null & pids+=($!)
# http-echo v1 also answers the XFCC header its sidecar sets (S8: who called over mesh mTLS).
"$meshc" echo --text foo --listen 127.0.0.1:18083 --echo-header x-forwarded-client-cert 2>/dev/null & pids+=($!)
"$meshc" echo --text bar --listen 127.0.0.1:18084 2>/dev/null & pids+=($!) # http-echo v2

# agent NAME ADMIN AGENT: a meshc agent (and its Envoy) for proxy NAME; the
# agents of this host share envoy --mode validate verdicts.
# Each Envoy serves /stats/prometheus on 127.0.0.1:<agent port + 90> (Istio's 15090) for the telemetry step.
agent() {
  "$meshc" agent --proxy "$1" --state-dir "$work/agents/$1" --admin-port "$2" --token-file "$token" \
    --listen "127.0.0.1:$3" --validation-cache "$work/verdicts" --stats-listen "127.0.0.1:$(($3 + 90))" \
    --stats-tag source_namespace="$4" >"$work/agent-$1.log" 2>&1 & pids+=($!)
}
agent ingressgateway 19000 19100 istio-system
agent frontend-sidecar 19001 19101 default

# commit MESSAGE GATEWAY_STEP [SIDECAR_STEP]: the repository holds exactly these sample folders.
commit() {
  rm -rf "$repo/gateway" "$repo/sidecars"
  cp -r "samples/$2" "$repo/gateway"
  [ $# -ge 3 ] && cp -r "samples/$3" "$repo/sidecars"
  git -C "$repo" add -A && git -C "$repo" commit -qm "$1"
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $(cat "$webhook_secret")" http://127.0.0.1:19200/hooks/git
}

commit "S1: ingress gateway to http-echo-foo" s1-ingress
"$meshc" reconcile --repo "$repo" --ref main --interval 2s --listen 127.0.0.1:19200 --token-file "$token" \
  --webhook-secret-file "$webhook_secret" \
  >"$work/reconcile.log" 2>&1 & pids+=($!)

# get PATH [HOST]: one request through the gateway (or, with HOST, the frontend's sidecar).
get() {
  if [ $# -ge 2 ]; then curl -s --max-time 2 -H "Host: $2" "http://127.0.0.1:18086$1"
  else curl -s --max-time 2 "http://127.0.0.1:18080$1"; fi
}
# until_served PATH BODY [HOST]: wait (up to 10 s) until the request answers BODY; prints it.
until_served() {
  local start=$(date +%s%N) got=""
  for _ in $(seq 200); do
    got=$(get "$1" ${3:+"$3"}); [ "$got" = "$2" ] && break
    sleep 0.05
  done
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "   GET ${3:+http://$3}$1 -> $got (served ${ms} ms after the webhook)"
  [ "$got" = "$2" ]
}
expect() { # PATH BODY [HOST]
  got=$(get "$1" ${3:+"$3"})
  echo "   GET ${3:+http://$3}$1 -> $got"
  [ "$got" = "$2" ]
}
tally() { # N PATH [HOST]: sets $foo
  foo=0
  for _ in $(seq "$1"); do [ "$(get "$2" ${3:+"$3"})" = foo ] && foo=$((foo + 1)); done
  echo "   $1 x GET ${3:+http://$3}$2 -> foo $foo, bar $(($1 - foo))"
}

echo "== git commit S1; meshc reconcile applies it"
ok=ok; until_served / foo || ok=fail
step "gitops: S1 ingress" "$ok" ""

echo "== git commit S2 (path routing)"
commit "S2: /bar to http-echo-bar" s2-path-routing
ok=ok; until_served /bar bar || ok=fail; expect / foo || ok=fail; expect /hoge foo || ok=fail
step "gitops: S2 path routing" "$ok" ""

echo "== git commit S3 (weights 10/90)"
commit "S3: foo 10, bar 90" s3-weighted
sleep 1; tally 200 /; ok=ok; [ "$foo" -ge 8 ] && [ "$foo" -le 36 ] || ok=fail
step "gitops: S3 weighted split" "$ok" ""

host=http-echo.default.svc.cluster.local
echo "== git commit S4 step 1 (frontend sidecar, no rules)"
commit "S4.1: frontend sidecar" s3-weighted s4-sidecars/step1-no-rules
ok=ok; until_served / foo "$host" >/dev/null || true; tally 100 / "$host"; [ "$foo" -ge 25 ] && [ "$foo" -le 75 ] || ok=fail
step "gitops: S4.1 both versions" "$ok" ""
echo "== git commit S4 step 2 (subset v1)"
commit "S4.2: all to v1" s3-weighted s4-sidecars/step2-subset-v1
ok=ok; sleep 1; tally 20 / "$host"; [ "$foo" = 20 ] || ok=fail
step "gitops: S4.2 only foo" "$ok" ""
echo "== git commit S4 step 3 (/foo to v1, the rest to v2)"
commit "S4.3: /foo to v1, rest to v2" s3-weighted s4-sidecars/step3-foo-v1-rest-v2
ok=ok; until_served / bar "$host" || ok=fail; expect /foo foo "$host" || ok=fail; expect /hoge bar "$host" || ok=fail
step "gitops: S4.3 by path" "$ok" ""

echo "== S6 canary by commits while a load loop runs on the gateway"
commit "S6: 100/0" s6-canary/w100-0
until_served / foo >/dev/null || true
load="$work/load"
( while [ ! -f "$work/stop" ]; do curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 http://127.0.0.1:18080/; done >"$load" ) & loader=$!
ok=ok
for w in "w90-10 75 100" "w50-50 30 70" "w0-100 0 0"; do
  set -- $w
  commit "S6: $1" "s6-canary/$1"
  until_served "/" "$([ "$3" = 0 ] && echo bar || echo foo)" >/dev/null || true
  sleep 0.5
  tally 100 /
  { [ "$foo" -ge "$2" ] && [ "$foo" -le "$3" ]; } || { ok=fail; echo "   (expected foo between $2 and $3 for $1)"; }
done
touch "$work/stop"; wait "$loader"
requests=$(wc -l <"$load"); bad=$(grep -vc '^200$' "$load")
echo "   load loop: $requests requests during the shifts, $bad not 200"
[ "$bad" = 0 ] && [ "$requests" -gt 0 ] || ok=fail
step "gitops: S6 canary, no failed request" "$ok" ""
curl -s -H "Authorization: Bearer $(cat "$token")" http://127.0.0.1:19200/status | head -c 600; echo

echo "== S8 mesh mTLS: a CA, enrolled sidecars, meshc reconcile --ca-dir"
ca="$work/ca"
repo8="$work/repo-s8"
"$meshc" ca init --dir "$ca" >"$work/ca.log" 2>&1
for name in frontend-sidecar:19002:19102 http-echo-v1-sidecar:19003:19103; do
  IFS=: read -r proxy admin port <<<"$name"
  (umask 077; "$meshc" ca enroll --dir "$ca" --proxy "$proxy" >"$work/enroll-$proxy" 2>>"$work/ca.log")
  "$meshc" agent --proxy "$proxy" --state-dir "$work/agents-s8/$proxy" --admin-port "$admin" --token-file "$token" \
    --listen "127.0.0.1:$port" --validation-cache "$work/verdicts" --enroll-token-file "$work/enroll-$proxy" \
    >"$work/agent-s8-$proxy.log" 2>&1 & pids+=($!)
done
git init -q -b main "$repo8"
git -C "$repo8" config user.email demo@meshc.invalid
git -C "$repo8" config user.name "meshc demo"
# commit8 MESSAGE MODE [SAMPLE [EXTRA...]]: SAMPLE (default samples/s8-mtls) with the mesh-wide PeerAuthentication
# in MODE, plus the files of the EXTRA sample folders.
commit8() {
  rm -rf "$repo8/s8" && cp -r "${3:-samples/s8-mtls}" "$repo8/s8"
  for extra in "${@:4}"; do cp "$extra"/*.yaml "$repo8/s8/"; done
  sed -i "0,/mode: STRICT/s//mode: $2/" "$repo8/s8/peerauthentication.yaml"
  git -C "$repo8" add -A && git -C "$repo8" commit -qm "$1"
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $(cat "$webhook_secret")" http://127.0.0.1:19201/hooks/git
}
commit8 "S8: mesh-wide STRICT" STRICT
"$meshc" reconcile --repo "$repo8" --ref main --interval 2s --listen 127.0.0.1:19201 --token-file "$token" \
  --webhook-secret-file "$webhook_secret" --ca-dir "$ca" \
  >"$work/reconcile-s8.log" 2>&1 & pids+=($!)
# mesh8: GET / from the frontend through its sidecar (mTLS to http-echo's sidecar); plain8: GET / straight to http-echo's sidecar.
mesh8() { curl -s --max-time 2 -H "Host: http-echo.default.svc.cluster.local" http://127.0.0.1:18089/; }
plain8() { curl -s --max-time 2 http://127.0.0.1:18088/; }
caller="URI=spiffe://cluster.local/ns/default/sa/frontend"
start=$(date +%s%N); got=""
for _ in $(seq 600); do got=$(mesh8); [[ "$got" == foo*"$caller"* ]] && break; sleep 0.05; done
# show8 ANSWER: the body's first line and the caller its XFCC names.
show8() { printf '%s (XFCC %s)' "$(head -n 1 <<<"$1")" "$(grep -o 'URI=[^;,]*' <<<"$1" | tail -n 1)"; }
echo "   GET http://http-echo.default.svc.cluster.local/ via frontend-sidecar -> $(show8 "$got")"
echo "   (certificates issued and served $(( ($(date +%s%N) - start) / 1000000 )) ms after the reconciler started)"
curl -s --max-time 2 http://127.0.0.1:19201/status | python3 -c '
import json, sys
try: proxies = json.load(sys.stdin)["proxies"]
except ValueError: proxies = []; print("   (no /status on 127.0.0.1:19201)")
for p in proxies:
    c = p.get("certificate") or {}
    print("   %s: %s serial %s expires %s" % (p["name"], c.get("identity"), c.get("serial"), c.get("expiry")))'
ok=ok; [[ "$got" == foo*"$caller"* ]] || { ok=fail; tail -n 5 "$work/reconcile-s8.log" "$work"/agent-s8-*.log | sed 's/^/   /'; }
step "gitops: S8 sidecar to sidecar over mTLS, the backend sees the caller's SPIFFE ID" "$ok" ""
got=$(plain8); echo "   GET http://127.0.0.1:18088/ in plain text (no sidecar) -> ${got:-(refused)}"
ok=ok; [ "$got" != foo ] || ok=fail
step "gitops: S8 STRICT refuses a plaintext client" "$ok" ""
echo "== git commit S8 mesh-wide PERMISSIVE"
commit8 "S8: mesh-wide PERMISSIVE" PERMISSIVE
start=$(date +%s%N)
for _ in $(seq 200); do got=$(plain8); [ "$got" = foo ] && break; sleep 0.05; done
echo "   GET http://127.0.0.1:18088/ in plain text -> ${got:-(refused)} (served $(( ($(date +%s%N) - start) / 1000000 )) ms after the webhook)"
ok=ok; [ "$got" = foo ] || ok=fail
got=$(mesh8); echo "   GET via frontend-sidecar -> $(show8 "$got")"
[[ "$got" == foo*"$caller"* ]] || ok=fail
step "gitops: S8 PERMISSIVE accepts plain text and mTLS" "$ok" ""
echo "== git commit S8 AuthorizationPolicy: only the frontend, only GET and HEAD; DENY /admin/*"
commit8 "S8: AuthorizationPolicy" STRICT samples/s8-authz
# authz8 METHOD PATH: the status http-echo's sidecar answers the frontend's request.
authz8() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X "$1" -H "Host: http-echo.default.svc.cluster.local" "http://127.0.0.1:18089$2"; }
start=$(date +%s%N)
for _ in $(seq 200); do [ "$(authz8 POST /)" = 403 ] && break; sleep 0.05; done
echo "   policies served $(( ($(date +%s%N) - start) / 1000000 )) ms after the webhook"
ok=ok
for check in "GET / 200" "HEAD / 200" "POST / 403" "GET /admin/users 403"; do
  read -r method path want <<<"$check"
  got=$(authz8 "$method" "$path")
  echo "   $method $path via frontend-sidecar -> $got (want $want)"
  [ "$got" = "$want" ] || ok=fail
done
body=$(curl -s --max-time 2 -X POST -H "Host: http-echo.default.svc.cluster.local" http://127.0.0.1:18089/)
echo "   POST / answer: $body"
[ "$body" = "RBAC: access denied" ] || ok=fail
step "gitops: S8 AuthorizationPolicy allows the frontend's GET, denies POST and /admin/*" "$ok" ""
echo "== git commit S8 Telemetry: mesh-wide access logs in Istio's JSON (samples/s8-telemetry)"
commit8 "S8: Telemetry access logs" STRICT samples/s8-authz samples/s8-telemetry
# logged8 ID: the access log lines of both sidecars that carry request id ID.
logged8() { grep -h "\"request_id\":\"$1\"" "$work"/agents-s8/*/envoy.log 2>/dev/null; }
start=$(date +%s%N); id=""
for n in $(seq 200); do
  id="demo-telemetry-$n"
  curl -s -o /dev/null --max-time 2 -H "x-request-id: $id" -H "Host: http-echo.default.svc.cluster.local" http://127.0.0.1:18089/
  sleep 0.05; [ "$(logged8 "$id" | wc -l)" -ge 2 ] && break
done
echo "   access logs in both sidecars after $(( ($(date +%s%N) - start) / 1000000 )) ms (a listener change: the frontend's pooled"
echo "   connection to http-echo's sidecar keeps the old filter chain until Envoy drains it); request $id in both logs:"
logged8 "$id" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    print("   %s %s %s -> %s via %s (%s ms)" % (e["start_time"], e["method"], e["path"], e["response_code"], e["upstream_cluster"], e["duration"]))'
ok=ok; [ "$(logged8 "$id" | wc -l)" -ge 2 ] || ok=fail
step "gitops: S8 Telemetry access logs follow one request id through both sidecars" "$ok" ""

echo "== telemetry: Prometheus scrapes meshc reconcile, the agents and every Envoy's stats"
if command -v prometheus >/dev/null; then
  prom="$work/prometheus"; mkdir -p "$prom"
  cat >"$prom/prometheus.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
- job_name: meshc-reconcile
  static_configs: [{targets: ["127.0.0.1:19200", "127.0.0.1:19201"]}]
- job_name: meshc-agent
  authorization: {type: Bearer, credentials_file: $token}
  static_configs: [{targets: ["127.0.0.1:19100", "127.0.0.1:19101"]}]
- job_name: envoy
  metrics_path: /stats/prometheus
  static_configs: [{targets: ["127.0.0.1:19190", "127.0.0.1:19191"]}]
YAML
  prometheus --config.file="$prom/prometheus.yml" --storage.tsdb.path="$prom/data" \
    --web.listen-address=127.0.0.1:19290 --log.level=error >"$work/prometheus.log" 2>&1 & pids+=($!)
  # promql QUERY: the result vector, one "labels value" line each.
  promql() {
    curl -s --max-time 2 -G http://127.0.0.1:19290/api/v1/query --data-urlencode "query=$1" | python3 -c '
import json, sys
try: result = json.load(sys.stdin)["data"]["result"]
except (ValueError, KeyError): result = []
for r in result:
    labels = ",".join("%s=%s" % kv for kv in sorted(r["metric"].items()))
    print("   %s  %s" % (labels, r["value"][1]))'
  }
  up=""
  for _ in $(seq 60); do up=$(promql 'count(up == 1)' | awk '{print $NF}'); [ "${up:-0}" -ge 6 ] && break; sleep 0.5; done
  echo "   targets up: ${up:-0} of 6"
  for _ in $(seq 20); do curl -s -o /dev/null --max-time 1 http://127.0.0.1:18080/; curl -s -o /dev/null --max-time 1 -H "Host: http-echo.default.svc.cluster.local" http://127.0.0.1:18089/; done
  sleep 3
  echo "   requests per destination and code (last 5 minutes), from Prometheus:"
  promql 'sum by (destination_service, envoy_response_code, proxy) (increase(envoy_cluster_upstream_rq{destination_service!=""}[5m])) > 0'
  echo "   proxies in sync, from meshc reconcile:"
  promql 'meshc_reconcile_proxy_in_sync'
  ok=ok; [ "${up:-0}" -ge 6 ] || ok=fail
  [ -n "$(promql 'sum by (destination_service) (increase(envoy_cluster_upstream_rq[5m])) > 0')" ] || ok=fail
  step "telemetry: Prometheus scrapes every target and answers requests per destination" "$ok" ""
else
  step "telemetry: Prometheus is not installed (run scripts/setup.sh)" fail ""
fi
