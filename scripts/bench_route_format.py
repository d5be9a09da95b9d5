#!/usr/bin/env python3
"""Times Envoy loading a route configuration over file RDS, JSON against the
protobuf the agent writes (`--route-format binary`), in the same run: one
Envoy per format with the build's clusters (CDS file) and one listener whose
RDS file is replaced (rename) by a new version of the same configuration;
the time is rename → Envoy's `version_text` shows it (polled every 2 ms on
text readouts alone, which cost Envoy's main thread ~5 ms).

    bench_route_format.py MESHBENCH ENVOY BUILD_PROXY_DIR [ROUNDS]

BUILD_PROXY_DIR is a proxy folder of `meshc build --out` (clusters.json, routes/*.json).
"""
import json, os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

meshbench, envoy, proxy_dir = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 15
work = tempfile.mkdtemp(prefix="meshc-bench-route-format-")
routes = sorted(os.listdir(os.path.join(proxy_dir, "routes")), key=lambda n: -os.path.getsize(os.path.join(proxy_dir, "routes", n)))
source = os.path.join(proxy_dir, "routes", routes[0])
print(subprocess.run([meshbench, "routes", source, os.path.join(work, "variants"), "--variants", str(rounds + 1)],
                     check=True, capture_output=True, text=True).stdout.strip())
name = json.load(open(source))["resources"][0]["name"]

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def run(ext):
    folder = os.path.join(work, ext)
    os.makedirs(folder)
    shutil.copy(os.path.join(proxy_dir, "clusters.json"), os.path.join(folder, "cds.json"))
    rds = os.path.join(folder, "route." + ext)
    shutil.copy(os.path.join(work, "variants", "v0." + ext), rds)
    admin = free_port()
    manager = {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
               "stat_prefix": "bench", "rds": {"route_config_name": name, "config_source": {"path_config_source": {"path": rds}, "resource_api_version": "V3"}},
               "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}
    bootstrap = {"node": {"id": "bench", "cluster": "bench"},
                 "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
                 "dynamic_resources": {"cds_config": {"path_config_source": {"path": os.path.join(folder, "cds.json")}, "resource_api_version": "V3"}},
                 "static_resources": {"listeners": [{"name": "bench", "address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}},
                                                     "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": manager}]}]}]}}
    json.dump(bootstrap, open(os.path.join(folder, "bootstrap.json"), "w"))
    log = open(os.path.join(folder, "envoy.log"), "w")
    process = subprocess.Popen([envoy, "-c", os.path.join(folder, "bootstrap.json"), "--disable-hot-restart", "--concurrency", "1", "-l", "warning"],
                               stdout=log, stderr=log)
    def version():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{admin}/stats?usedonly&type=TextReadouts&filter=rds.{name}.version_text", timeout=5) as r:
                text = r.read().decode()
            return text.split('"')[1] if '"' in text else None
        except OSError:
            return None
    try:
        first = json.load(open(os.path.join(work, "variants", "v0.json")))["version_info"]
        deadline = time.time() + 60
        while version() != first:
            if time.time() > deadline or process.poll() is not None:
                raise SystemExit(f"{ext}: Envoy did not load the first version\n" + open(os.path.join(folder, "envoy.log")).read()[-2000:])
            time.sleep(0.05)
        times = []
        for index in range(1, rounds + 1):
            expected = json.load(open(os.path.join(work, "variants", f"v{index}.json")))["version_info"]
            staging = rds + ".staging"
            shutil.copy(os.path.join(work, "variants", f"v{index}.{ext}"), staging)
            time.sleep(0.3)
            start = time.perf_counter()
            os.rename(staging, rds)
            while version() != expected:
                if time.perf_counter() - start > 30: raise SystemExit(f"{ext}: version {index} never loaded")
                time.sleep(0.002)
            times.append((time.perf_counter() - start) * 1000)
        return times
    finally:
        process.terminate(); process.wait(10)

try:
    results = {}
    for ext in ("json", "pb"):
        times = run(ext)
        results[ext] = statistics.median(times)
        print(f"Envoy loads {name} from {ext}: median {results[ext]:.0f} ms, min {min(times):.0f}, max {max(times):.0f} ({rounds} versions)")
    print(f"ratio protobuf / JSON: {results['pb'] / results['json']:.2f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
