#!/usr/bin/env bash
# Sets up a fresh machine for distillwatch: Node 24 + pinned pnpm (project-local when the
# machine's Node is older), workspace dependencies. Idempotent; safe to re-run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
NODE_VERSION=24.21.0
PNPM_VERSION=10.34.9

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ ! -x .toolchain/node_modules/.bin/node ] || [ "$(.toolchain/node_modules/.bin/node --version)" != "v$NODE_VERSION" ] \
   || [ ! -x .toolchain/node_modules/.bin/pnpm ]; then
  echo "setup: installing Node $NODE_VERSION and pnpm $PNPM_VERSION into .toolchain/" >&2
  mkdir -p .toolchain
  npm install --prefix .toolchain --no-save --no-audit --no-fund --loglevel=error \
    "node@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2
fi
# shellcheck source=scripts/env.sh
source scripts/env.sh
echo "setup: node $(node --version), pnpm $(pnpm --version)" >&2
pnpm install --frozen-lockfile=false --reporter=append-only >&2
