import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jensenShannon, topicShares } from '../../src/features/topicMix.ts';
import type { TopicCount } from '../../src/schemas.generated.ts';
import { closeWindow, DAY, featuresOf, HOUR, hourOf, newAccount, saasPrompt, SUBJECTS, T0 } from './traffic.ts';

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

  it('counts the topics of the trailing week, so a sweep shows its breadth across days', () => {
    const sweep = newAccount();
    let last = closeWindow(sweep, hourOf(6, (i) => ({ topic: SUBJECTS[i % 2]! })));
    for (let d = 1; d < 6; d++) last = closeWindow(sweep, hourOf(6, (i) => ({ topic: SUBJECTS[2 * d + (i % 2)]! }), T0 + d * DAY));
    // The day's memory reaches back to the same hour yesterday: today's and yesterday's pair.
    expect(last.features.topics_24h_log).toBeCloseTo(Math.log1p(4));
    expect(last.features.topics_7d_log).toBeCloseTo(Math.log1p(12));
  });

  it('keeps a deep researcher narrow over the week, however busy it is', () => {
    const deep = newAccount();
    let last = closeWindow(deep, hourOf(60, (i) => ({ topic: i % 3 === 0 ? 'physics' : 'mathematics' })));
    for (let d = 1; d < 7; d++) last = closeWindow(deep, hourOf(60, (i) => ({ topic: i % 3 === 0 ? 'physics' : 'mathematics' }), T0 + d * DAY));
    expect(last.features.topics_7d_log).toBeCloseTo(Math.log1p(2));
  });

  it('forgets topics after a week, and counts at most the 16 it remembers beside the window', () => {
    const account = newAccount();
    closeWindow(account, hourOf(20, (i) => ({ topic: SUBJECTS[i]! })));
    const nextDay = closeWindow(account, hourOf(2, () => ({ topic: 'search' }), T0 + DAY));
    const nextWeek = closeWindow(account, hourOf(2, () => ({ topic: 'search' }), T0 + 8 * DAY + HOUR));
    expect(nextDay.features.topics_7d_log).toBeCloseTo(Math.log1p(17));
    expect(nextWeek.features.topics_7d_log).toBeCloseTo(Math.log1p(1));
  });

  it('counts no domain over the week where the lab labels no topic (SimHash regions are not domains)', () => {
    const unlabelled = newAccount();
    closeWindow(unlabelled, hourOf(30, (i) => ({ prompt_text: `explain ${SUBJECTS[i % 30]!} in depth, case ${i}` })));
    const record = closeWindow(unlabelled, hourOf(30, (i) => ({ prompt_text: `explain ${SUBJECTS[i % 30]!} briefly, case ${i}` }), T0 + DAY));
    expect(record.topics.length).toBeGreaterThan(1);
    expect(record.features.topics_7d_log).toBe(0);
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
