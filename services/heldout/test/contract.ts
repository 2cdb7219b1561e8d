// A usage-event validator written from CONTRACT.md section 2 for these tests alone (the held-out
// model must not lean on the detector's own parser): returns what is wrong with one line.
const OPTIONAL: Record<string, 'string' | 'number' | 'int' | 'boolean'> = {
  api_key_id: 'string', endpoint: 'string', temperature: 'number', top_p: 'number', max_tokens: 'int', n: 'int',
  logprobs: 'boolean', top_logprobs: 'int', reasoning_effort: 'string', prompt_text: 'string', prompt_simhash: 'string',
  topic: 'string', system_prompt_hash: 'string', ip_prefix: 'string', user_agent: 'string', payment_fingerprint: 'string',
  country: 'string', status: 'int',
};
const KNOWN = new Set(['event_id', 'event_time', 'lab', 'account_id', 'model', 'input_tokens', 'output_tokens', 'cost_usd', ...Object.keys(OPTIONAL)]);

function typeOk(v: unknown, t: 'string' | 'number' | 'int' | 'boolean'): boolean {
  if (t === 'int') return typeof v === 'number' && Number.isInteger(v);
  if (t === 'number') return typeof v === 'number' && Number.isFinite(v);
  return typeof v === t;
}

export function contractProblems(line: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return ['not JSON'];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return ['not an object'];
  const e = doc as Record<string, unknown>;
  const problems: string[] = [];
  for (const f of ['event_id', 'lab', 'account_id', 'model']) if (typeof e[f] !== 'string' || e[f] === '') problems.push(`${f}: required string`);
  const t = e['event_time'];
  if (!(typeof t === 'number' && Number.isFinite(t)) && !(typeof t === 'string' && /(Z|[+-]\d\d:\d\d)$/.test(t) && Number.isFinite(Date.parse(t)))) problems.push('event_time: epoch ms or ISO-8601 with zone');
  for (const f of ['input_tokens', 'output_tokens']) if (!typeOk(e[f], 'int') || (e[f] as number) < 0) problems.push(`${f}: non-negative int`);
  if (!typeOk(e['cost_usd'], 'number') || (e['cost_usd'] as number) < 0) problems.push('cost_usd: non-negative number');
  for (const [f, type] of Object.entries(OPTIONAL)) if (e[f] !== undefined && e[f] !== null && !typeOk(e[f], type)) problems.push(`${f}: ${type}`);
  if (e['endpoint'] !== undefined && !['chat', 'completions', 'responses', 'batch', 'embeddings'].includes(e['endpoint'] as string)) problems.push('endpoint: unknown');
  if (e['reasoning_effort'] !== undefined && !['low', 'medium', 'high'].includes(e['reasoning_effort'] as string)) problems.push('reasoning_effort: unknown');
  if (e['prompt_simhash'] !== undefined && !/^[0-9a-f]{16}$/.test(e['prompt_simhash'] as string)) problems.push('prompt_simhash: 16 lower-case hex digits');
  if (e['country'] !== undefined && !/^[A-Z]{2}$/.test(e['country'] as string)) problems.push('country: ISO-3166 alpha-2');
  for (const f of Object.keys(e)) if (!KNOWN.has(f)) problems.push(`${f}: not in the contract`);
  return problems;
}

export const eventTime = (t: unknown): number => (typeof t === 'number' ? t : Date.parse(t as string));
