#!/usr/bin/env bash
# The federation demo: three labs and their forum on this machine, secured as in production
# (`infra up --federation`: TLS from a CA made at set-up, SCRAM users, ACLs). It simulates a day
# of usage from three labs (--week: the default scenario's seven days), produces each lab's
# events to that lab's own cluster, runs each lab's services (`run all`) and bridge (`run
# bridge`) and the forum (`run forum`), waits until the alerts stop coming, and shows at each lab
# the alerts it receives: its local alerts and the forum's, its own accounts in clear.
#
#   scripts/demo-federation.sh [--week]
#
# The lab keys (each lab's pseudonym key) are made for the run in $out/keys.json; the forum key
# is the one `infra up --federation` made. Each run uses its own topic prefix at the labs and
# empties the forum's topics first (the forum re-reads everything it ever received). Leaves the
# federation and the services running; the last lines say how to stop them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/env.sh
source scripts/env.sh

scenario=small
days=""
if [[ "${1:-}" == "--week" ]]; then scenario=default; days="--days 7"; fi
out="${DEMO_OUT:-out/demo-federation}"
run="demo-$(date +%s)"
labs=(lab-a lab-b lab-c)
mkdir -p "$out/logs"
: > "$out/pids"
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
cli() { node services/cli/src/main.ts "$@"; }

step "infra up --federation: three lab clusters and the forum cluster"
cli infra up --federation
fed="$(cli infra status --federation --json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(require("path").dirname(s.credentialsFile))')"

step "keys: the forum key of infra up, and a pseudonym key per lab ($out/keys.json)"
node -e '
  const fs = require("fs"), crypto = require("crypto");
  const ring = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const hex = (k) => Buffer.from(k.key, "base64").toString("hex");
  const doc = { forum: { current: hex(ring.current), ...(ring.previous ? { previous: hex(ring.previous) } : {}) },
    labs: Object.fromEntries(process.argv.slice(3).map((lab) => [lab, crypto.randomBytes(32).toString("hex")])) };
  fs.writeFileSync(process.argv[2], JSON.stringify(doc, null, 2) + "\n", { mode: 0o600 });
' "$fed/forum-key.json" "$out/keys.json" "${labs[@]}"

step "simulate: scenario '$scenario', split by lab"
# shellcheck disable=SC2086
cli simulate --scenario "$scenario" --seed 7 $days --out "$out/events.ndjson" --labels "$out/labels.json"
# A day of the small scenario raises alerts only with a short warm-up; the week uses the defaults.
config=()
if [[ "$scenario" == small ]]; then
  echo '{ "scorer": { "minScore": 0.5, "warmupMs": 21600000, "confirmation": { "windows": 1 } } }' > "$out/detector.json"
  config=(--config "$out/detector.json")
fi
for lab in "${labs[@]}"; do grep -F "\"lab\":\"$lab\"" "$out/events.ndjson" > "$out/$lab.ndjson"; done

# A lab's environment: its own cluster (its env file, topics under '<lab>.<run>.') and the forum
# cluster as its principal there (the FORUM_ variables the bridge reads).
lab_env() {
  set -a
  source "$fed/$1.forum.env"
  for v in KAFKA_BROKERS KAFKA_TLS KAFKA_TLS_CA_FILE KAFKA_SASL_MECHANISM KAFKA_SASL_USERNAME KAFKA_SASL_PASSWORD; do export "FORUM_$v=${!v}"; done
  source "$fed/$1.env"
  DISTILLWATCH_TOPIC_PREFIX="$1.$run."
  DISTILLWATCH_METRICS_PORT=0
  set +a
}

for lab in "${labs[@]}"; do
  step "$lab: produce its events to its own cluster (topics '$lab.$run.')"
  (lab_env "$lab"; cli produce --input "$out/$lab.ndjson")
done

# The demo replays a day (or a week) of history as fast as each lab can read it, so the labs'
# event times drift far apart; the forum waits for the slowest (in production, where labs stream
# live, the default bound of one hour applies and a lab further behind is dead-lettered).
step "the forum: empty its topics, then run forum"
(set -a; source "$fed/admin.forum.env"; node scripts/federation-forum-reset.ts)
(set -a; source "$fed/forum.env"; DISTILLWATCH_METRICS_PORT=0; DISTILLWATCH_FORUM_MAX_LAB_LAG_MS=$((8 * 86400000)); set +a
 node services/cli/src/main.ts run forum --labs "$(IFS=,; echo "${labs[*]}")" "${config[@]}" > "$out/logs/forum.log" 2>&1 &
 echo $! >> "$out/pids")

for lab in "${labs[@]}"; do
  step "$lab: run all (aggregator, scorer) and run bridge"
  (lab_env "$lab"
   node services/cli/src/main.ts run all --federated "${config[@]}" > "$out/logs/$lab-services.log" 2>&1 &
   echo $! >> "$out/pids"
   node services/cli/src/main.ts run bridge --lab "$lab" --forum-key-file "$out/keys.json" "${config[@]}" > "$out/logs/$lab-bridge.log" 2>&1 &
   echo $! >> "$out/pids")
done

# Each lab's alert feed: local alerts and forum alerts, read back from its distillation-alerts.
feed() {
  (lab_env "$1"; cli alerts tail --from-beginning --exit-at-end "${@:2}")
}

step "waiting until no lab receives a new alert for 30 s (at most ${DEMO_WAIT_S:-900} s)"
last="" stable=0 waited=0
while (( stable < 30 && waited < ${DEMO_WAIT_S:-900} )); do
  sleep 10; waited=$((waited + 10))
  counts=""
  for lab in "${labs[@]}"; do counts+="$lab $(feed "$lab" --json 2>/dev/null | wc -l)  "; done
  if [[ "$counts" == "$last" && "$counts" != *" 0  "* ]]; then stable=$((stable + 10)); else stable=0; fi
  last="$counts"
  printf '  %4d s: %s\n' "$waited" "$counts" >&2
done

# A process's /metrics, from the address it logged at start.
metrics_of() { curl -s "$(grep -o '"url":"http://127.0.0.1:[0-9]*/metrics' "$1" | head -1 | cut -d'"' -f4)"; }
missing=0
for lab in "${labs[@]}"; do
  step "$lab receives (its own accounts in clear; forum alerts name other labs' members only as tokens)"
  feed "$lab" --max 4
  from_forum="$(metrics_of "$out/logs/$lab-bridge.log" | awk '$1 == "distillwatch_bridge_forum_alerts_in_total" { print $2 }')"
  printf '%s: %s alerts in all (first 4 above), %s of them from the forum\n' "$lab" "$(feed "$lab" --json | wc -l)" "${from_forum:-0}"
  if [[ "${from_forum:-0}" == 0 ]]; then missing=1; fi
done
forum_port="$(grep -o '"url":"http://127.0.0.1:[0-9]*' "$out/logs/forum.log" | grep -o '[0-9]*$' | head -1)"
step "the forum (its /healthz): records read, late records dead-lettered, windows scored, alerts"
curl -s "http://127.0.0.1:$forum_port/healthz"; echo

step "left running"
echo "the federation (4 Kafka nodes) and $(wc -l < "$out/pids") service processes (pids in $out/pids; logs in $out/logs)."
echo "stop the services: kill \$(cat $out/pids)    stop the federation: pnpm distillwatch infra down --federation"
if (( missing )); then echo "demo-federation: a lab received no forum alert (see $out/logs)" >&2; exit 1; fi
