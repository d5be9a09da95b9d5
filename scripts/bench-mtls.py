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
import socket
import subprocess
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

MESHC, ENVOY, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
REQUESTS = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
WARMUP = int(sys.argv[5]) if len(sys.argv) > 5 else 500
CHILDREN = []


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def spawn(name, args):
    log = open(os.path.join(WORK, name + ".log"), "w")
    child = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    CHILDREN.append(child)
    return child


def wait_http(port, host, seconds=20):
    """Until GET / through `port` answers 200."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            client = Client(port, host)
            if client.get() == 200:
                client.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answered 200 on port {port} (Host {host}); logs in {WORK}")


class Client:
    """HTTP/1.1 over one keep-alive connection; reconnects if the server closes."""

    def __init__(self, port, host):
        self.port, self.request = port, f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: bench-mtls\r\n\r\n".encode()
        self.sock, self.buf, self.reconnects = None, b"", 0

    def connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def get(self):
        if self.sock is None:
            self.connect()
        self.sock.sendall(self.request)
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("connection closed")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("connection closed")
            rest += chunk
        self.buf = rest[length:]
        if close:
            self.close()
            self.reconnects += 1
        return status


ROUNDS = 5


def run(client, count, samples):
    """`count` timed requests on `client`; the number that did not answer 200."""
    failures, clock = 0, time.perf_counter_ns
    for _ in range(count):
        start = clock()
        status = client.get()
        samples.append(clock() - start)
        failures += status != 200
    return failures


def measure_all(cases):
    """The cases interleaved in ROUNDS rounds (load on a shared machine hits them alike), one connection each."""
    clients = [Client(port, host) for _, port, host in cases]
    for client in clients:
        for _ in range(WARMUP):
            client.get()
    samples, failures = [[] for _ in cases], [0 for _ in cases]
    for _ in range(ROUNDS):
        for i, client in enumerate(clients):
            failures[i] += run(client, REQUESTS // ROUNDS, samples[i])
    results = []
    for (label, _, _), client, times, failed in zip(cases, clients, samples, failures):
        client.close()
        results.append(summary(label, times, failed, client.reconnects))
    return results


def summary(label, samples, failures, reconnects):
    samples.sort()
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] / 1000.0
    result = {"case": label, "p50_us": pick(0.50), "p90_us": pick(0.90), "p99_us": pick(0.99),
              "mean_us": sum(samples) / len(samples) / 1000.0, "requests": len(samples),
              "non_200": failures, "reconnects": reconnects}
    print(f"  {label:<44} p50 {result['p50_us']:8.1f} us   p99 {result['p99_us']:8.1f} us"
          f"   mean {result['mean_us']:8.1f} us   non-200 {failures}", flush=True)
    return result


def start_echo():
    log = os.path.join(WORK, "echo.log")
    child = spawn("echo", [MESHC, "echo", "--text", "backend", "--listen", "127.0.0.1:0"])
    deadline = time.time() + 15
    while time.time() < deadline:
        text = open(log).read()
        marker = "meshc echo: listening on "
        if marker in text:
            address = text.split(marker, 1)[1].split()[0]
            return int(address.rsplit(":", 1)[1])
        if child.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"meshc echo did not start: {open(log).read()}")


def minimal_envoy(echo_port):
    """(b): a static bootstrap written by hand, no meshc involved."""
    listen, admin = free_ports(2)
    bootstrap = {
        "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": admin}}},
        "static_resources": {
            "listeners": [{
                "name": "plain", "address": {"socket_address": {"address": "127.0.0.1", "port_value": listen}},
                "filter_chains": [{"filters": [{
                    "name": "envoy.filters.network.http_connection_manager",
                    "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                        "stat_prefix": "plain",
                        "route_config": {"virtual_hosts": [{"name": "all", "domains": ["*"],
                                                            "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "echo"}}]}]},
                        "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
                            "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}],
                    }}]}],
            }],
            "clusters": [{
                "name": "echo", "type": "STATIC", "connect_timeout": "1s",
                "load_assignment": {"cluster_name": "echo", "endpoints": [{"lb_endpoints": [{"endpoint": {
                    "address": {"socket_address": {"address": "127.0.0.1", "port_value": echo_port}}}}]}]},
            }],
        },
    }
    folder = os.path.join(WORK, "plain-envoy")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "bootstrap.json")
    with open(path, "w") as f:
        json.dump(bootstrap, f, indent=1)
    envoy("plain-envoy", path, admin)
    return listen


def envoy(name, bootstrap, admin):
    spawn(name, [ENVOY, "-c", bootstrap, "--concurrency", "1", "-l", "error",
                 "--base-id", str(admin), "--disable-hot-restart"])


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
    build = subprocess.run([MESHC, "build", "--out", out, source], capture_output=True, text=True)
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
          f"one keep-alive connection, one request in flight, cases interleaved in {ROUNDS} rounds\n", flush=True)
    try:
        echo = start_echo()
        plain_envoy = minimal_envoy(echo)
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
        for child in CHILDREN:
            child.terminate()
        for child in CHILDREN:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    main()
