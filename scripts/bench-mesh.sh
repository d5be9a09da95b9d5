#!/usr/bin/env bash
# Sourced by the bench scripts: `bench_mesh SERVICES [DIR]` sets $dir to a
# gen_mesh.py --services SERVICES mesh (generated once) and prints the machine line.
bench_mesh() {
  services="$1"
  dir="${2:-/tmp/meshc-bench-$services}"
  local gen=../shared/bench/gen_mesh.py
  [ -f "$gen" ] || gen=/work/shared/bench/gen_mesh.py
  [ -d "$dir" ] || python3 "$gen" --services "$services" --out "$dir" >/dev/null
  echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1 /proc/loadavg)"
}
