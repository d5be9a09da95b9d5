#!/usr/bin/env bash
# Mesh CA benchmark (issue 10: "CSRs signed per second on 2 cores, goal:
# 1,000 in under 1 s"): MeshCABench makes a throwaway P-256 root, pre-makes
# COUNT workload keys and CSRs (not timed), then times signing them all on
# every core (parse, CSR signature check, identity check, issue, PEM) beside
# the same count of raw swift-crypto P-256 signatures, best of REPEAT rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${MESHCABENCH:-.build-ca/release/MeshCABench}"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" --count "${COUNT:-1000}" --repeat "${REPEAT:-5}"
