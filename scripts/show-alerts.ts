// Prints alerts (NDJSON) the way on-call people need them: who, how much, why. Used by the
// demo until `distillwatch alerts tail` exists. Usage: node scripts/show-alerts.ts FILE [N]
import { readFileSync } from 'node:fs';
import type { DistillationAlert } from '@distillwatch/core';

const [file, limit] = process.argv.slice(2);
if (!file) { console.error('usage: show-alerts.ts ALERTS.ndjson [N]'); process.exit(2); }
const alerts = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as DistillationAlert);
const usd = (x: number) => `$${x.toLocaleString('en-US', { maximumFractionDigits: x < 100 ? 2 : 0 })}`;
for (const a of alerts.slice(0, Number(limit ?? 5))) {
  const labs = [...new Set(a.accounts.map((x) => x.lab))].join(', ');
  console.log(`${a.severity.toUpperCase().padEnd(8)} ${a.subject_kind} ${a.subject_id}  window ${new Date(a.window_start).toISOString().slice(0, 16)}Z  score ${a.score.toFixed(3)} (threshold ${a.threshold.toFixed(3)})`);
  console.log(`         ${a.accounts.length} account(s) at ${labs}; spend ${usd(a.spend_usd_window)} this window, ${usd(a.spend_usd_30d_all_labs)} over 30 days across labs -> KYC ${a.kyc_tier}`);
  for (const r of a.reasons.slice(0, 3)) {
    console.log(`         - ${r.feature} = ${r.value.toFixed(2)} (population median ${r.baseline.toFixed(2)}, percentile ${r.percentile.toFixed(1)})`);
  }
}
console.log(`${alerts.length} alerts in ${file}`);
