#!/usr/bin/env python3
"""One hop's latency under AuthorizationPolicy (issue 11): a gateway compiled
by `meshc build` in front of `meshc echo`, with 0, 10 and 100 policy rules,
beside the echo reached directly and through a hand-written minimal Envoy.

The N rules are one DENY policy whose every rule matches the path and
method and fails only on its last condition (a header), so Envoy evaluates
all N on each request: the worst case for the rule count. The 0-rule
gateway still carries meshc's three rule-less RBAC filters (HTTPFilters).

Usage: bench-authz.py MESHC ENVOY WORKDIR [REQUESTS] [WARMUP]
"""
import json
import os
import subprocess
import sys

import bench_http
from bench_http import measure_all, wait_http

MESHC, ENVOY, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
REQUESTS = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
WARMUP = int(sys.argv[5]) if len(sys.argv) > 5 else 500
bench_http.configure(WORK, REQUESTS, WARMUP)
RULE_COUNTS = (0, 10, 100)


def manifests(echo_port, ports):
    """Service + WorkloadEntry `backend`, and per rule count a gateway Proxy, Gateway and (N > 0) DENY policy."""
    docs = [f"""apiVersion: v1
kind: Service
metadata: {{name: backend, namespace: default, labels: {{app: backend}}}}
spec:
  selector: {{app: backend}}
  ports:
  - {{name: http, port: 80, protocol: TCP}}
""", f"""apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {{name: backend-v1, namespace: default}}
spec:
  address: 127.0.0.1
  labels: {{app: backend, version: v1}}
  ports: {{http: {echo_port}}}
"""]
    gateways = []
    for n, (listen, admin) in zip(RULE_COUNTS, ports):
        name = f"gw-{n}"
        gateways.append(name)
        docs.append(f"""apiVersion: meshc.dev/v1alpha1
kind: Proxy
metadata: {{name: {name}, namespace: istio-system}}
spec:
  role: gateway
  labels: {{istio: {name}}}
  address: 127.0.0.1
  ports:
  - {{port: 80, listenPort: {listen}}}
  admin: {{port: {admin}}}
""")
        docs.append(f"""apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: {name}, namespace: istio-system}}
spec:
  selector: {{istio: {name}}}
  servers:
  - port: {{number: 80, name: http, protocol: HTTP}}
    hosts: ["*"]
""")
        if n:
            rules = "".join(f"""  - to:
    - operation:
        paths: ["/*"]
        methods: [GET, POST]
    when:
    - key: request.headers[x-tenant]
      values: [tenant-{i}]
""" for i in range(n))
            docs.append(f"""apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {{name: deny-{n}, namespace: istio-system}}
spec:
  selector:
    matchLabels: {{istio: {name}}}
  action: DENY
  rules:
{rules}""")
    docs.append(f"""apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: backend, namespace: istio-system}}
spec:
  hosts: ["*"]
  gateways: [{", ".join(gateways)}]
  http:
  - route:
    - destination: {{host: backend.default.svc.cluster.local, port: {{number: 80}}}}
""")
    return "---\n".join(docs)


def main():
    print(f"meshc {MESHC}\nenvoy {ENVOY} (--concurrency 1 each)\n{REQUESTS} requests per case after {WARMUP} warm-up, "
          f"one keep-alive connection, one request in flight, cases interleaved in {bench_http.ROUNDS} rounds\n", flush=True)
    try:
        echo = bench_http.start_echo(MESHC)
        plain = bench_http.minimal_envoy(ENVOY, echo)
        flat = bench_http.free_ports(2 * len(RULE_COUNTS))
        ports = list(zip(flat[0::2], flat[1::2]))
        source = os.path.join(WORK, "mesh.yaml")
        with open(source, "w") as f:
            f.write(manifests(echo, ports))
        out = os.path.join(WORK, "out")
        build = subprocess.run([MESHC, "build", "--static-bootstrap", "--out", out, source], capture_output=True, text=True)
        if build.returncode != 0:
            raise SystemExit(f"meshc build failed:\n{build.stdout}{build.stderr}")
        for n, (listen, admin) in zip(RULE_COUNTS, ports):
            routes = open(os.path.join(out, f"gw-{n}", "routes", "http.80.json")).read()
            if routes.count("ns[istio-system]-policy[") != n:
                raise SystemExit(f"gw-{n}'s routes do not carry {n} rules")
            bench_http.envoy(ENVOY, f"gw-{n}", os.path.join(out, f"gw-{n}", "bootstrap.json"), admin)
        headers = (("x-tenant", "bench"),)
        cases = [("direct to meshc echo", echo, "backend", headers),
                 ("Envoy without meshc (no filters)", plain, "backend", headers)]
        cases += [(f"meshc gateway, {n} rules", listen, "backend", headers) for n, (listen, _) in zip(RULE_COUNTS, ports)]
        for case in cases:
            wait_http(case[1], case[2], headers=headers)
        # The rules are live: a request with a denied tenant gets 403 from the 100-rule gateway.
        denied = bench_http.Client(ports[-1][0], "backend", (("x-tenant", "tenant-7"),)).get()
        if denied != 403:
            raise SystemExit(f"gw-100 answered {denied} to a denied tenant: the rules are not enforced")
        print("gw-10 and gw-100 enforce their rules (a denied tenant gets 403): yes\n", flush=True)
        results = measure_all(cases)
        base = results[2]
        print()
        for r in results[3:]:
            print(f"  {r['case']:<34} over 0 rules   p50 {r['p50_us'] - base['p50_us']:+.1f} us   p99 {r['p99_us'] - base['p99_us']:+.1f} us")
        print(f"  {'0 rules: meshc filters, bare router':<34} (CORS, fault, 3 rule-less RBAC) over Envoy without meshc   p50 {base['p50_us'] - results[1]['p50_us']:+.1f} us"
              f"   p99 {base['p99_us'] - results[1]['p99_us']:+.1f} us")
        with open(os.path.join(WORK, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        print(f"\nresults: {os.path.join(WORK, 'results.json')}")
    finally:
        bench_http.stop_children()


if __name__ == "__main__":
    main()
