#!/usr/bin/env bash
# Sourced by the bench scripts: `bench_mesh SERVICES [DIR]` sets $dir to a
# gen_mesh.py --services SERVICES mesh (generated once) and prints the machine line.

# `machine_line`: cores, memory, architecture and the 1-minute load, as every result here is headed.
machine_line() {
  echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load $(cut -d' ' -f1 /proc/loadavg)"
}

bench_mesh() {
  services="$1"
  dir="${2:-/tmp/meshc-bench-$services}"
  local gen=../shared/bench/gen_mesh.py
  [ -f "$gen" ] || gen=/work/shared/bench/gen_mesh.py
  [ -d "$dir" ] || python3 "$gen" --services "$services" --out "$dir" >/dev/null
  machine_line
}

# `timed COMMAND...`: runs COMMAND with its output discarded; sets $wall to
# its wall seconds to the millisecond (GNU time's %e rounds to 10 ms, a
# 2% step at these sizes) and $rss to its peak RSS in KiB ("?" without
# /usr/bin/time).
timed() {
  local start end
  start=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o /tmp/meshc-bench-time.txt "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    rss=$(tail -1 /tmp/meshc-bench-time.txt)
  else
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    rss="?"
  fi
  wall=$(awk -v n=$((end - start)) 'BEGIN { printf "%.3f", n / 1e9 }')
}

# `keep_best`, after `timed`: keeps the fastest run so far in $best and its
# peak RSS in $best_rss (start a series with best="").
keep_best() {
  if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; best_rss=$rss; fi
}
