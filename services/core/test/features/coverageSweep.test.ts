import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jensenShannon, topicShares } from '../../src/features/topicMix.ts';
import type { TopicCount } from '../../src/schemas.generated.ts';
import { closeWindow, featuresOf, HOUR, hourOf, newAccount, saasPrompt, SUBJECTS, T0 } from './traffic.ts';

describe('coverage-sweep features', () => {
  it('gives a sweep over 30 topics higher evenness than a templated product', () => {
    const sweep = featuresOf(hourOf(90, (i) => ({ topic: SUBJECTS[i % 30]! })));
    const product = featuresOf(hourOf(90, (i) => ({ topic: i % 10 === 0 ? 'support' : 'reviews' })));
    expect(sweep.topics_touched_log).toBeCloseTo(Math.log1p(30));
    expect(sweep.topic_evenness).toBeCloseTo(1);
    expect(product.topic_evenness).toBeLessThan(0.5);
  });

  it('counts topics over the trailing day, so a slow sweep shows its breadth', () => {
    const slow = newAccount();
    let last = closeWindow(slow, hourOf(3, (i) => ({ topic: SUBJECTS[i]! })));
    for (let h = 1; h < 5; h++) last = closeWindow(slow, hourOf(3, (i) => ({ topic: SUBJECTS[3 * h + i]! }), T0 + h * HOUR));
    expect(last.features.topics_touched_log).toBeCloseTo(Math.log1p(3));
    expect(last.features.topics_24h_log).toBeCloseTo(Math.log1p(15));
  });

  it('counts the topics of the trailing day, so a slow sweep shows its breadth', () => {
    const slow = newAccount();
    let last = closeWindow(slow, hourOf(2, (i) => ({ topic: SUBJECTS[i]! })));
    for (let h = 1; h < 6; h++) last = closeWindow(slow, hourOf(2, (i) => ({ topic: SUBJECTS[2 * h + i]! }), T0 + h * HOUR));
    expect(last.features.topics_touched_log).toBeCloseTo(Math.log1p(2));
    expect(last.features.topics_24h_log).toBeCloseTo(Math.log1p(12));
  });

  it('forgets topics after a day', () => {
    const account = newAccount();
    closeWindow(account, hourOf(10, () => ({ topic: 'billing' })));
    const sameDay = closeWindow(account, hourOf(10, () => ({ topic: 'search' }), T0 + HOUR));
    const nextDay = closeWindow(account, hourOf(10, () => ({ topic: 'search' }), T0 + 26 * HOUR));
    expect(sameDay.features.topics_24h_log).toBeCloseTo(Math.log1p(2));
    expect(nextDay.features.topics_24h_log).toBeCloseTo(Math.log1p(1));
  });

  it('derives coarse SimHash topics when the lab sends none', () => {
    const record = closeWindow(newAccount(), hourOf(30, (i) => ({ prompt_text: saasPrompt(i) })));
    expect(record.topics.length).toBeGreaterThan(0);
    for (const t of record.topics) expect(t.topic).toMatch(/^sim:[0-9a-f]{2}$/);
  });

  it('lists at most 32 topics, by count then name', () => {
    const many = Array.from({ length: 40 }, (_, i) => `topic-${String(i).padStart(2, '0')}`);
    const record = closeWindow(newAccount(), hourOf(80, (i) => ({ topic: i < 40 ? many[i]! : 'topic-39' })));
    expect(record.topics).toHaveLength(32);
    // Beyond 32 topics the counts are Space-Saving upper bounds: 41 true, plus at most one inherited.
    expect(record.topics[0]!.topic).toBe('topic-39');
    expect(record.topics[0]!.count).toBeGreaterThanOrEqual(41);
    expect(record.topics[0]!.count).toBeLessThanOrEqual(42);
    expect(record.features.topics_touched_log).toBeGreaterThan(Math.log1p(32));
  });
});

describe('jensenShannon of topic mixes (the scorer\'s topic_divergence)', () => {
  const topicDivergence = (p: readonly TopicCount[], q: readonly TopicCount[]) => jensenShannon(topicShares(p), topicShares(q));
  const mix = (...pairs: Array<[string, number]>): TopicCount[] => pairs.map(([topic, count]) => ({ topic, count }));

  it('is 0 for the same proportions and 1 for disjoint topics', () => {
    expect(topicDivergence(mix(['a', 1], ['b', 3]), mix(['b', 30], ['a', 10]))).toBeCloseTo(0);
    expect(topicDivergence(mix(['a', 5]), mix(['b', 5], ['c', 1]))).toBeCloseTo(1);
  });

  it('is 0 when either side has no topics', () => {
    expect(topicDivergence([], mix(['a', 1]))).toBe(0);
  });

  it('is symmetric and within [0, 1]', () => {
    const counts = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 50 })), { maxLength: 6 })
      .map((pairs) => pairs.map(([topic, count]) => ({ topic, count })));
    fc.assert(fc.property(counts, counts, (p, q) => {
      const d = topicDivergence(p, q);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(1);
      expect(d).toBeCloseTo(topicDivergence(q, p), 12);
    }));
  });
});
