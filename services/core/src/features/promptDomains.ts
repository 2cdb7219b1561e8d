/**
 * The top-level domain of a prompt, read from its own words: for a lab that sends prompt text
 * but labels no topic, the only way to tell breadth across the capability space (what a
 * distillation sweep must cover) from depth in one field (a researcher, an analyst) over days.
 *
 * The domains group the shared public topic taxonomy (`federation/topicTaxonomy.ts`) into 21
 * coarse fields, each with a short lexicon of its distinctive terms, written from the fields
 * themselves (the subject headings of a library classification or a university prospectus),
 * never from any traffic generator's word list. A prompt's domain is the one most of its
 * lexicon words point to (the first in `DOMAINS` on a tie), or none when no word does: a
 * prompt that names no field's terms says nothing about breadth. Words are ASCII letters and
 * digits, lower-cased, hashed in place (32-bit FNV-1a, no substring), with a plural "s"
 * dropped; non-ASCII words are skipped, since the lexicon is English.
 *
 * Example: `promptDomain('Prove that the integral of a continuous function is bounded')` is
 * the index of `mathematics` plus 1 ("integral" and "continuous" are mathematics terms).
 *
 * Good at: telling one or two fields from a dozen over hundreds of prompts. Bad at: any single
 * prompt (a word out of context misleads), other languages, and jargon the lexicon lacks: a
 * week's count of domains is a coarse lower bound of breadth, read only where no label exists.
 * Pure: must never keep the text, read a clock or draw random numbers.
 */

/** The top-level domains, in bit order (at most 31, so a set of them is one 32-bit word). */
export const DOMAINS = [
  'computing', 'machine-learning', 'cybersecurity', 'mathematics', 'physics', 'chemistry', 'biology',
  'medicine', 'earth-and-environment', 'engineering', 'law', 'history', 'economics-and-finance',
  'business-and-marketing', 'philosophy', 'psychology', 'languages', 'writing-and-literature',
  'arts-and-music', 'education', 'everyday-life',
] as const;
export type Domain = (typeof DOMAINS)[number];

/** Distinctive terms of each domain (singular, lower-case ASCII; a trailing plural "s" is dropped before lookup). */
const LEXICON: Readonly<Record<Domain, readonly string[]>> = {
  computing: ['python', 'javascript', 'typescript', 'java', 'rust', 'golang', 'compiler', 'recursion', 'algorithm',
    'array', 'pointer', 'debug', 'refactor', 'api', 'sql', 'database', 'query', 'linux', 'kernel', 'docker', 'kubernetes',
    'html', 'css', 'frontend', 'backend', 'git', 'regex', 'json', 'runtime', 'thread', 'bytecode', 'hashmap', 'tcp', 'http'],
  'machine-learning': ['neural', 'transformer', 'gradient', 'backpropagation', 'overfitting', 'regularization',
    'embedding', 'classifier', 'reinforcement', 'dataset', 'hyperparameter', 'convolutional', 'llm', 'perceptron',
    'dropout', 'finetuning', 'tokenizer'],
  cybersecurity: ['encryption', 'malware', 'phishing', 'vulnerability', 'exploit', 'firewall', 'ransomware',
    'authentication', 'cryptography', 'xss', 'csrf', 'pentest', 'cve', 'cipher', 'botnet'],
  mathematics: ['integral', 'derivative', 'theorem', 'lemma', 'proof', 'polynomial', 'matrix', 'eigenvalue',
    'algebra', 'mathematics', 'math', 'statistics', 'statistical', 'calculus', 'geometry', 'topology', 'prime', 'equation', 'continuous', 'vector', 'probability',
    'variance', 'regression', 'hypothesis', 'bayesian', 'combinatoric', 'logarithm', 'triangle', 'integer'],
  physics: ['quantum', 'physics', 'relativity', 'momentum', 'velocity', 'acceleration', 'thermodynamic', 'entropy', 'photon',
    'electron', 'magnetic', 'gravity', 'gravitational', 'newton', 'friction', 'wavelength', 'galaxy', 'telescope',
    'planet', 'orbit', 'astronomy', 'cosmology', 'particle', 'optic'],
  chemistry: ['molecule', 'molecular', 'catalyst', 'oxidation', 'acid', 'chemical', 'chemistry', 'covalent', 'ionic',
    'polymer', 'isotope', 'stoichiometry', 'titration', 'organic', 'solvent', 'enzyme', 'periodic'],
  biology: ['cell', 'biology', 'genetics', 'gene', 'genetic', 'dna', 'rna', 'protein', 'evolution', 'species', 'mitochondria', 'photosynthesis',
    'organism', 'ecosystem', 'mutation', 'chromosome', 'bacteria', 'virus', 'neuron', 'microbiome'],
  medicine: ['patient', 'diagnosis', 'symptom', 'treatment', 'disease', 'clinical', 'dosage', 'surgery',
    'diabetes', 'cancer', 'infection', 'vaccine', 'antibiotic', 'cardiac', 'medication', 'therapy', 'syndrome', 'chronic'],
  'earth-and-environment': ['climate', 'carbon', 'emission', 'geology', 'earthquake', 'volcano', 'tectonic', 'erosion',
    'glacier', 'ocean', 'rainfall', 'biodiversity', 'pollution', 'renewable', 'sustainability', 'continent', 'river',
    'weather', 'geography'],
  engineering: ['circuit', 'voltage', 'resistor', 'transistor', 'torque', 'beam', 'turbine', 'mechanical',
    'structural', 'hydraulic', 'cad', 'tolerance', 'actuator', 'sensor', 'microcontroller', 'welding', 'aerospace'],
  law: ['contract', 'plaintiff', 'defendant', 'statute', 'court', 'liability', 'tort', 'jurisdiction', 'lawsuit',
    'constitution', 'constitutional', 'legal', 'attorney', 'precedent', 'copyright', 'trademark', 'patent', 'regulation',
    'gdpr', 'litigation'],
  history: ['empire', 'dynasty', 'medieval', 'revolution', 'war', 'treaty', 'ancient', 'renaissance', 'colonial',
    'century', 'monarchy', 'civilization', 'historian', 'archaeology', 'pharaoh', 'feudal'],
  'economics-and-finance': ['inflation', 'economics', 'economy', 'finance', 'financial', 'gdp', 'monetary', 'fiscal', 'stock', 'bond', 'portfolio',
    'dividend', 'equity', 'valuation', 'recession', 'tariff', 'macroeconomic', 'microeconomic', 'elasticity',
    'investment', 'mortgage', 'accounting', 'tax'],
  'business-and-marketing': ['marketing', 'brand', 'startup', 'revenue', 
    'stakeholder', 'kpi', 'advertising', 'pricing', 'negotiation', 'entrepreneur', 'seo',
    'recruiting', 'hiring'],
  philosophy: ['ethic', 'ethical', 'morality', 'moral', 'epistemology', 'metaphysic', 'utilitarianism', 'kant',
    'plato', 'aristotle', 'existentialism', 'ontology', 'consciousness', 'virtue', 'stoicism', 'philosophical'],
  psychology: ['cognitive', 'behavior', 'behaviour', 'anxiety', 'depression', 'personality', 'motivation',
    'emotion', 'emotional', 'psychological', 'therapist', 'mindfulness', 'attachment'],
  languages: ['translate', 'translation', 'grammar', 'vocabulary', 'pronunciation', 'verb', 'noun', 'tense',
    'syntax', 'phonetic', 'linguistic', 'dialect', 'spanish', 'french', 'german', 'japanese', 'mandarin', 'idiom'],
  'writing-and-literature': ['poem', 'poetry', 'novel', 'essay', 'narrative', 'metaphor', 'plot',
    'shakespeare', 'literary', 'fiction', 'rhyme', 'sonnet', 'prose', 'screenplay'],
  'arts-and-music': ['painting', 'sculpture', 'melody', 'chord', 'harmony', 'rhythm', 'symphony', 'composer',
    'guitar', 'piano', 'canvas', 'photography', 'film', 'cinema', 'museum', 'artist', 'drawing', 'jazz'],
  education: ['curriculum', 'lesson', 'teacher', 'classroom', 'homework', 'syllabus', 'pedagogy',
    'grading', 'quiz', 'tutoring', 'lecture'],
  'everyday-life': ['recipe', 'cooking', 'bake', 'ingredient', 'workout', 'exercise', 'fitness', 'diet', 'nutrition',
    'calorie', 'vacation', 'travel', 'itinerary', 'flight', 'hotel', 'garden', 'gardening', 'wedding', 'pet'],
};

/** FNV-1a 32-bit offset and prime. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Hash of a lower-case ASCII word, as `promptDomain` computes it in place. */
function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Word hash → domain index; a term listed under two domains is ambiguous and left out. */
const DOMAIN_OF: ReadonlyMap<number, number> = (() => {
  const out = new Map<number, number>();
  const ambiguous = new Set<number>();
  DOMAINS.forEach((domain, index) => {
    for (const term of LEXICON[domain]) {
      const h = wordHash(term);
      const held = out.get(h);
      if (held !== undefined && held !== index) ambiguous.add(h);
      out.set(h, index);
    }
  });
  for (const h of ambiguous) out.delete(h);
  return out;
})();

/** Hits per domain of the prompt being read (reset for every prompt; never allocated per call). */
const hits = new Int32Array(DOMAINS.length);
const S = 0x73;

/**
 * The prompt's top-level domain as its index in `DOMAINS` plus 1, or 0 when no word of the
 * text is a lexicon term.
 */
export function promptDomain(text: string): number {
  hits.fill(0);
  let any = false;
  let i = 0;
  const length = text.length;
  while (i < length) {
    let c = text.charCodeAt(i);
    if (!isAsciiWordUnit(c)) { i++; continue; }
    let h = FNV_OFFSET;
    let beforeLast = FNV_OFFSET;
    let nonAscii = false;
    while (i < length && (isAsciiWordUnit(c = text.charCodeAt(i)) || c >= 0x80)) {
      if (c >= 0x80) nonAscii = true;
      beforeLast = h;
      h = Math.imul(h ^ (c >= 0x41 && c <= 0x5a ? c + 0x20 : c), FNV_PRIME);
      i++;
    }
    if (nonAscii) continue;
    const last = text.charCodeAt(i - 1) | 0x20;
    let domain = DOMAIN_OF.get(h >>> 0);
    if (domain === undefined && last === S) domain = DOMAIN_OF.get(beforeLast >>> 0);
    if (domain !== undefined) { hits[domain]!++; any = true; }
  }
  if (!any) return 0;
  let best = 0;
  for (let d = 1; d < hits.length; d++) if (hits[d]! > hits[best]!) best = d;
  return best + 1;
}

/** ASCII letters and digits. */
function isAsciiWordUnit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** Distinct domains in a set of them (one bit per domain). */
export function domainCount(set: number): number {
  let n = 0;
  for (let s = set >>> 0; s !== 0; s &= s - 1) n++;
  return n;
}
