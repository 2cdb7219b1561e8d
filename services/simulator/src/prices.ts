// The simulated labs: their models, list prices and what each lab puts in its usage events.
// Cost of a request = input tokens x input price + output tokens x output price (batch
// endpoint at half price), which is how the labs bill. Plain data.

export type ModelTier = 'mini' | 'main' | 'reasoning' | 'embedding';

export interface ModelPrice {
  model: string;
  tier: ModelTier;
  /** US dollars per million input tokens. */
  inputPerMillion: number;
  /** US dollars per million output tokens. */
  outputPerMillion: number;
}

export interface LabProfile {
  lab: string;
  /** Sends the prompt text itself. */
  sendsPromptText: boolean;
  /** Sends the contract's prompt SimHash instead of the text. */
  sendsPromptSimhash: boolean;
  /** Sends its own topic label. */
  sendsTopic: boolean;
  /** Writes event_time as an ISO-8601 string (the contract allows either form). */
  isoEventTime: boolean;
  models: readonly ModelPrice[];
}

export const LABS: readonly LabProfile[] = [
  {
    lab: 'lab-a', sendsPromptText: true, sendsPromptSimhash: false, sendsTopic: false, isoEventTime: false,
    models: [
      { model: 'atlas-2-mini', tier: 'mini', inputPerMillion: 0.4, outputPerMillion: 1.6 },
      { model: 'atlas-2', tier: 'main', inputPerMillion: 3, outputPerMillion: 15 },
      { model: 'atlas-2-reasoner', tier: 'reasoning', inputPerMillion: 12, outputPerMillion: 48 },
      { model: 'atlas-embed-3', tier: 'embedding', inputPerMillion: 0.1, outputPerMillion: 0 },
    ],
  },
  {
    lab: 'lab-b', sendsPromptText: true, sendsPromptSimhash: false, sendsTopic: true, isoEventTime: true,
    models: [
      { model: 'borealis-s', tier: 'mini', inputPerMillion: 0.15, outputPerMillion: 0.6 },
      { model: 'borealis-l', tier: 'main', inputPerMillion: 2.5, outputPerMillion: 10 },
      { model: 'borealis-think', tier: 'reasoning', inputPerMillion: 8, outputPerMillion: 32 },
      { model: 'borealis-embed', tier: 'embedding', inputPerMillion: 0.05, outputPerMillion: 0 },
    ],
  },
  {
    lab: 'lab-c', sendsPromptText: false, sendsPromptSimhash: true, sendsTopic: true, isoEventTime: false,
    models: [
      { model: 'cirrus-flash', tier: 'mini', inputPerMillion: 0.3, outputPerMillion: 1.2 },
      { model: 'cirrus-pro', tier: 'main', inputPerMillion: 4, outputPerMillion: 16 },
      { model: 'cirrus-deep', tier: 'reasoning', inputPerMillion: 10, outputPerMillion: 40 },
      { model: 'cirrus-embed', tier: 'embedding', inputPerMillion: 0.08, outputPerMillion: 0 },
    ],
  },
];

export const LAB_NAMES: readonly string[] = LABS.map((l) => l.lab);

export function labProfile(lab: string): LabProfile {
  const found = LABS.find((l) => l.lab === lab);
  if (!found) throw new Error(`unknown lab ${lab}`);
  return found;
}

export function modelOf(lab: string, tier: ModelTier): ModelPrice {
  const found = labProfile(lab).models.find((m) => m.tier === tier);
  if (!found) throw new Error(`lab ${lab} has no ${tier} model`);
  return found;
}

/** Billed amount in US dollars, rounded to a millionth of a dollar as labs report it. */
export function costUsd(price: ModelPrice, inputTokens: number, outputTokens: number, batch: boolean): number {
  const raw = (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1e6;
  return Math.round((batch ? raw / 2 : raw) * 1e6) / 1e6;
}
