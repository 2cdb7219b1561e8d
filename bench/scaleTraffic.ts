// Synthetic usage logs for the scale figures of `pnpm bench`: the same per-account traffic
// shape at any number of active accounts, so that what changes between sizes is only how many
// accounts there are. Seeded (the same arguments write the same bytes); written line by line
// in event-time order. Never used for detection quality: the shape is plain, not realistic.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { SeededRandom } from '../services/core/src/index.ts';

const START_MS = Date.UTC(2026, 2, 2);
const HOUR_MS = 3_600_000;
const LABS = ['lab-a', 'lab-b', 'lab-c'];
const TOPICS = ['code', 'math', 'law', 'medicine', 'finance', 'history', 'physics', 'chemistry', 'biology', 'travel', 'cooking', 'sports'];
const AGENTS = ['python-requests/2.31', 'openai-python/1.40.0', 'node-fetch/3.3', 'curl/8.5.0', 'llamaindex/0.12.2', 'langchain/0.2.1'];
const WORDS = ('how what why explain the a of in to and for with on list compare write summarise translate describe function ' +
  'data model table error value string number file test case review contract clause tenant court patient dose symptom ' +
  'recipe oven flight hotel budget tax loan rate market stock bond energy force wave cell gene protein river war treaty ' +
  'king empire poem story essay email letter report plan schedule steps example short detailed simple quick python java ' +
  'sql regex json csv api server client cache queue thread memory speed cost risk safety quality').split(' ');

/** One account's fixed traits; every event of the account carries them. */
interface Account {
  lab: string;
  id: string;
  key: string;
  network: string;
  agent: string;
  card: string;
  topic: string;
  head: string;
}

function account(r: SeededRandom, i: number): Account {
  const hex = (r.nextUint32() >>> 0).toString(16).padStart(8, '0');
  return {
    lab: LABS[i % LABS.length]!,
    id: `acct_${i.toString(16).padStart(6, '0')}${hex}`,
    key: `key_${hex}${i}`,
    network: `10.${(i >>> 8) & 255}.${i & 255}.0/24`,
    agent: AGENTS[r.nextUint32() % AGENTS.length]!,
    card: `pf_${hex}${(i * 7919).toString(16)}`,
    topic: TOPICS[r.nextUint32() % TOPICS.length]!,
    head: `${WORDS[r.nextUint32() % WORDS.length]} ${WORDS[r.nextUint32() % WORDS.length]} ${WORDS[r.nextUint32() % WORDS.length]}`,
  };
}

function prompt(r: SeededRandom, a: Account, words: number): string {
  let text = a.head;
  for (let w = 0; w < words; w++) text += ` ${WORDS[r.nextUint32() % WORDS.length]}`;
  return `${text}?`;
}

async function writeLines(path: string, hours: number, lines: (hour: number) => string[]): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  for (let h = 0; h < hours; h++) {
    const batch = lines(h);
    count += batch.length;
    if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return count;
}

/** Event lines of one hour, in time order: each account sends `perAccount(r)` events. */
function hourOfEvents(r: SeededRandom, accounts: Account[], hour: number, perAccount: () => number, words: number): string[] {
  const events: Array<{ t: number; line: string }> = [];
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i]!;
    const n = perAccount();
    for (let k = 0; k < n; k++) {
      const t = START_MS + hour * HOUR_MS + (r.nextUint32() % HOUR_MS);
      const input = 50 + (r.nextUint32() % 2000);
      const output = 20 + (r.nextUint32() % 800);
      events.push({
        t,
        line: JSON.stringify({
          event_id: `req_${hour}_${i}_${k}`, event_time: t, lab: a.lab, account_id: a.id, api_key_id: a.key, model: 'atlas-2',
          endpoint: 'chat', input_tokens: input, output_tokens: output, cost_usd: Math.round((input * 2 + output * 8) / 100) / 10_000,
          max_tokens: 1024, prompt_text: prompt(r, a, words), topic: a.topic, ip_prefix: a.network, user_agent: a.agent,
          payment_fingerprint: a.card, country: 'US', status: 200,
        }),
      });
    }
  }
  events.sort((x, y) => x.t - y.t);
  return events.map((e) => e.line);
}

/**
 * `accounts` active accounts for `hours` hours, each sending `eventsPerHour` events an hour
 * (prompt text of about 20 words, one topic, key, card and network each). Returns the lines.
 */
export function writeSteadyTraffic(path: string, accounts: number, hours: number, eventsPerHour: number, seed: number): Promise<number> {
  const r = new SeededRandom(seed);
  const population = Array.from({ length: accounts }, (_, i) => account(r, i));
  return writeLines(path, hours, (h) => hourOfEvents(r, population, h, () => eventsPerHour, 18));
}

/** A burst of `accounts` new accounts within one hour, 1 to 5 simple events each (short prompts). */
export function writeBurst(path: string, accounts: number, seed: number): Promise<number> {
  const r = new SeededRandom(seed);
  const population = Array.from({ length: accounts }, (_, i) => account(r, i));
  return writeLines(path, 1, (h) => hourOfEvents(r, population, h, () => 1 + (r.nextUint32() % 5), 4));
}
