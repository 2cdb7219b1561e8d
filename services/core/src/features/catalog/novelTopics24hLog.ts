/**
 * `novel_topics_24h_log`: the trailing day's breadth, counted only when the prompts are new
 * (see `novel_topics_log`).
 */
import { novelPart } from './novelTopicsLog.ts';

export const novelTopics24hLog = novelPart('novel_topics_24h_log', 'topics_24h_log');
