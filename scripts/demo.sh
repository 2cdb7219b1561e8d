#!/usr/bin/env bash
# The end-to-end demo on a fresh machine: sets up the toolchain, starts the local Kafka broker
# and schema registry, simulates a day of API traffic from three labs with distillation
# campaigns hidden in it, streams it into Kafka as Avro, reads it back with Confluent's Python
# client, runs detection (offline, and replayed from Kafka into the alerts topic), shows the
# alerts as on-call people see them and how they compare with the labels.
# Leaves the broker running (stop it with `pnpm distillwatch infra down`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/setup-python.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

scenario="${DEMO_SCENARIO:-default}"
out=out/demo
mkdir -p "$out"
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "local Kafka broker and schema registry"
pnpm distillwatch infra up

step "simulate: scenario '$scenario' (three labs, benign look-alikes, campaigns)"
pnpm distillwatch simulate --scenario "$scenario" --seed 7 --out "$out/events.ndjson" --labels "$out/labels.json"

step "produce: ship the usage log into Kafka as Avro (usage-events)"
pnpm distillwatch produce --input "$out/events.ndjson"

step "read back with Confluent's Python client through the registry (first 2 records)"
.venv/bin/python scripts/interop/read_topic.py usage-events --max 2 | cut -c1-240

step "detect: windows, features, isolation forests, campaign linking, KYC tiers"
pnpm distillwatch detect --input "$out/events.ndjson" --output "$out/alerts.ndjson" --scores-out "$out/scores.ndjson"

step "replay: detection again, read back from Kafka (the scenario's first two days -> distillation-alerts)"
start="$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).start_time))' "$out/labels.json")"
pnpm distillwatch replay --from "$start" --to "$((start + 2 * 86400000))" --output topic:distillation-alerts

step "alerts tail: the first five alerts in the topic, as on-call people see them"
pnpm distillwatch alerts tail --from-beginning --exit-at-end --max 5

step "evaluate against the simulator's labels (report: $out/report/index.html)"
pnpm distillwatch evaluate --alerts "$out/alerts.ndjson" --labels "$out/labels.json" --report "$out/report" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);const f=(r)=>`${(100*r.rate).toFixed(1)} % (${r.hits}/${r.of})`;
for (const [name,x] of [["distillwatch",m.detector],...m.baselines.map(b=>[b.rule,b.metrics])]) console.log(`${name.padEnd(36)} campaign recall ${f(x.campaign_recall)}, benign flagged ${f(x.benign_flagged)}`);})'
