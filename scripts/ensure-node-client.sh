#!/usr/bin/env bash
# Makes the official Kubernetes JavaScript client available to the end-to-end tests (NodeClientIT):
# installs scripts/node-client's pinned @kubernetes/client-node and the versions its lock file names
# with npm into a cache directory of this project's own (KUBEACTOR_NODE_CLIENT_DIR, by default
# ~/.cache/kubeactor/node-client), again only when the lock file changed. Needs Node.js 20 or newer
# and npm. Prints the directory for the tests as a shell export; exits 1 if it cannot.
set -euo pipefail

say() { echo "ensure-node-client: $*" >&2; }

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/node-client" && pwd)"
DIR="${KUBEACTOR_NODE_CLIENT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeactor/node-client}"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
  || { say "the tests need Node.js 20 or newer with npm (neither node nor npm is on PATH)"; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] 2>/dev/null \
  || { say "the tests need Node.js 20 or newer for @kubernetes/client-node 1.x; found $(node --version)"; exit 1; }

if ! cmp -s "$SOURCE/package-lock.json" "$DIR/package-lock.json" || [ ! -d "$DIR/node_modules/@kubernetes/client-node" ]; then
  say "installing @kubernetes/client-node into $DIR"
  mkdir -p "$DIR"
  cp "$SOURCE/package.json" "$SOURCE/package-lock.json" "$DIR/"
  (cd "$DIR" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 \
    || { rm -f "$DIR/package-lock.json"; say "npm ci of @kubernetes/client-node into $DIR failed"; exit 1; }
fi
echo "export KUBEACTOR_TEST_NODE_CLIENT=$DIR"
