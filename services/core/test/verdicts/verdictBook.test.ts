import { describe, expect, it } from 'vitest';
import type { AlertVerdict, Severity } from '../../src/schemas.generated.ts';
import { VerdictBook, VerdictBookFormatError, type JudgedWindow } from '../../src/verdicts/verdictBook.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2);
const end = (h: number) => T0 + h * HOUR;

function verdict(subject: string, kind: AlertVerdict['verdict'], at: number, extra: Partial<AlertVerdict> = {}): AlertVerdict {
  const accounts = subject.includes('/') ? [{ lab: subject.split('/')[0]!, account_id: subject.split('/')[1]! }] : [];
  return { verdict_time: at, alert_id: null, subject_id: subject, accounts, verdict: kind, analyst: null, note: null, expires_at: null, ...extra };
}

function window(h: number, score: number, members = 1, severity: Severity = 'low', row = [0.9, 0.9, 0.6]): JudgedWindow {
  return { windowEnd: end(h), row, score, severity, members };
}

/** Begins hour h's window and judges the subject in it; true = muted. */
function scoreHour(book: VerdictBook, subject: string, h: number, w: JudgedWindow | null): boolean {
  book.beginWindow(end(h));
  return book.judge(subject, w);
}

describe('VerdictBook', () => {
  it('mutes a benign subject only in windows that end after the verdict time', () => {
    const book = new VerdictBook();
    expect(scoreHour(book, 'lab-a/x', 1, window(1, 0.62))).toBe(false);
    book.add(verdict('lab-a/x', 'benign', end(2)));
    // The window ending exactly at verdict_time is not after it.
    expect(scoreHour(book, 'lab-a/x', 2, window(2, 0.62))).toBe(false);
    expect(scoreHour(book, 'lab-a/x', 3, window(3, 0.62))).toBe(true);
  });

  it('pages again when the score rises by the margin over the judged window', () => {
    const book = new VerdictBook();
    scoreHour(book, 'lab-a/x', 1, window(1, 0.62));
    book.add(verdict('lab-a/x', 'benign', end(1) + 30 * 60_000));
    expect(scoreHour(book, 'lab-a/x', 2, window(2, 0.66))).toBe(true);
    expect(scoreHour(book, 'lab-a/x', 3, window(3, 0.67))).toBe(false);
  });

  it('pages again when a benign campaign gains accounts', () => {
    const book = new VerdictBook();
    scoreHour(book, 'campaign-1', 1, window(1, 0.62, 3));
    book.add(verdict('campaign-1', 'benign', end(1)));
    expect(scoreHour(book, 'campaign-1', 2, window(2, 0.62, 3))).toBe(true);
    expect(scoreHour(book, 'campaign-1', 3, window(3, 0.62, 4))).toBe(false);
  });

  it('mutes an account of a benign campaign when it alerts alone', () => {
    const book = new VerdictBook();
    scoreHour(book, 'campaign-1', 1, window(1, 0.62, 2));
    book.add({ ...verdict('campaign-1', 'benign', end(1)), accounts: [{ lab: 'lab-a', account_id: 'x' }, { lab: 'lab-b', account_id: 'y' }] });
    expect(scoreHour(book, 'lab-b/y', 2, window(2, 0.6))).toBe(true);
    expect(scoreHour(book, 'lab-c/z', 2, window(2, 0.6))).toBe(false);
  });

  it('judges a subject first seen after its verdict against that first window', () => {
    const book = new VerdictBook();
    book.add(verdict('lab-a/x', 'benign', end(0)));
    expect(scoreHour(book, 'lab-a/x', 1, window(1, 0.62))).toBe(true);
    expect(scoreHour(book, 'lab-a/x', 2, window(2, 0.70))).toBe(false);
  });

  it('lets the latest verdict win, and an unsure one lift a benign mute', () => {
    const book = new VerdictBook();
    scoreHour(book, 'lab-a/x', 1, window(1, 0.62));
    book.add(verdict('lab-a/x', 'unsure', end(3)));
    book.add(verdict('lab-a/x', 'benign', end(1)));
    expect(scoreHour(book, 'lab-a/x', 2, window(2, 0.62))).toBe(true);
    expect(scoreHour(book, 'lab-a/x', 4, window(4, 0.62))).toBe(false);
  });

  it('stops applying a verdict after expires_at', () => {
    const book = new VerdictBook();
    scoreHour(book, 'lab-a/x', 1, window(1, 0.62));
    book.add(verdict('lab-a/x', 'benign', end(1), { expires_at: end(3) }));
    expect(scoreHour(book, 'lab-a/x', 3, window(3, 0.62))).toBe(true);
    expect(scoreHour(book, 'lab-a/x', 4, window(4, 0.62))).toBe(false);
  });

  it('learns from judged windows: look-alikes of benign subjects lower, of campaigns higher', () => {
    const book = new VerdictBook({ neighbours: { bandwidth: 0.05, maxShift: 0.1, minExamples: 2 } });
    const benignRow = [0.9, 0.9, 0.6];
    const campaignRow = [0.97, 0.97, 0.97];
    book.beginWindow(end(1));
    book.judge('lab-a/b', window(1, 0.62, 1, 'low', benignRow));
    book.judge('campaign-7', window(1, 0.7, 3, 'high', campaignRow));
    expect(book.shift([0.9, 0.9, 0.61])).toBe(0);
    book.add(verdict('lab-a/b', 'benign', end(1)));
    book.add(verdict('campaign-7', 'distillation', end(1)));
    book.beginWindow(end(2));
    expect(book.shift([0.9, 0.9, 0.61])).toBeLessThan(-0.04);
    expect(book.shift([0.97, 0.96, 0.97])).toBeGreaterThan(0.04);
  });

  it('gives the same book in any arrival order', () => {
    const vs = [verdict('lab-a/x', 'benign', end(1)), verdict('lab-a/x', 'distillation', end(1)), verdict('lab-b/y', 'benign', end(2))];
    const a = new VerdictBook();
    const b = new VerdictBook();
    for (const v of vs) a.add(v);
    for (const v of [...vs].reverse()) b.add(v);
    for (const book of [a, b]) { scoreHour(book, 'lab-a/x', 1, window(1, 0.6)); book.beginWindow(end(3)); }
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
  });

  it('round-trips through its versioned JSON and decides the same afterwards', () => {
    const book = new VerdictBook();
    scoreHour(book, 'lab-a/x', 1, window(1, 0.62));
    book.add(verdict('lab-a/x', 'benign', end(1)));
    book.add(verdict('lab-b/y', 'benign', end(5)));
    book.beginWindow(end(2));
    const restored = VerdictBook.fromJSON(JSON.parse(JSON.stringify(book.toJSON())));
    expect(restored.toJSON()).toEqual(book.toJSON());
    for (const b of [book, restored]) expect([scoreHour(b, 'lab-a/x', 3, window(3, 0.62)), scoreHour(b, 'lab-a/x', 4, window(4, 0.7))]).toEqual([true, false]);
  });

  it('refuses a document of another format with a typed error', () => {
    expect(() => VerdictBook.fromJSON({ format: 'other' })).toThrow(VerdictBookFormatError);
  });
});
