// `node scripts/federation-parity.ts`: the README's federation figures, from nothing but the
// repository. For each scenario and seed it simulates the traffic, runs central `detect` and the
// offline twin `detect --federated --forum-out` (public test keys) on the same file, evaluates
// both against the labels, and prints one markdown table: campaign recall, member recall,
// `cross_lab_split` recall, benign accounts flagged, forum bytes over input bytes, and how many
// cross-lab campaigns each lab sees as one campaign (services/evaluation campaignsPerLab.ts; the
// ones that are not are listed on stderr). Files go to out/parity/ (git-ignored); a step whose
// output is already there is not run again (delete the folder to start over): the runs of one
// scenario take tens of minutes on a shared machine. Central and federated runs go side by side.
// Usage: node scripts/federation-parity.ts [--runs default:7,default:11,default:23,wide:7,wide:11]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Labels } from '@distillwatch/simulator';
import { campaignsPerLab, type CampaignAlert } from '../services/evaluation/src/campaignsPerLab.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: 'default:7,default:11,default:23,wide:7,wide:11' } } });
const outDir = join(root, 'out', 'parity');
mkdirSync(outDir, { recursive: true });

interface Ratio { hits: number; of: number; rate: number | null }
interface Metrics { campaign_recall: Ratio; member_account_recall: Ratio; benign_flagged: Ratio; campaign_recall_by_archetype: Record<string, Ratio> }

/** Runs the CLI unless `output` exists already; resolves with its stdout. */
function cli(args: string[], output: string | null): Promise<string> {
  if (output !== null && existsSync(output)) return Promise.resolve('');
  process.stderr.write(`parity: ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'services/cli/src/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`distillwatch ${args.join(' ')} exited ${code}`))));
  });
}

const readLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as CampaignAlert);
const evaluate = async (alerts: string, labels: string) => (JSON.parse(await cli(['evaluate', '--alerts', alerts, '--labels', labels], null)) as { detector: Metrics }).detector;

async function run(scenario: string, seed: string): Promise<string[]> {
  const base = join(outDir, `${scenario}-${seed}`);
  const events = `${base}.ndjson`, labels = `${base}.labels.json`, central = `${base}.central.ndjson`;
  const federated = `${base}.federated.ndjson`, forum = `${base}.forum.ndjson`;
  if (!existsSync(labels)) await cli(['simulate', '--scenario', scenario, '--seed', seed, '--out', events, '--labels', labels], null);
  await Promise.all([
    cli(['detect', '--input', events, '--output', central], central),
    cli(['detect', '--federated', '--input', events, '--output', federated, '--forum-out', forum], federated),
  ]);
  const [c, f] = [await evaluate(central, labels), await evaluate(federated, labels)];
  const perLab = campaignsPerLab(JSON.parse(readFileSync(labels, 'utf8')) as Labels, readLines(central), readLines(federated));
  for (const p of perLab.filter((x) => !x.one)) {
    process.stderr.write(`parity: ${scenario} ${seed}: ${p.campaign_id} is not one campaign at each lab: central ${p.central.join(' ')}; ` +
      `${Object.entries(p.labs).map(([lab, ids]) => `${lab} ${ids.join(' ')}`).join('; ')}\n`);
  }
  const share = statSync(forum).size / statSync(events).size;
  const one = `${perLab.filter((p) => p.one).length}/${perLab.length}`;
  return [row(`\`${scenario}\` ${seed}`, 'central `detect`', c, '', ''), row('', 'federated: every lab\'s feed', f, `${(100 * share).toFixed(2)} %`, one)];
}

const ratio = (r: Ratio) => `${r.hits}/${r.of}`;
const split = (m: Metrics) => { const r = m.campaign_recall_by_archetype['cross_lab_split']; return r ? ratio(r) : '–'; };
const row = (what: string, who: string, m: Metrics, forum: string, one: string) =>
  `| ${what} | ${who} | ${ratio(m.campaign_recall)} | ${ratio(m.member_account_recall)} (${m.member_account_recall.rate?.toFixed(3)}) | ${split(m)} | ${ratio(m.benign_flagged)} | ${forum} | ${one} |`;

const lines = ['| scenario, seed | | campaign recall | member recall | `cross_lab_split` | benign accounts flagged | forum bytes / input bytes | one campaign at each lab |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |'];
for (const spec of values.runs.split(',')) {
  const [scenario, seed] = spec.split(':');
  if (!scenario || !seed) throw new Error(`--runs: expected scenario:seed, got "${spec}"`);
  lines.push(...await run(scenario, seed));
}
process.stdout.write(lines.join('\n') + '\n');
