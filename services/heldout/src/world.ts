// The shared state every population draws on while it is built: the time span, the scale, and
// allocators for account ids (in each lab's own format, unique within the lab) and entities.
// It must never hold events or decide behaviour.
import type { LabName } from './labs.ts';
import type { Random } from './random.ts';
import type { Request } from './account.ts';
import { textTokens } from './account.ts';
import type { Endpoint, Tier } from './labs.ts';
import type { Topic } from './vocabulary.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export class World {
  private readonly used = new Set<string>();
  private entities = 0;

  readonly start: number;
  readonly end: number;
  readonly scale: number;

  constructor(start: number, end: number, scale: number) {
    this.start = start;
    this.end = end;
    this.scale = scale;
  }

  get days(): number {
    return (this.end - this.start) / DAY;
  }

  /** How many members a population of nominal size n gets at this scale (at least 1). */
  count(n: number): number {
    return Math.max(1, Math.round(n * this.scale));
  }

  accountId(rng: Random, lab: LabName): string {
    for (;;) {
      const id = lab === 'lab-a' ? `acct_${rng.hex(10)}` : lab === 'lab-b' ? `org-${rng.hex(8).toUpperCase()}` : `c${rng.int(1_000_000, 9_999_999)}`;
      if (!this.used.has(`${lab}/${id}`)) {
        this.used.add(`${lab}/${id}`);
        return id;
      }
    }
  }

  entity(prefix: string): string {
    this.entities++;
    return `${prefix}-${String(this.entities).padStart(5, '0')}`;
  }
}

/** A lab for a benign customer: the market shares of the three labs. */
export function marketLab(rng: Random): LabName {
  return (['lab-a', 'lab-b', 'lab-c'] as const)[rng.weighted([45, 30, 25])] as LabName;
}

/** Completion length: log-normal around the median, cut by max_tokens when one is set. */
export function answerTokens(rng: Random, median: number, sigma: number, maxTokens?: number): number {
  const t = Math.max(1, Math.round(rng.logNormal(median, sigma)));
  return maxTokens === undefined ? t : Math.min(t, maxTokens);
}

/** A request whose input is the prompt plus `context` tokens (system prompt, documents, code). */
export function ask(tier: Tier, endpoint: Endpoint, prompt: string, topic: Topic | null, context: number, output: number, extra: Partial<Request> = {}): Request {
  return { tier, endpoint, prompt, topic, inputTokens: textTokens(prompt) + Math.max(0, Math.round(context)), outputTokens: output, ...extra };
}
