#!/usr/bin/env python3
"""Envoy's memory and /stats/prometheus with and without meshc's stats
configuration (issue 12), on the `mesh` proxy of a gen_mesh.py repository
(1,000 services: some 2,600 clusters).

The same bootstrap runs twice, one Envoy at a time: as `meshc build` wrote
it (EnvoyStats tags) and with `stats_config` removed (Envoy's defaults).
Each time: RSS and the heap Envoy reports once it is ready, then the
Prometheus page scraped SCRAPES times (size, median time).

Then meshc's own overhead per scrape: `meshc reconcile` following a git
repository of the same mesh, its /metrics fetched 200 times beside its
/healthz (the reference: the same HTTP server, no metrics), the reconciler's
CPU time (utime + stime from /proc) per request for each.

Usage: bench-stats.py MESHC ENVOY WORKDIR [SERVICES] [SCRAPES]
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

import bench_http

MESHC, ENVOY, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SERVICES = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
SCRAPES = int(sys.argv[5]) if len(sys.argv) > 5 else 5
bench_http.configure(WORK, 1, 0)
GEN = next(p for p in ["../shared/bench/gen_mesh.py", "/work/shared/bench/gen_mesh.py"] if os.path.exists(p))


def get(port, path, timeout=60):
    start = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        body = response.read()
    return body, time.perf_counter() - start


def measure(label, bootstrap, admin):
    child = subprocess.Popen([ENVOY, "-c", bootstrap, "--concurrency", "1", "-l", "error", "--disable-hot-restart"],
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, label + ".log"), "w"))
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if get(admin, "/ready", 2)[0].strip() == b"LIVE":
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit(f"{label}: Envoy did not get ready; see {WORK}/{label}.log")
        time.sleep(1)
        rss = int(next(line.split()[1] for line in open(f"/proc/{child.pid}/status") if line.startswith("VmRSS:"))) / 1024
        heap = json.loads(get(admin, "/memory")[0])["allocated"]
        sizes, times = [], []
        for _ in range(SCRAPES):
            body, seconds = get(admin, "/stats/prometheus")
            sizes.append(len(body))
            times.append(seconds)
        families = sum(1 for line in body.decode().splitlines() if line.startswith("# TYPE "))
        series = sum(1 for line in body.decode().splitlines() if line and not line.startswith("#"))
        result = {"case": label, "rss_mib": rss, "heap_mib": int(heap) / 1048576, "scrape_bytes": sizes[-1],
                  "scrape_ms_median": statistics.median(times) * 1000, "families": families, "series": series}
        print(f"  {label:<34} RSS {rss:7.1f} MiB   heap {result['heap_mib']:7.1f} MiB   scrape {sizes[-1] / 1048576:6.2f} MiB"
              f" in {result['scrape_ms_median']:6.1f} ms (median of {SCRAPES})   {families} families, {series} series", flush=True)
        return result
    finally:
        child.terminate()
        child.wait(timeout=10)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reconcile_overhead(repo, requests=200):
    """meshc reconcile's CPU time and latency per /metrics scrape, beside /healthz."""
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.email=bench@meshc.invalid", "-c", "user.name=bench",
                                                                  "commit", "-qm", "mesh"]):
        subprocess.run(["git", "-C", repo] + args, check=True)
    token = os.path.join(WORK, "token")
    with open(token, "w") as f:
        f.write("bench-token-0123456789abcdef\n")
    os.chmod(token, 0o600)
    port = bench_http.free_ports(1)[0]
    child = subprocess.Popen([MESHC, "reconcile", "--repo", repo, "--interval", "60m", "--listen", f"127.0.0.1:{port}", "--token-file", token],
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, "reconcile.log"), "w"))
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if b"meshc_reconcile_rounds_total" in get(port, "/metrics", 5)[0] and b'"commit"' in get(port, "/status", 5)[0]:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        time.sleep(2)
        rows = {}
        for path in ["/healthz", "/metrics"]:
            before, times = cpu_seconds(child.pid), []
            for _ in range(requests):
                body, seconds = get(port, path)
                times.append(seconds)
            rows[path] = ((cpu_seconds(child.pid) - before) / requests * 1000, statistics.median(times) * 1000, len(body))
        for path, (cpu, median, size) in rows.items():
            print(f"  meshc reconcile GET {path:<9} CPU {cpu:6.3f} ms per request   median {median:6.3f} ms   {size} bytes"
                  f" ({requests} requests)", flush=True)
        overhead = rows["/metrics"][0] - rows["/healthz"][0]
        print(f"  meshc's own overhead per scrape: {overhead:+.3f} ms CPU over /healthz, {rows['/metrics'][2] / 1024:.1f} KiB", flush=True)
        return {"metrics_cpu_ms": rows["/metrics"][0], "healthz_cpu_ms": rows["/healthz"][0], "metrics_bytes": rows["/metrics"][2],
                "metrics_ms_median": rows["/metrics"][1]}
    finally:
        child.terminate()
        child.wait(timeout=20)


def main():
    repo = os.path.join(WORK, "mesh")
    subprocess.run([sys.executable, GEN, "--services", str(SERVICES), "--out", repo], check=True, stdout=subprocess.DEVNULL)
    admin = bench_http.free_ports(1)[0]
    out = os.path.join(WORK, "out")
    build = subprocess.run([MESHC, "build", "--static-bootstrap", "--out", out, "--listen-address", "127.0.0.1", "--admin-port", str(admin), repo],
                           capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(f"meshc build failed:\n{build.stdout}{build.stderr}")
    tagged = os.path.join(out, "mesh", "bootstrap.json")
    config = json.load(open(tagged))
    clusters = len(config["static_resources"]["clusters"])
    admin = config["admin"]["address"]["socket_address"]["port_value"]
    config.pop("stats_config")
    plain = os.path.join(out, "mesh", "bootstrap-envoy-default-stats.json")
    json.dump(config, open(plain, "w"))
    print(f"{SERVICES} services: the mesh proxy has {clusters} clusters\n", flush=True)
    results = [measure("Envoy's default stats config", plain, admin), measure("meshc's stats config (EnvoyStats)", tagged, admin)]
    base, ours = results
    print(f"\n  meshc's over Envoy's default: RSS {ours['rss_mib'] - base['rss_mib']:+.1f} MiB, heap {ours['heap_mib'] - base['heap_mib']:+.1f} MiB,"
          f" scrape {100 * (ours['scrape_bytes'] / base['scrape_bytes'] - 1):+.0f}% bytes, families {base['families']} -> {ours['families']}")
    print(f"\nmeshc's own /metrics (reconcile following the same {SERVICES}-service mesh in git):", flush=True)
    results.append(reconcile_overhead(repo))
    json.dump(results, open(os.path.join(WORK, "results.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
