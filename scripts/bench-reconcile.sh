#!/usr/bin/env bash
# `make bench-reconcile`: commit → every proxy serving the new route through
# `meshc reconcile` (webhook), for 1 and 10 local gateways, beside a direct PUT
# to one agent (the floor). Needs a built meshc (MESHC, default the release
# build in .build-reconcile) and Envoy in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
MESHC="${MESHC:-.build-reconcile/release/meshc}"
ENVOY="${ENVOY:-.venv/bin/envoy}"
COMMITS="${COMMITS:-10}"
echo "meshc: $MESHC ($(git rev-parse --short HEAD)); $(nproc) cores; $(uname -sr)"
for n in ${PROXIES:-1 10}; do
  python3 scripts/bench_reconcile.py "$MESHC" "$ENVOY" "$n" "$COMMITS"
done
