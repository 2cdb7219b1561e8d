#!/usr/bin/env bash
# The end-to-end demo on a fresh machine: sets up the toolchain, starts the local Kafka broker
# and schema registry, simulates a week of API traffic from three labs with distillation
# campaigns hidden in it, streams it into Kafka as Avro, reads it back with Confluent's Python
# client, runs the streaming services (aggregator + scorer) until they have caught up, shows the
# alerts as on-call people see them, and checks them against offline `detect` and the labels.
# Each run uses its own topic prefix, so running it again never mixes data. Leaves the broker
# running (stop it with `pnpm distillwatch infra down`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/setup-python.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

scenario="${DEMO_SCENARIO:-default}"
export DISTILLWATCH_TOPIC_PREFIX="${DISTILLWATCH_TOPIC_PREFIX:-demo-$(date +%s).}"
export DISTILLWATCH_METRICS_PORT="${DISTILLWATCH_METRICS_PORT:-9464}"
out=out/demo
mkdir -p "$out"
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "local Kafka broker and schema registry (topics prefixed '$DISTILLWATCH_TOPIC_PREFIX')"
pnpm distillwatch infra up

step "simulate: scenario '$scenario' (three labs, benign look-alikes, campaigns)"
pnpm distillwatch simulate --scenario "$scenario" --seed 7 --out "$out/events.ndjson" --labels "$out/labels.json"

step "produce: ship the usage log into Kafka as Avro (usage-events)"
pnpm distillwatch produce --input "$out/events.ndjson"

step "read back with Confluent's Python client through the registry (first 2 records)"
.venv/bin/python scripts/interop/read_topic.py usage-events --max 2 | cut -c1-240

step "run all: the aggregator and scorer services, until they have caught up"
# Started with node itself (what `pnpm distillwatch` runs) so that SIGTERM reaches the service:
# pnpm does not forward signals to the process it starts.
node services/cli/src/main.ts run all > "$out/services.log" 2>&1 &
services=$!
trap 'kill -TERM "$services" 2>/dev/null || true' EXIT
metrics="http://127.0.0.1:$DISTILLWATCH_METRICS_PORT/metrics"
caught_up() {
  # Both consumer groups report zero lag on every partition, and some events went in.
  local m; m="$(curl -fsS "$metrics" 2>/dev/null)" || return 1
  echo "$m" | grep -q '^distillwatch_aggregator_events_in_total' || return 1
  echo "$m" | awk '/^distillwatch_(aggregator|scorer)_consumer_lag/ { if ($NF > 0) busy = 1; seen = 1 } END { exit !(seen && !busy) }'
}
for _ in $(seq 1 600); do
  if ! kill -0 "$services" 2>/dev/null; then echo "run all exited; see $out/services.log" >&2; exit 1; fi
  if caught_up; then break; fi
  sleep 2
done
caught_up || { echo "the services did not catch up in 20 minutes; see $out/services.log" >&2; exit 1; }
curl -fsS "$metrics" | grep -E '^distillwatch_(aggregator_events_in|aggregator_windows_closed|scorer_alerts)_total' >&2 || true

step "alerts tail: the first five alerts on distillation-alerts, as on-call people see them"
pnpm distillwatch alerts tail --from-beginning --exit-at-end --max 5

step "stop the services (SIGTERM drains and commits)"
kill -TERM "$services"; wait "$services" || true; trap - EXIT

step "streaming = offline: the alerts on the topic are detect's, for every window the stream closed"
pnpm distillwatch alerts tail --from-beginning --exit-at-end --json > "$out/stream-alerts.ndjson"
pnpm distillwatch detect --input "$out/events.ndjson" --output "$out/alerts.ndjson"
node -e '
const fs = require("fs");
const read = (f) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const stream = read(process.argv[1]), offline = read(process.argv[2]);
const last = Math.max(0, ...stream.map((a) => a.window_end));
const closed = offline.filter((a) => a.window_end <= last);
const key = (a) => JSON.stringify(a);
const same = closed.length === stream.length && closed.every((a) => stream.some((b) => key(b) === key(a)));
console.log(`${stream.length} alerts on the topic; detect: ${closed.length} for the same windows (${offline.length} in all); identical: ${same}`);
' "$out/stream-alerts.ndjson" "$out/alerts.ndjson"

step "evaluate against the simulator's labels (report: $out/report/index.html)"
pnpm distillwatch evaluate --alerts "$out/alerts.ndjson" --labels "$out/labels.json" --report "$out/report" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);const f=(r)=>`${(100*r.rate).toFixed(1)} % (${r.hits}/${r.of})`;
for (const [name,x] of [["distillwatch",m.detector],...m.baselines.map(b=>[b.rule,b.metrics])]) console.log(`${name.padEnd(36)} campaign recall ${f(x.campaign_recall)}, benign flagged ${f(x.benign_flagged)}`);})'
