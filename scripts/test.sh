#!/usr/bin/env bash
# Sets up a fresh machine and runs every test, unit and integration, against the real local
# Kafka broker and schema registry (started here, stopped on exit if this script started them).
# Fails when any test fails or is skipped: a skipped integration test proves nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/setup-python.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

started_infra=0
if ! pnpm distillwatch infra status >/dev/null 2>&1; then
  pnpm distillwatch infra up
  started_infra=1
fi
cleanup() { if [ "$started_infra" = 1 ]; then pnpm distillwatch infra down || true; fi; }
trap cleanup EXIT

mkdir -p build
pnpm typecheck
pnpm vitest run --reporter=default --reporter=json --outputFile=build/test-results.json
node scripts/check-test-results.ts build/test-results.json
