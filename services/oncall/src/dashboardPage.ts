// The dashboard's one page and its script, served as static text. The script builds every
// element with textContent (alert fields never become markup); only the server-rendered chart
// SVGs are inserted as markup. No framework, nothing fetched from elsewhere.

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>distillwatch · live alerts</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <h1>distillwatch <span>live alerts</span></h1>
  <div id="status" class="status">connecting…</div>
</header>
<section class="filters">
  <label>min severity
    <select id="severity">
      <option value="low">low</option><option value="medium">medium</option>
      <option value="high">high</option><option value="critical">critical</option>
    </select>
  </label>
  <label>lab <select id="lab"><option value="">all labs</option></select></label>
  <span id="count"></span>
</section>
<main>
  <div class="list"><table id="alerts">
    <thead><tr><th>severity</th><th>window (UTC)</th><th>subject</th><th>accounts · labs</th><th>score</th><th>30 d spend, linked</th><th>KYC</th><th>top reason</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <aside id="detail" hidden>
    <h2 id="detail-title"></h2>
    <p id="detail-summary"></p>
    <p id="verdict">Verdict on the latest alert:
      <button data-verdict="benign">benign</button> <button data-verdict="distillation">distillation</button>
      <button data-verdict="unsure">unsure</button> <span id="verdict-status"></span></p>
    <h3>Why</h3>
    <table id="reasons"><thead><tr><th>feature</th><th>value</th><th>median</th><th>percentile</th><th>share</th></tr></thead><tbody></tbody></table>
    <h3>Feature history</h3>
    <div id="charts"></div>
  </aside>
</main>
<script src="/app.js"></script>
</body>
</html>
`;

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #f6f7f9; }
header { display: flex; align-items: baseline; gap: 1em; padding: .6em 1em; background: #1d2433; color: #fff; }
header h1 { font-size: 18px; margin: 0; } header h1 span { font-weight: normal; opacity: .7; }
.status { margin-left: auto; font-size: 12px; opacity: .8; }
.filters { display: flex; gap: 1.5em; align-items: center; padding: .6em 1em; background: #fff; border-bottom: 1px solid #ddd; }
main { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 1em; padding: 1em; align-items: start; }
.list { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; }
#alerts { width: 100%; }
th, td { padding: .3em .6em; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
th { font-size: 12px; color: #666; font-weight: 600; }
#alerts tbody tr { cursor: pointer; } #alerts tbody tr:hover { background: #eef3ff; } #alerts tbody tr.selected { background: #dde7ff; }
.sev { display: inline-block; min-width: 5.5em; padding: 0 .4em; border-radius: 3px; font-weight: 600; font-size: 12px; text-transform: uppercase; text-align: center; }
.sev-low { background: #e0f2f7; color: #0b6a80; } .sev-medium { background: #fff3cd; color: #8a6100; }
.sev-high { background: #fde2e1; color: #b42318; } .sev-critical { background: #b42318; color: #fff; }
aside { background: #fff; padding: .8em 1em; border: 1px solid #ddd; border-radius: 4px; width: 540px; }
aside[hidden] { display: none; }
#detail-summary { white-space: normal; }
#reasons { width: 100%; }
aside h2 { font-size: 16px; margin: .2em 0; } aside h3 { font-size: 13px; margin: 1em 0 .3em; color: #555; }
#charts figure { margin: 0 0 .5em; } #charts svg { display: block; max-width: 100%; height: auto; }
`;

export const PAGE_SCRIPT = `'use strict';
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const alerts = new Map();
let selected = null;
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
const usd = (x) => '$' + x.toLocaleString('en-US', { maximumFractionDigits: x < 100 ? 2 : 0, minimumFractionDigits: x < 100 ? 2 : 0 });
const windowText = (a) => new Date(a.window_start).toISOString().slice(0, 16).replace('T', ' ') + '–' + new Date(a.window_end).toISOString().slice(11, 16);
const pct = (p) => 'p' + (Math.floor(p * 10) / 10);
const labsOf = (a) => [...new Set(a.accounts.map((x) => x.lab))].sort();

function visible(a) {
  if (SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf($('severity').value)) return false;
  const lab = $('lab').value;
  return lab === '' || labsOf(a).includes(lab);
}

function render() {
  const body = $('alerts').querySelector('tbody');
  body.replaceChildren();
  const list = [...alerts.values()].sort((a, b) => b.window_end - a.window_end || (a.alert_id < b.alert_id ? -1 : 1));
  let shown = 0;
  for (const a of list) {
    if (!visible(a)) continue;
    shown++;
    const tr = el('tr');
    tr.dataset.alertId = a.alert_id;
    tr.dataset.subject = a.subject_id;
    if (a.subject_id === selected) tr.className = 'selected';
    const sev = el('td'); sev.append(el('span', a.severity, 'sev sev-' + a.severity)); tr.append(sev);
    tr.append(el('td', windowText(a)), el('td', a.subject_kind + ' ' + a.subject_id),
      el('td', a.accounts.length + ' · ' + labsOf(a).join(', ')), el('td', a.score.toFixed(3)),
      el('td', usd(a.spend_usd_30d_all_labs)), el('td', a.kyc_tier));
    const r = a.reasons[0];
    tr.append(el('td', r ? r.feature + ' ' + r.value.toFixed(2) + ' vs ' + pct(r.percentile) : ''));
    tr.addEventListener('click', () => select(a.subject_id));
    body.append(tr);
  }
  $('count').textContent = shown + ' of ' + alerts.size + ' alerts';
}

function addLab(lab) {
  const options = [...$('lab').options].map((o) => o.value);
  if (!options.includes(lab)) { const o = el('option', lab); o.value = lab; $('lab').append(o); }
}

async function select(subject) {
  selected = subject;
  render();
  const response = await fetch('/api/subject?id=' + encodeURIComponent(subject), { credentials: 'same-origin' });
  if (!response.ok) return;
  const data = await response.json();
  const latest = data.alerts[data.alerts.length - 1];
  $('detail').hidden = false;
  $('verdict-status').textContent = '';
  $('detail-title').textContent = (latest ? latest.subject_kind + ' ' : '') + subject;
  $('detail-summary').textContent = latest
    ? latest.severity.toUpperCase() + ', score ' + latest.score.toFixed(3) + ' (threshold ' + latest.threshold.toFixed(3) + '), window ' + windowText(latest) + ' UTC; '
      + latest.accounts.map((x) => x.lab + '/' + x.account_id).join(', ') + '; spend ' + usd(latest.spend_usd_window) + ' this window, '
      + usd(latest.spend_usd_30d_all_labs) + ' over 30 days across linked labs; KYC ' + latest.kyc_tier + '. '
      + data.alerts.length + ' alert(s) for this subject.'
    : '';
  const reasons = $('reasons').querySelector('tbody');
  reasons.replaceChildren();
  for (const r of latest ? latest.reasons : []) {
    const tr = el('tr');
    tr.append(el('td', r.feature), el('td', r.value.toFixed(3)), el('td', r.baseline.toFixed(3)), el('td', pct(r.percentile)), el('td', Math.round(r.contribution * 100) + ' %'));
    reasons.append(tr);
  }
  const charts = $('charts');
  charts.replaceChildren();
  if (data.charts.length === 0) charts.append(el('p', 'No feature history for these accounts yet (account-features topic).'));
  for (const c of data.charts) { const f = el('figure'); f.dataset.feature = c.feature; f.innerHTML = c.svg; charts.append(f); }
}

async function judge(verdict) {
  const latest = [...alerts.values()].filter((a) => a.subject_id === selected).sort((a, b) => b.window_end - a.window_end)[0];
  if (!latest) return;
  const response = await fetch('/api/verdict', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ alert_id: latest.alert_id, verdict }) });
  $('verdict-status').textContent = response.ok ? verdict + ' recorded for ' + latest.alert_id : 'failed: ' + (await response.text());
}
for (const b of document.querySelectorAll('#verdict button')) b.addEventListener('click', () => judge(b.dataset.verdict));

$('severity').addEventListener('change', render);
$('lab').addEventListener('change', render);
const source = new EventSource('/events');
source.addEventListener('open', () => { $('status').textContent = 'live'; });
source.addEventListener('error', () => { $('status').textContent = 'reconnecting…'; });
source.addEventListener('alert', (e) => {
  const a = JSON.parse(e.data);
  alerts.set(a.alert_id, a);
  labsOf(a).forEach(addLab);
  render();
  if (a.subject_id === selected) select(selected);
});
render();
`;
