"""The latency harness the hop benchmarks share (scripts/bench-mtls.py,
scripts/bench-authz.py): child processes, loopback ports below 32768, a
closed-loop HTTP/1.1 keep-alive client, interleaved rounds and percentiles.

`configure(work, requests, warmup)` first; `stop_children()` at the end."""
import json
import os
import random
import socket
import subprocess
import time

WORK, REQUESTS, WARMUP, ROUNDS = ".", 5000, 500, 5
CHILDREN = []


def configure(work, requests, warmup):
    global WORK, REQUESTS, WARMUP
    WORK, REQUESTS, WARMUP = work, requests, warmup
    os.makedirs(WORK, exist_ok=True)


def free_ports(n):
    """`n` loopback ports that accept a bind now, from 20000–32767 (the kernel hands 32768+ to clients)."""
    ports = []
    while len(ports) < n:
        port = random.randint(20000, 32767)
        if port in ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
    return ports


def spawn(name, args):
    log = open(os.path.join(WORK, name + ".log"), "w")
    child = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    CHILDREN.append(child)
    return child


def stop_children():
    for child in CHILDREN:
        child.terminate()
    for child in CHILDREN:
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()


def envoy(envoy_binary, name, bootstrap, admin):
    spawn(name, [envoy_binary, "-c", bootstrap, "--concurrency", "1", "-l", "error",
                 "--base-id", str(admin), "--disable-hot-restart"])


def start_echo(meshc):
    """`meshc echo --text backend` on a port it picks; its port."""
    log = os.path.join(WORK, "echo.log")
    child = spawn("echo", [meshc, "echo", "--text", "backend", "--listen", f"127.0.0.1:{free_ports(1)[0]}"])
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


def wait_http(port, host, seconds=20, headers=()):
    """Until GET / through `port` answers 200."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            client = Client(port, host, headers)
            if client.get() == 200:
                client.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answered 200 on port {port} (Host {host}); logs in {WORK}")


class Client:
    """HTTP/1.1 over one keep-alive connection; reconnects if the server closes."""

    def __init__(self, port, host, headers=()):
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
        self.port = port
        self.request = f"GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: meshc-bench\r\n{extra}\r\n".encode()
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
    """`cases` (label, port, host[, headers]) interleaved in ROUNDS rounds (load on a shared machine hits them alike), one connection each."""
    clients = [Client(case[1], case[2], case[3] if len(case) > 3 else ()) for case in cases]
    for client in clients:
        for _ in range(WARMUP):
            client.get()
    samples, failures = [[] for _ in cases], [0 for _ in cases]
    for _ in range(ROUNDS):
        for i, client in enumerate(clients):
            failures[i] += run(client, REQUESTS // ROUNDS, samples[i])
    results = []
    for case, client, times, failed in zip(cases, clients, samples, failures):
        client.close()
        results.append(summary(case[0], times, failed, client.reconnects))
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


def minimal_envoy(envoy_binary, echo_port):
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
    envoy(envoy_binary, "plain-envoy", path, admin)
    return listen
