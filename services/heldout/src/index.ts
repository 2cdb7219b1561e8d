// The held-out traffic model's public surface: generate a file and its labels, and the
// contract's prompt SimHash the withholding lab sends.
export { generateHeldout, HELDOUT_START, type HeldoutOptions, type HeldoutOutput } from './generate.ts';
export { LABELS_FORMAT, type Labels, type AccountLabel, type CampaignLabel } from './labels.ts';
export { promptSimhash, fnv1a64 } from './simhash.ts';
