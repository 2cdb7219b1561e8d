// The human view of an alert: who, how much and why, in a few lines an on-call person reads at
// a glance; colour only when asked for (a terminal), never in piped output.
import { describe, expect, it } from 'vitest';
import { atLeast, formatAlert, parseSeverity, percentileText, usd, windowText } from '../src/alertView.ts';
import { sampleAlert } from './sampleAlerts.ts';

describe('formatAlert', () => {
  const text = formatAlert(sampleAlert());

  it('leads with severity, subject, score against threshold, and the window in UTC', () => {
    expect(text.split('\n')[0]).toBe('HIGH      campaign campaign-e9a6425b1adaffe8  score 0.715 (threshold 0.590)  2026-03-02 12:00–13:00 UTC');
  });

  it('names the accounts and labs, the spend and the KYC tier on linked spend', () => {
    expect(text).toContain('2 accounts at lab-a, lab-b: lab-a/acct_35a441ee3727, lab-b/acct_7b6afd458ebf');
    expect(text).toContain('spend $225 this window, $473 over 30 d at one lab, $5,473 over 30 d across linked labs -> KYC review');
  });

  it('gives the top three reasons as feature value vs population percentile', () => {
    expect(text).toContain('high_effort_share 1.00 vs population p100 (median 0.00, 23 % of the score)');
    expect(text).toContain('reasoning_share 1.00 vs population p99.9');
    expect(text).toContain('rich_output_log 9.70 vs population p96.8');
    expect(text).not.toContain('topic_divergence');
  });

  it('counts accounts beyond the first few instead of listing hundreds', () => {
    const accounts = Array.from({ length: 30 }, (_, i) => ({ lab: 'lab-c', account_id: `acct-${i}` }));
    expect(formatAlert(sampleAlert({ accounts }))).toContain('30 accounts at lab-c: lab-c/acct-0, lab-c/acct-1, lab-c/acct-2, lab-c/acct-3, +26 more');
  });

  it('colours the severity only when asked', () => {
    expect(text).not.toContain('\x1b[');
    expect(formatAlert(sampleAlert(), { colour: true }).startsWith('\x1b[31mHIGH    \x1b[0m')).toBe(true);
  });
});

describe('severity order', () => {
  it('parses names case-insensitively and rejects others', () => {
    expect(parseSeverity(' Critical ')).toBe('critical');
    expect(parseSeverity('urgent')).toBeNull();
  });

  it('ranks low < medium < high < critical', () => {
    expect(atLeast('high', 'medium')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
    expect(atLeast('low', 'low')).toBe(true);
  });
});

describe('small formats', () => {
  it('shows dollars with cents only below $100', () => {
    expect(usd(12.345)).toBe('$12.35');
    expect(usd(12_345.6)).toBe('$12,346');
  });

  it('never rounds a percentile up to p100', () => {
    expect(percentileText(99.96)).toBe('p99.9');
    expect(percentileText(50)).toBe('p50');
  });

  it('writes both dates of a window that crosses midnight', () => {
    expect(windowText(Date.UTC(2026, 0, 1, 23), Date.UTC(2026, 0, 2, 1))).toBe('2026-01-01 23:00–2026-01-02 01:00 UTC');
    expect(windowText(Date.UTC(2026, 0, 1, 23), Date.UTC(2026, 0, 2, 0))).toBe('2026-01-01 23:00–00:00 UTC');
  });
});
