#!/usr/bin/env python3
"""Times `meshc reconcile`: commit → every proxy serving the new route (webhook
trigger), for N local gateways (meshc agent + Envoy each, loopback), over
COMMITS commits; beside the floor: a direct PUT of the same bundle to one agent
(the agent's make-before-break apply, Envoy confirming every stage).

    bench_reconcile.py MESHC ENVOY PROXIES [COMMITS]
    MESH_SERVICES=10000 bench_reconcile.py …   # the same commits inside a gen_mesh.py mesh
    (BENCH_ONLY_PROXIES=1: the proxies do not take the mesh's team Gateways; KEEP=1 keeps the folder;
    VERBOSE=1 logs the agents' stages and the reconciler's build split)
"""
import json, os, secrets, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request
from http.client import HTTPConnection, HTTPException

meshc, envoy, proxies = sys.argv[1], sys.argv[2], int(sys.argv[3])
commits = int(sys.argv[4]) if len(sys.argv) > 4 else 10
work = tempfile.mkdtemp(prefix=f"meshc-bench-reconcile-{proxies}-")
os.chmod(work, 0o711)  # run as root, the agents' Envoys run as nobody and must get through to their state folders
children = []

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def spawn(name, args):
    out = open(os.path.join(work, name + ".err"), "w")
    p = subprocess.Popen(args, stdout=out, stderr=out)
    children.append(p)
    return p

def announced(name, prefix, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        for line in open(os.path.join(work, name + ".err")).read().splitlines():
            if line.startswith(prefix):
                return int(line.rsplit(":", 1)[1])
        time.sleep(0.01)
    raise SystemExit(f"{name} did not start:\n" + open(os.path.join(work, name + ".err")).read()[-3000:])

def http(port, path, method="GET", body=None, headers=None, timeout=5):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return 0, ""

def git(*args):
    subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)

token = "bench-token-0123456789abcdef0123456789abcdef"
token_file = os.path.join(work, "token"); open(token_file, "w").write(token); os.chmod(token_file, 0o600)
auth = {"authorization": f"Bearer {token}"}
# POST /hooks/git takes the webhook secret, never the agents' token.
webhook_secret = secrets.token_hex(32)
webhook_secret_file = os.path.join(work, "webhook-secret")
with os.fdopen(os.open(webhook_secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f: f.write(webhook_secret)
hook_auth = {"authorization": f"Bearer {webhook_secret}"}
try:
    for text in ("foo", "bar"):
        spawn(f"echo-{text}", [meshc, "echo", "--text", text, "--listen", "127.0.0.1:0"])
    foo_port = announced("echo-foo", "meshc echo: listening on ")
    bar_port = announced("echo-bar", "meshc echo: listening on ")
    gateways = []
    for i in range(proxies):
        g = {"name": f"gw-{i:02d}", "listener": free_port(), "admin": free_port(), "agent": free_port()}
        spawn(g["name"], [meshc, "agent", "--proxy", g["name"], "--state-dir", os.path.join(work, "state", g["name"]),
                          "--admin-port", str(g["admin"]), "--listen", f"127.0.0.1:{g['agent']}", "--token-file", token_file,
                          "--envoy", envoy, "--concurrency", "1", *(["--verbose"] if os.environ.get("VERBOSE") else []), "--validation-cache", os.path.join(work, "verdicts")])
        gateways.append(g)
    for g in gateways:
        announced(g["name"], "meshc agent: listening on ")

    repo = os.path.join(work, "repo"); os.makedirs(repo)
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    # MESH_SERVICES=N: the commits land in a gen_mesh.py --services N mesh (its
    # gateways bind to the declared proxies too; its workloads are never called).
    mesh_services = int(os.environ.get("MESH_SERVICES", "0"))
    # In a mesh, the bench's routes take a host of their own: "*" would overlap every team's gateway (IST0145).
    bench_host, host_header = ('"bench.meshc.invalid"', {"host": "bench.meshc.invalid"}) if mesh_services else ('"*"', {})
    # BENCH_ONLY_PROXIES=1: the proxies carry the bench's Gateway only (label istio: bench), not the
    # mesh's team Gateways: the figure is then the control plane's over a 10k repository, not Envoy's
    # reload of a 1,000-host route configuration.
    selector = "bench" if os.environ.get("BENCH_ONLY_PROXIES") else "ingressgateway"
    if mesh_services:
        gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "gen_mesh.py")
        subprocess.run([sys.executable, os.environ.get("GEN_MESH", gen), "--services", str(mesh_services),
                        "--out", os.path.join(repo, "mesh")], check=True)
    git("config", "user.email", "bench@meshc.invalid"); git("config", "user.name", "bench")
    def service(name, port):
        return f"""apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: default}}
spec:
  selector: {{app: {name}}}
  ports: [{{name: http, port: 80}}]
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {{name: {name}-v1, namespace: default}}
spec:
  address: 127.0.0.1
  labels: {{app: {name}, version: v1}}
  ports: {{http: {port}}}
"""
    base = """apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: http-gateway, namespace: default}
spec:
  selector: {istio: SELECTOR}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [HOSTS]
---
""".replace("HOSTS", bench_host).replace("SELECTOR", selector) + service("foo", foo_port) + "---\n" + service("bar", bar_port)
    proxies_yaml = "---\n".join(f"""apiVersion: meshc.dev/v1alpha1
kind: Proxy
metadata: {{name: {g['name']}, namespace: istio-system}}
spec:
  role: gateway
  labels: {{istio: {selector}}}
  address: 127.0.0.1
  ports: [{{port: 80, listenPort: {g['listener']}}}]
  admin: {{port: {g['admin']}}}
  agent: {{address: "127.0.0.1:{g['agent']}"}}
""" for g in gateways)
    def routes(n):
        rule = f"""  - match: [{{uri: {{prefix: /bench-{n}}}}}]
    route: [{{destination: {{host: bar.default.svc.cluster.local, port: {{number: 80}}}}}}]
""" if n else ""
        return f"""apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: routes, namespace: default}}
spec:
  hosts: [{bench_host}]
  gateways: [http-gateway]
  http:
{rule}  - route: [{{destination: {{host: foo.default.svc.cluster.local, port: {{number: 80}}}}}}]
"""
    def commit(n):
        open(os.path.join(repo, "mesh.yaml"), "w").write(base)
        open(os.path.join(repo, "proxies.yaml"), "w").write(proxies_yaml)
        open(os.path.join(repo, "routes.yaml"), "w").write(routes(n))
        git("add", "-A"); git("commit", "-q", "-m", f"route {n}")
    # The probe keeps one connection per gateway (Envoy routes each request by the route
    # configuration current when it arrives): a new connection every 2 ms cost Envoy's worker,
    # the echo server and this script a third of a core, taken from the processes being timed.
    probes = {}
    def probe(port, path):
        for _ in range(2):
            connection = probes.get(port) or HTTPConnection("127.0.0.1", port, timeout=1)
            probes[port] = connection
            try:
                connection.request("GET", path, headers=host_header)
                response = connection.getresponse()
                return response.status, response.read().decode()
            except (OSError, HTTPException):
                connection.close(); probes.pop(port, None)
        return 0, ""
    def all_serve(path, text, seconds):
        deadline = time.time() + seconds
        pending = list(gateways)
        while pending and time.time() < deadline:
            pending = [g for g in pending if probe(g["listener"], path) != (200, text + "\n")]
            if pending: time.sleep(0.002)
        return not pending

    commit(0)
    spawn("reconcile", [meshc, "reconcile", "--repo", repo, "--interval", "60s", "--listen", "127.0.0.1:0",
                        "--token-file", token_file, "--webhook-secret-file", webhook_secret_file, "--envoy", envoy, "--parallel", "16",
                        *(["--log-level", "debug"] if os.environ.get("VERBOSE") else [])])
    rport = announced("reconcile", "meshc reconcile: listening on ")
    if not all_serve("/", "foo", 60): raise SystemExit("the first commit never converged:\n" + open(os.path.join(work, "reconcile.err")).read()[-3000:])

    times = []
    for n in range(1, commits + 1):
        commit(n)
        start = time.perf_counter()
        http(rport, "/hooks/git", "POST", b"", hook_auth)
        if not all_serve(f"/bench-{n}", "bar", 30): raise SystemExit(f"commit {n} never converged")
        times.append(time.perf_counter() - start)

    print(f"proxies={proxies} commits={commits} mesh_services={mesh_services}: commit → all serving (webhook): "
          f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms", flush=True)
    # The floor: the same two bundles PUT straight to one agent, alternately.
    g = gateways[0]
    _, current = http(g["agent"], "/v1/snapshot", headers=auth)
    current = json.loads(current)
    commit(commits + 1)
    http(rport, "/hooks/git", "POST", b"", hook_auth)
    all_serve(f"/bench-{commits + 1}", "bar", 30)
    os.kill(children[-1].pid, signal.SIGTERM); children[-1].wait(10)
    _, newer = http(g["agent"], "/v1/snapshot", headers=auth)
    newer = json.loads(newer)
    floor = []
    for i in range(commits):
        body, previous = (current, newer) if i % 2 == 0 else (newer, current)
        start = time.perf_counter()
        status, text = http(g["agent"], "/v1/snapshot", "PUT", json.dumps(body).encode(),
                            {**auth, "content-type": "application/json", "if-match": f'"{previous["version"]}"'}, timeout=30)
        floor.append(time.perf_counter() - start)
        if status != 200: raise SystemExit(f"direct PUT: {status} {text}")
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.0f} ms, max {max(xs) * 1000:.0f} ms"
    # The reconciler's own split, from its key=value log lines.
    import re
    log = open(os.path.join(work, "reconcile.err")).read()
    for key in ("build_ms", "push_ms"):
        values = [int(v) for v in re.findall(key + r"=(\d+)", log)]
        if values: print(f"proxies={proxies}: reconciler {key}: median {statistics.median(values):.0f}, max {max(values)} (per {'commit' if key == 'build_ms' else 'proxy'})")
    # The agents' own split: envoy --mode validate (shared verdicts: one agent validates a change, the others read it).
    logs = "".join(open(os.path.join(work, g["name"] + ".err")).read() for g in gateways)
    for label, pattern in (("decode", r"\(decode (\d+) ms"), ("policy and lock", r"policy and lock (\d+) ms"),
                           ("plan", r"plan (\d+) ms beside"), ("validate", r"validate (\d+) ms;"), ("apply", r"applied \w+(?: from a delta)? in (\d+) ms")):
        values = [int(v) for v in re.findall(pattern, logs)]
        if values: print(f"proxies={proxies}: agents' {label} per push: median {statistics.median(values):.0f} ms, max {max(values)} ms")
    print(f"proxies={proxies}: floor, direct PUT to one agent (Envoy confirms every stage): {ms(floor)}")
finally:
    if os.environ.get("PAUSE"): time.sleep(float(os.environ["PAUSE"]))  # to look at the agents and Envoys by hand
    for p in reversed(children):
        if p.poll() is None: p.terminate()
    for p in reversed(children):
        try: p.wait(10)
        except subprocess.TimeoutExpired: p.kill()
    if os.environ.get("KEEP"): print("kept", work)
    else: shutil.rmtree(work, ignore_errors=True)
