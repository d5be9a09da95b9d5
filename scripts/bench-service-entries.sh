#!/usr/bin/env bash
# Scaling check for meshes of ServiceEntries (gen_mesh.py writes none): N and
# 4N MESH_EXTERNAL ServiceEntries (DNS, port 80) and one sidecar that reaches
# them all, so the sidecar has a cluster per entry. Prints `meshc build`'s
# best-of-3 wall time for each and their ratio: ~4 is linear, ~16 quadratic.
# Usage: scripts/bench-service-entries.sh [N] [MESHC]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-mesh.sh
n="${1:-4000}"
meshc="${2:-.build/release/meshc}"
machine_line
work=$(mktemp -d /tmp/meshc-bench-se.XXXXXX)
trap 'rm -rf "$work"' EXIT
for count in "$n" $((4 * n)); do
  mkdir -p "$work/m$count"
  python3 - "$count" "$work/m$count" <<'PY'
import sys
count, folder = int(sys.argv[1]), sys.argv[2]
docs = [f"""apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {{name: ext-{i}, namespace: default}}
spec:
  hosts: [api-{i}.ext.example]
  location: MESH_EXTERNAL
  ports: [{{number: 80, name: http, protocol: HTTP}}]
  resolution: DNS
""" for i in range(count)]
docs.append("""apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: app-v1, namespace: default}
spec:
  address: 127.0.0.1
  labels: {app: app}
---
apiVersion: meshc.dev/v1alpha1
kind: Proxy
metadata: {name: app-sidecar, namespace: default}
spec:
  role: sidecar
  workload: app-v1
  address: 127.0.0.1
  outboundPort: 15001
  admin: {port: 15000}
""")
# 500 documents a file (a file holds at most 10,000 by default).
for start in range(0, len(docs), 500):
    open(f"{folder}/mesh-{start // 500:03}.yaml", "w").write("---\n".join(docs[start:start + 500]))
PY
  best=""
  for _ in 1 2 3; do
    rm -rf "$work/out$count"
    timed "$meshc" build "$work/m$count" --out "$work/out$count"
    # A build that stopped on an error would time nothing worth reading.
    [ -f "$work/out$count/app-sidecar/clusters.json" ] || { echo "meshc build of $count ServiceEntries failed"; "$meshc" build "$work/m$count" --out "$work/out$count" 2>&1 | tail -3; exit 1; }
    keep_best
  done
  echo "$count ServiceEntries, one sidecar with a cluster each: meshc build best of 3 ${best} s, peak RSS ${best_rss} KiB"
  eval "t$count=$best"
done
small="t$n"; large="t$((4 * n))"
awk -v a="${!large}" -v b="${!small}" 'BEGIN { printf "ratio 4x entries / 1x: %.1f (linear ~4, quadratic ~16)\n", a / b }'
