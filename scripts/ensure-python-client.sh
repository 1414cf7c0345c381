#!/usr/bin/env bash
# Makes the official Kubernetes Python client available to the end-to-end tests (PythonClientIT,
# SchemaFuzzIT): finds a python3 that imports Debian's python3-kubernetes, else (as root with apt)
# installs the package. Prints the interpreter for the tests as a shell export; exits 1 if it cannot.
set -euo pipefail

say() { echo "ensure-python-client: $*" >&2; }

# Debian's package is installed for Debian's interpreter, which a python3 earlier on PATH may hide
find_python() {
  for python in python3 /usr/bin/python3; do
    if command -v "$python" >/dev/null 2>&1 && "$python" -c 'import kubernetes' >/dev/null 2>&1; then
      command -v "$python"
      return 0
    fi
  done
  return 1
}

if ! python=$(find_python); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's python3-kubernetes"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-kubernetes) >&2 \
      || { say "apt-get install python3-kubernetes failed"; exit 1; }
    python=$(find_python) || { say "python3-kubernetes is installed but no python3 imports it"; exit 1; }
  else
    say "the tests need the Kubernetes Python client: install Debian's python3-kubernetes (apt-get install python3-kubernetes)"
    exit 1
  fi
fi
echo "export KUBEACTOR_TEST_PYTHON=$python"
