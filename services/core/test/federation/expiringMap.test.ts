import { describe, expect, it } from 'vitest';
import { ExpiringMap } from '../../src/federation/expiringMap.ts';

interface Seen { end: number }

describe('ExpiringMap: entries forgotten once their end falls before a horizon', () => {
  it('forgets the entries that end before the horizon and keeps those ending at or after it, in insertion order', () => {
    const m = new ExpiringMap<string, Seen>((s) => s.end);
    m.set('a', { end: 10 });
    m.set('b', { end: 30 });
    m.set('c', { end: 20 });
    m.expire(20);
    expect([...m]).toEqual([['b', { end: 30 }], ['c', { end: 20 }]]);
    expect(m.get('a')).toBeUndefined();
    m.expire(31);
    expect(m.size).toBe(0);
  });

  it('keeps an entry set again with a later end', () => {
    const m = new ExpiringMap<string, Seen>((s) => s.end);
    m.set('a', { end: 10 });
    m.set('a', { end: 50 });
    m.expire(40);
    expect([...m.values()]).toEqual([{ end: 50 }]);
  });

  it('reads no entry when the horizon is not past the oldest end, and sweeps again once it is', () => {
    let reads = 0;
    const m = new ExpiringMap<string, Seen>((s) => { reads++; return s.end; });
    m.set('a', { end: 10 });
    m.set('b', { end: 20 });
    reads = 0;
    m.expire(5);
    m.expire(10);
    expect(reads).toBe(0);
    m.expire(11);
    expect(reads).toBe(2);
    expect([...m]).toEqual([['b', { end: 20 }]]);
    reads = 0;
    m.expire(15);
    expect(reads).toBe(0);
  });

  it('deletes on request, and a later sweep still forgets what has expired', () => {
    const m = new ExpiringMap<string, Seen>((s) => s.end);
    m.set('a', { end: 10 });
    m.set('b', { end: 12 });
    m.delete('a');
    m.expire(13);
    expect(m.size).toBe(0);
  });
});
