import { describe, expect, it } from 'vitest';
import { parseVerdictLine, parseVerdictRecord } from '../../src/verdicts/parseVerdict.ts';

const good = {
  verdict_time: '2026-03-03T10:30:00Z', alert_id: 'alert-1', subject_id: 'lab-a/acct-1',
  accounts: [{ lab: 'lab-a', account_id: 'acct-1' }], verdict: 'benign', note: 'known eval vendor', extra: 1,
};

describe('parseVerdictLine', () => {
  it('normalises times to epoch ms, fills absent optional fields with null and drops unknown fields', () => {
    const parsed = parseVerdictLine(JSON.stringify(good), 1);
    expect(parsed).toEqual({ kind: 'verdict', verdict: {
      verdict_time: Date.UTC(2026, 2, 3, 10, 30), alert_id: 'alert-1', subject_id: 'lab-a/acct-1',
      accounts: [{ lab: 'lab-a', account_id: 'acct-1' }], verdict: 'benign', analyst: null, note: 'known eval vendor', expires_at: null,
    } });
  });

  it('takes epoch milliseconds for verdict_time and expires_at', () => {
    const parsed = parseVerdictLine(JSON.stringify({ ...good, verdict_time: 1000, expires_at: 5000 }), 1);
    expect(parsed.kind === 'verdict' && [parsed.verdict.verdict_time, parsed.verdict.expires_at]).toEqual([1000, 5000]);
  });

  it('treats a whitespace-only line as blank', () => {
    expect(parseVerdictLine('  \t', 3)).toEqual({ kind: 'blank' });
  });

  it.each([
    ['{', 'invalid JSON', undefined],
    ['[1]', 'not an object', undefined],
    [JSON.stringify({ ...good, verdict_time: undefined }), 'missing field', 'verdict_time'],
    [JSON.stringify({ ...good, verdict_time: 'yesterday' }), 'unparseable time', 'verdict_time'],
    [JSON.stringify({ ...good, verdict_time: 1.5 }), 'not an integer', 'verdict_time'],
    [JSON.stringify({ ...good, subject_id: '' }), 'empty value', 'subject_id'],
    [JSON.stringify({ ...good, accounts: 'lab-a/acct-1' }), 'wrong type', 'accounts'],
    [JSON.stringify({ ...good, accounts: [{ lab: 'lab-a' }] }), 'missing field', 'accounts[0].account_id'],
    [JSON.stringify({ ...good, verdict: 'guilty' }), 'unknown verdict', 'verdict'],
    [JSON.stringify({ ...good, note: 7 }), 'wrong type', 'note'],
    [JSON.stringify({ ...good, expires_at: true }), 'wrong type', 'expires_at'],
  ])('rejects %s with reason %s naming field %s and the line', (text, reason, field) => {
    const parsed = parseVerdictLine(text, 12);
    expect(parsed.kind).toBe('rejected');
    if (parsed.kind !== 'rejected') return;
    expect(parsed.rejection).toEqual(field === undefined ? { line: 12, reason } : { line: 12, reason, field });
  });

  it('validates a record decoded from the topic like a line', () => {
    expect(parseVerdictRecord({ ...good, verdict_time: 7 }, 1).kind).toBe('verdict');
    expect(parseVerdictRecord(null, 4)).toEqual({ kind: 'rejected', rejection: { line: 4, reason: 'not an object' } });
  });
});
