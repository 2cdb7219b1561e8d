// The shared public topic taxonomy: what a lab's own topic label becomes before it crosses to
// the forum. Labs label topics their own way ("Math", "maths", "mathematics"); the forum needs
// one vocabulary and must never receive free text, so a label is normalised, looked up (with a
// few aliases) and sent as a small integer. A label outside the taxonomy becomes OTHER_TOPIC_ID:
// the forum loses that distinction rather than receive the lab's words. The coarse SimHash
// regions `sim:00`..`sim:31` (the topic of a prompt without a label, schemas/README.md) have ids
// of their own. The list is public and append-only: an id, once given, never changes meaning
// (ids are positions; FORUM_TOPIC_TAXONOMY_VERSION moves when entries are added).
// Pure; must never send a label it does not know.

export const FORUM_TOPIC_TAXONOMY_VERSION = 1;

/** Id of every label outside the taxonomy. */
export const OTHER_TOPIC_ID = 0;

const SUBJECTS = [
  'other', 'programming', 'web-development', 'databases', 'machine-learning', 'mathematics', 'statistics', 'physics',
  'chemistry', 'biology', 'medicine', 'law', 'history', 'economics', 'finance', 'cybersecurity', 'networking',
  'operating-systems', 'devops', 'writing', 'literature', 'philosophy', 'psychology', 'linguistics', 'languages',
  'geography', 'astronomy', 'earth-science', 'engineering', 'nutrition', 'fitness', 'cooking', 'travel', 'marketing',
  'business', 'education', 'music', 'art', 'environment',
] as const;

/** Every taxonomy entry by id: the subjects, then the 32 SimHash regions. */
export const FORUM_TOPICS: readonly string[] = [
  ...SUBJECTS,
  ...Array.from({ length: 32 }, (_, i) => `sim:${i.toString(16).padStart(2, '0')}`),
];

const ALIASES: Readonly<Record<string, string>> = {
  math: 'mathematics', maths: 'mathematics', coding: 'programming', software: 'programming', ml: 'machine-learning',
  ai: 'machine-learning', legal: 'law', health: 'medicine', security: 'cybersecurity', web: 'web-development',
  sql: 'databases', stats: 'statistics', translation: 'languages',
};

const ID_OF = new Map(FORUM_TOPICS.map((name, id) => [name, id]));

/** Lower-case, NFKC, spaces and underscores as hyphens: "Machine Learning" = "machine_learning". */
export function normaliseTopicLabel(label: string): string {
  return label.normalize('NFKC').trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/** The taxonomy id of a lab's topic label (OTHER_TOPIC_ID when the taxonomy does not have it). */
export function forumTopicId(label: string): number {
  const name = normaliseTopicLabel(label);
  return ID_OF.get(ALIASES[name] ?? name) ?? OTHER_TOPIC_ID;
}
