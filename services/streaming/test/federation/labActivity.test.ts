import { describe, expect, it } from 'vitest';
import { LabActivity } from '../../src/federation/labActivity.ts';

describe('LabActivity (when a bridge tells the forum its lab is quiet)', () => {
  it('is quiet once nothing is unread and the stream clock stood still for the quiet time', () => {
    const a = new LabActivity(5000);
    expect(a.observe({ streamClock: 100, unread: 0, now: 0 })).toBe(false);
    expect(a.observe({ streamClock: 100, unread: 0, now: 4999 })).toBe(false);
    expect(a.observe({ streamClock: 100, unread: 0, now: 5000 })).toBe(true);
  });

  it('is not quiet while anything is unread, however long the clock stands still', () => {
    const a = new LabActivity(1000);
    a.observe({ streamClock: 100, unread: 3, now: 0 });
    expect(a.observe({ streamClock: 100, unread: 3, now: 60_000 })).toBe(false);
    expect(a.observe({ streamClock: 100, unread: 0, now: 60_001 })).toBe(true);
  });

  it('a busy lab that has read everything is not quiet: its clock keeps moving', () => {
    const a = new LabActivity(1000);
    for (let t = 0; t <= 10_000; t += 500) expect(a.observe({ streamClock: 1_000_000 + t, unread: 0, now: t })).toBe(false);
  });

  it('a lab that never saw an event becomes quiet after the quiet time', () => {
    const a = new LabActivity(2000);
    expect(a.observe({ streamClock: Number.NEGATIVE_INFINITY, unread: 0, now: 10 })).toBe(false);
    expect(a.observe({ streamClock: Number.NEGATIVE_INFINITY, unread: 0, now: 2010 })).toBe(true);
  });

  it('a clock that moves again ends the quiet', () => {
    const a = new LabActivity(1000);
    a.observe({ streamClock: 5, unread: 0, now: 0 });
    expect(a.observe({ streamClock: 5, unread: 0, now: 1000 })).toBe(true);
    expect(a.observe({ streamClock: 6, unread: 0, now: 1001 })).toBe(false);
  });
});
