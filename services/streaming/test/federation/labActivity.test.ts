import { describe, expect, it } from 'vitest';
import { LabActivity } from '../../src/federation/labActivity.ts';

describe('LabActivity (when a bridge tells the forum its lab is quiet)', () => {
  it('is quiet once nothing is unread and the stream clock stood still for the quiet time', () => {
    const a = new LabActivity(5000);
    a.observeClock(100, 0);
    expect(a.isQuiet(0, 4999)).toBe(false);
    expect(a.isQuiet(0, 5000)).toBe(true);
  });

  it('is not quiet while anything is unread, however long the clock stands still', () => {
    const a = new LabActivity(1000);
    a.observeClock(100, 0);
    expect(a.isQuiet(3, 60_000)).toBe(false);
    expect(a.isQuiet(0, 60_001)).toBe(true);
  });

  it('a busy lab that has read everything is not quiet: its clock keeps moving', () => {
    const a = new LabActivity(1000);
    for (let t = 0; t <= 10_000; t += 500) {
      expect(a.observeClock(1_000_000 + t, t)).toBe(true);
      expect(a.isQuiet(0, t)).toBe(false);
    }
  });

  it('may be quiet only once the clock stood still for the quiet time: before that, nothing unread needs counting', () => {
    const a = new LabActivity(1000);
    expect(a.mayBeQuiet(0)).toBe(true);
    a.observeClock(100, 0);
    expect(a.mayBeQuiet(999)).toBe(false);
    expect(a.isQuiet(0, 999)).toBe(false);
    expect(a.mayBeQuiet(1000)).toBe(true);
    a.observeClock(101, 1500);
    expect(a.mayBeQuiet(2000)).toBe(false);
  });

  it('a lab that never saw an event becomes quiet after the quiet time', () => {
    const a = new LabActivity(2000);
    expect(a.isQuiet(0, 10)).toBe(false);
    expect(a.isQuiet(0, 2010)).toBe(true);
  });

  it('a clock that moves again ends the quiet; one that does not move is no news', () => {
    const a = new LabActivity(1000);
    a.observeClock(5, 0);
    expect(a.isQuiet(0, 1000)).toBe(true);
    expect(a.observeClock(5, 1001)).toBe(false);
    expect(a.observeClock(6, 1002)).toBe(true);
    expect(a.isQuiet(0, 1003)).toBe(false);
  });
});
