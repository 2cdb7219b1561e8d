/**
 * What the feature extractors need to know about one prompt, read once per event: its
 * SimHash (CONTRACT.md section 2, for near-duplicate clusters), its template fingerprint (for
 * template reuse and the cross-account template sketch) and whether it asks for step-by-step
 * reasoning (elicitation). The text is read, reduced to these few numbers and dropped: no
 * prompt text is ever kept in account state or written to any output.
 *
 * Cost matters: this runs on every event of `detect` and the aggregator. The SimHash pass is
 * the expensive part (`events/simhash.ts`); the template and elicitation checks only look at
 * the first and last words and run one precompiled case-insensitive pattern. Words made of
 * ASCII letters and digits (nearly all of them) are read and lower-cased in place; anything
 * else goes through the Unicode pattern and `toLowerCase`, with the same result.
 * Must never use a clock or randomness: equal events give equal facts on every machine.
 */
import type { UsageEvent } from '../schemas.generated.ts';
import { promptSimHashParts, simHashFromHex } from '../events/simhash.ts';
import { mix32 } from '../sketches/hashing.ts';
import { preparedPromptFacts } from '../events/preparedEvent.ts';
import { latestVocabularySample } from './vocabularySample.ts';

export interface PromptFacts {
  /** Whether a SimHash is known: prompt text or the lab's `prompt_simhash`. */
  hasSimHash: boolean;
  simHashHi: number;
  simHashLo: number;
  /** Whether a template fingerprint is known: prompt text or a system-prompt hash. */
  hasTemplate: boolean;
  templateHi: number;
  templateLo: number;
  /** Whether the prompt text was available (elicitation phrasing can only be read from text). */
  hasText: boolean;
  /** The prompt asks for step-by-step reasoning or a full explanation. */
  asksForReasoning: boolean;
  /** A few of the prompt's words for vocabulary breadth (`vocabularySample.ts`); 0 without text. */
  vocabulary: number;
}

/**
 * Phrasings that ask a model to lay out its reasoning: the answers are the most valuable
 * distillation targets. Deliberately short and literal; case-insensitive.
 */
export const REASONING_REQUEST =
  /step[\s-]*by[\s-]*step|\b(?:each|every|all(?:\s+the)?(?:\s+intermediate)?)\s+steps?\b|explain\s+(?:your|the)\s+reasoning|show\s+(?:all\s+)?(?:your\s+)?(?:work|reasoning)\b|chain[\s-]+of[\s-]+(?:thought|reasoning)|reasoning\s+behind|walk\s+(?:me\s+)?through|explain\s+in\s+(?:full\s+)?detail|(?:detailed|full|complete|thorough)\s+explanation|(?:fully\s+)?worked\s+(?:example|solution)|justify\s+your\s+answer|reason\s+(?:carefully\s+)?through|think\s+(?:carefully|it\s+through)/i;

/**
 * Every REASONING_REQUEST phrasing contains one of these words ("expla" covers "explain" and
 * "explanation"), so a text without any cannot match: this plainer pattern, with the same
 * flag and so the same case folding, rules out most prompts in less time than the full one.
 */
const REASONING_WORD = /step|reason|expla|work|thought|walk|justify|think/i;

/** Words at the start and at the end of a prompt that make up its template fingerprint. */
export const TEMPLATE_HEAD_WORDS = 3;
export const TEMPLATE_TAIL_WORDS = 2;

const WORD = /[\p{L}\p{N}]+/gu;
const WORD_UNIT = /[\p{L}\p{N}]/u;
// How far from the end the tail words are looked for; a template's closing words are short.
const TAIL_WINDOW = 160;

const NONE: PromptFacts = Object.freeze({
  hasSimHash: false, simHashHi: 0, simHashLo: 0,
  hasTemplate: false, templateHi: 0, templateLo: 0,
  hasText: false, asksForReasoning: false, vocabulary: 0,
});

/** Facts about an event's prompt: from its text when present (the text wins), else from the
 * lab's `prompt_simhash` and `system_prompt_hash`. */
export function promptFactsOf(event: UsageEvent): PromptFacts {
  // Analysed already by a parse worker (`detect --threads`): the text is not here any more.
  const prepared = preparedPromptFacts(event);
  if (prepared !== undefined) return prepared;
  const text = event.prompt_text;
  if (text != null) return analysePrompt(text, event.system_prompt_hash ?? null);
  const hex = event.prompt_simhash;
  const system = event.system_prompt_hash;
  if (hex == null && system == null) return NONE;
  const sim = hex != null ? simHashFromHex(hex) : null;
  if (system != null) templateFingerprint('', system);
  return {
    hasSimHash: sim !== null, simHashHi: sim?.hi ?? 0, simHashLo: sim?.lo ?? 0,
    hasTemplate: system != null, templateHi: system != null ? outHi : 0, templateLo: system != null ? outLo : 0,
    hasText: false, asksForReasoning: false, vocabulary: 0,
  };
}

/** Facts about a prompt text (and the hash of the system prompt it was sent with, if any). */
export function analysePrompt(text: string, systemPromptHash: string | null = null): PromptFacts {
  const sim = promptSimHashParts(text);
  const vocabulary = latestVocabularySample();
  templateFingerprint(text, systemPromptHash);
  return {
    hasSimHash: true, simHashHi: sim.hi, simHashLo: sim.lo,
    hasTemplate: true, templateHi: outHi, templateLo: outLo,
    hasText: true, asksForReasoning: REASONING_WORD.test(text) && REASONING_REQUEST.test(text), vocabulary,
  };
}

// Result of the latest `templateFingerprint`, read right after the call (no allocation).
let outHi = 0;
let outLo = 0;
let fnvHi = 0;
let fnvLo = 0;

/**
 * The template fingerprint: 64-bit FNV-1a over the first three and the last two words of the
 * prompt (lower-cased; words as in the SimHash: runs of letters or digits), a separator, and
 * the system-prompt hash; then mixed so that bottom-k sketches of it are uniform samples.
 * "Summarise this review: ... Answer in JSON." keeps one fingerprint whatever the review says;
 * tail words are only taken after the head words, so a short prompt is not counted twice.
 */
function templateFingerprint(text: string, systemPromptHash: string | null): void {
  startFnv();
  let headEnd = foldAsciiHead(text);
  if (headEnd < 0) {
    // A non-ASCII character among the head words: start again with the Unicode rules.
    startFnv();
    headEnd = foldUnicodeHead(text);
  }
  foldUnit(0x7c);
  foldTail(text, Math.max(headEnd, text.length - TAIL_WINDOW));
  foldUnit(0x7c);
  if (systemPromptHash !== null) for (let i = 0; i < systemPromptHash.length; i++) foldUnit(systemPromptHash.charCodeAt(i));
  // Two Feistel rounds of mix32 spread FNV's weak low bits over the whole 64 bits (a bijection).
  const lo = mix32((fnvLo ^ mix32(fnvHi)) >>> 0);
  outHi = mix32((fnvHi ^ lo) >>> 0);
  outLo = lo;
}

function startFnv(): void {
  fnvHi = 0xcbf29ce4 | 0;
  fnvLo = 0x84222325 | 0;
}

/**
 * Folds the first TEMPLATE_HEAD_WORDS words when they and the separators before them are
 * ASCII, without a regular expression or a substring; returns where the last one ends (0 when
 * there is none), or -1 as soon as a non-ASCII character could belong to a head word.
 */
function foldAsciiHead(text: string): number {
  const length = text.length;
  let i = 0;
  let headEnd = 0;
  for (let w = 0; w < TEMPLATE_HEAD_WORDS; w++) {
    let c = 0;
    while (i < length && !isAsciiWordUnit(c = text.charCodeAt(i))) {
      if (c >= 0x80) return -1;
      i++;
    }
    if (i === length) break;
    const start = i;
    while (i < length && isAsciiWordUnit(c = text.charCodeAt(i))) i++;
    // The word might go on with a non-ASCII letter ("café").
    if (i < length && c >= 0x80) return -1;
    foldAsciiWord(text, start, i);
    headEnd = i;
  }
  return headEnd;
}

/** The head words by the Unicode word pattern (the SimHash's tokens). */
function foldUnicodeHead(text: string): number {
  WORD.lastIndex = 0;
  let headEnd = 0;
  for (let w = 0; w < TEMPLATE_HEAD_WORDS; w++) {
    const m = WORD.exec(text);
    if (m === null) break;
    foldWord(m[0]);
    headEnd = WORD.lastIndex;
  }
  return headEnd;
}

/** Folds the last TEMPLATE_TAIL_WORDS words found in text[from..] into the fingerprint. */
function foldTail(text: string, from: number): void {
  // Scan backwards: the tail words are near the end, wherever the prompt is long.
  let end = text.length;
  const starts: number[] = [];
  const ends: number[] = [];
  while (starts.length < TEMPLATE_TAIL_WORDS && end > from) {
    while (end > from && !isWordUnit(text.charCodeAt(end - 1))) end--;
    let start = end;
    while (start > from && isWordUnit(text.charCodeAt(start - 1))) start--;
    if (start === end) break;
    starts.push(start);
    ends.push(end);
    end = start;
  }
  for (let w = starts.length - 1; w >= 0; w--) foldWordAt(text, starts[w]!, ends[w]!);
}

/** Folds the word text[start..end): in place when it is ASCII, else through `foldWord`. */
function foldWordAt(text: string, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      foldWord(text.slice(start, end));
      return;
    }
  }
  foldAsciiWord(text, start, end);
}

/** ASCII letters and digits: what the word pattern matches below U+0080. */
function isAsciiWordUnit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** `foldWord` of an ASCII word, lower-casing A-Z as `toLowerCase` does. */
function foldAsciiWord(text: string, start: number, end: number): void {
  foldUnit(0x20);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    foldUnit(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
}

function isWordUnit(c: number): boolean {
  if (c < 0x80) return isAsciiWordUnit(c);
  // Surrogate halves: astral letters (and the rare astral symbol) stay inside a word.
  if (c >= 0xd800 && c <= 0xdfff) return true;
  return WORD_UNIT.test(String.fromCharCode(c));
}

function foldWord(word: string): void {
  const lower = word.toLowerCase();
  foldUnit(0x20);
  for (let i = 0; i < lower.length; i++) foldUnit(lower.charCodeAt(i));
}

function foldUnit(unit: number): void {
  // 64-bit FNV-1a step in two 32-bit halves; prime 0x100000001b3 = 2^40 + 0x1b3. In integers
  // as in events/simhash.ts: lo * 0x1b3 by 16-bit halves gives the carry into `hi`. The
  // halves are kept as signed 32-bit values (`| 0`): unsigned ones above 2^31 would be boxed
  // as heap numbers on every store to these module variables.
  const lo = fnvLo ^ unit;
  const carry = ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16;
  fnvHi = (Math.imul(fnvHi, 0x1b3) + carry + (lo << 8)) | 0;
  fnvLo = Math.imul(lo, 0x1b3);
}
