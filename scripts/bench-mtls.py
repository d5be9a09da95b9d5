#!/usr/bin/env python3
"""One hop's added latency: mTLS vs plain text between meshc sidecars, beside
Envoy without meshc (issue 10).

Starts `meshc echo` as the backend and measures per-request latency with a
closed-loop HTTP/1.1 keep-alive client (one connection, one request in
flight) for:
  (a) direct to the echo,
  (b) through a hand-written minimal Envoy (static bootstrap, plain proxy),
  (c) frontend sidecar -> backend sidecar, both compiled by `meshc build`, plain text,
  (d) the same with mTLS (PeerAuthentication STRICT + DestinationRule ISTIO_MUTUAL),
      certificates from `meshc ca init` / `meshc ca sign` written as the SDS files
      `certs/default.json` and `certs/ROOTCA.json` in each proxy's build folder.

Usage: bench-mtls.py MESHC ENVOY WORKDIR [REQUESTS] [WARMUP]
"""
import json
import os
import subprocess
import sys

import bench_http
from bench_http import Client, free_ports, measure_all, wait_http

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

MESHC, ENVOY, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
REQUESTS = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
WARMUP = int(sys.argv[5]) if len(sys.argv) > 5 else 500
bench_http.configure(WORK, REQUESTS, WARMUP)


def envoy(name, bootstrap, admin):
    bench_http.envoy(ENVOY, name, bootstrap, admin)


def manifests(echo_port, ports, mtls):
    outbound, inbound, front_admin, back_admin, back_outbound = ports
    docs = []
    for app in ("backend", "frontend"):
        docs.append(f"""apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: default
  labels:
    app: {app}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: 80
    protocol: TCP
""")
        docs.append(f"""apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: {app}-v1
  namespace: default
spec:
  address: 127.0.0.1
  serviceAccount: {app}
  labels:
    app: {app}
    version: v1
  ports:
    http: {echo_port if app == "backend" else 9}
""")
    docs.append(f"""apiVersion: meshc.dev/v1alpha1
kind: Proxy
metadata:
  name: frontend-sidecar
  namespace: default
spec:
  role: sidecar
  workload: frontend-v1
  address: 127.0.0.1
  outboundPort: {outbound}
  admin:
    port: {front_admin}
""")
    docs.append(f"""apiVersion: meshc.dev/v1alpha1
kind: Proxy
metadata:
  name: backend-sidecar
  namespace: default
spec:
  role: sidecar
  workload: backend-v1
  address: 127.0.0.1
  outboundPort: {back_outbound}
  admin:
    port: {back_admin}
  ports:
  - port: {echo_port}
    listenPort: {inbound}
""")
    if mtls:
        docs.append("""apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
""")
        docs.append("""apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: backend
  namespace: default
spec:
  host: backend.default.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
""")
    return "---\n".join(docs)


def sds(secret):
    return json.dumps({"version_info": "bench", "resources": [dict(
        {"@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"}, **secret)]}) + "\n"


def issue(ca_dir, identity, certs_dir):
    """A P-256 key and CSR made here (the agent's side), signed by `meshc ca sign`, written as SDS files."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bench")]))
           .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(identity)]), critical=True)
           .sign(key, hashes.SHA256()))
    signed = subprocess.run([MESHC, "ca", "sign", "--dir", ca_dir, "--csr", "-", "--identity", identity],
                            input=csr.public_bytes(serialization.Encoding.PEM), capture_output=True, check=True)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    root = open(os.path.join(ca_dir, "ca-cert.pem")).read()
    os.makedirs(certs_dir, exist_ok=True)
    with open(os.path.join(certs_dir, "default.json"), "w") as f:
        f.write(sds({"name": "default", "tls_certificate": {
            "certificate_chain": {"inline_string": signed.stdout.decode()},
            "private_key": {"inline_string": key_pem}}}))
    with open(os.path.join(certs_dir, "ROOTCA.json"), "w") as f:
        f.write(sds({"name": "ROOTCA", "validation_context": {"trusted_ca": {"inline_string": root}}}))


def sidecars(echo_port, mtls):
    """(c)/(d): `meshc build --out` of the two sidecars, each run as `envoy -c bootstrap.json`."""
    name = "mtls" if mtls else "plain"
    ports = free_ports(5)
    folder = os.path.join(WORK, name)
    os.makedirs(folder, exist_ok=True)
    source = os.path.join(folder, "mesh.yaml")
    with open(source, "w") as f:
        f.write(manifests(echo_port, ports, mtls))
    out = os.path.join(folder, "out")
    build = subprocess.run([MESHC, "build", "--static-bootstrap", "--out", out, source], capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(f"meshc build failed:\n{build.stdout}{build.stderr}")
    if mtls:
        ca_dir = os.path.join(WORK, "ca")
        if not os.path.exists(os.path.join(ca_dir, "ca-cert.pem")):
            subprocess.run([MESHC, "ca", "init", "--dir", ca_dir], check=True, capture_output=True)
        for proxy, sa in (("frontend-sidecar", "frontend"), ("backend-sidecar", "backend")):
            issue(ca_dir, f"spiffe://cluster.local/ns/default/sa/{sa}", os.path.join(out, proxy, "certs"))
        bootstrap = open(os.path.join(out, "frontend-sidecar", "bootstrap.json")).read() + \
            open(os.path.join(out, "frontend-sidecar", "clusters.json")).read()
        if "ROOTCA" not in bootstrap:
            raise SystemExit("the mTLS build has no ROOTCA secret reference: ISTIO_MUTUAL was not compiled")
    envoy(f"{name}-backend-sidecar", os.path.join(out, "backend-sidecar", "bootstrap.json"), ports[3])
    envoy(f"{name}-frontend-sidecar", os.path.join(out, "frontend-sidecar", "bootstrap.json"), ports[2])
    return ports[0], ports[1]


def main():
    os.makedirs(WORK, exist_ok=True)
    print(f"meshc {MESHC}\nenvoy {ENVOY} (--concurrency 1 each)\n{REQUESTS} requests per case after {WARMUP} warm-up, "
          f"one keep-alive connection, one request in flight, cases interleaved in {bench_http.ROUNDS} rounds\n", flush=True)
    try:
        echo = bench_http.start_echo(MESHC)
        plain_envoy = bench_http.minimal_envoy(ENVOY, echo)
        plain_mesh, _ = sidecars(echo, mtls=False)
        mtls_mesh, mtls_inbound = sidecars(echo, mtls=True)
        host = "backend.default.svc.cluster.local"
        cases = [("(a) direct to meshc echo", echo, "backend"),
                 ("(b) Envoy without meshc (1 proxy)", plain_envoy, "backend"),
                 ("(c) meshc sidecar -> sidecar, plain text", plain_mesh, host),
                 ("(d) meshc sidecar -> sidecar, mTLS", mtls_mesh, host)]
        for _, port, h in cases:
            wait_http(port, h)
        # (d) is mTLS for sure: the backend sidecar's STRICT port refuses a plaintext client.
        try:
            refused = Client(mtls_inbound, "backend").get() != 200
        except OSError:
            refused = True
        if not refused:
            raise SystemExit("the mTLS backend sidecar served a plaintext client: STRICT was not compiled")
        print(f"(d)'s backend sidecar refuses plain text (STRICT): yes\n", flush=True)
        results = measure_all(cases)
        by = {r["case"][:3]: r for r in results}
        print()
        print(f"  one Envoy hop over direct        p50 +{by['(b)']['p50_us'] - by['(a)']['p50_us']:.1f} us"
              f"   p99 +{by['(b)']['p99_us'] - by['(a)']['p99_us']:.1f} us")
        print(f"  two sidecars (plain) over direct p50 +{by['(c)']['p50_us'] - by['(a)']['p50_us']:.1f} us"
              f"   p99 +{by['(c)']['p99_us'] - by['(a)']['p99_us']:.1f} us")
        print(f"  mTLS over plain text, (d) - (c)  p50 {by['(d)']['p50_us'] - by['(c)']['p50_us']:+.1f} us"
              f"   p99 {by['(d)']['p99_us'] - by['(c)']['p99_us']:+.1f} us")
        with open(os.path.join(WORK, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        print(f"\nresults: {os.path.join(WORK, 'results.json')}")
    finally:
        bench_http.stop_children()


if __name__ == "__main__":
    main()
