#!/usr/bin/env bash
# `make bench-route-format`: Envoy loading the 10k mesh's gateway route
# configuration (1,000 virtual hosts) over file RDS from JSON and from the
# protobuf the agent writes, in the same run, with the agent's encoding times.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-mesh.sh
bench_mesh "${1:-10000}" "${2:-}"
out=$(mktemp -d /tmp/meshc-bench-route-build.XXXXXX)
trap 'rm -rf "$out"' EXIT
.build/release/meshc build --out "$out" "$dir" >/dev/null
python3 scripts/bench_route_format.py .build/release/MeshBench .venv/bin/envoy "$out/gateway-istio-ingressgateway" "${ROUNDS:-15}"
