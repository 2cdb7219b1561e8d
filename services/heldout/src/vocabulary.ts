// The subject matter prompts are built from: 8 domains, 44 topics, a dozen or more terms each,
// written for this model alone. Topics carry a stable key; each lab maps keys to its own labels
// (labs.ts). It must never hold prompt templates or behaviour: only what people ask about.

export interface Topic {
  key: string;
  domain: string;
  terms: readonly string[];
}

const RAW: Record<string, Record<string, string>> = {
  science: {
    physics: 'quantum entanglement|special relativity|thermodynamic entropy|Maxwell equations|superconductivity|wave-particle duality|nuclear fusion|dark matter|semiconductor band gap|fluid turbulence|Doppler effect|angular momentum|black body radiation|Higgs boson',
    chemistry: 'covalent bonding|reaction kinetics|Le Chatelier principle|electronegativity|organic chirality|buffer solutions|oxidation states|catalysis|polymerisation|spectroscopy|Gibbs free energy|acid dissociation|crystal lattices',
    biology: 'CRISPR gene editing|mitochondrial respiration|natural selection|protein folding|cell signalling|epigenetics|photosynthesis|immune memory|horizontal gene transfer|meiosis|microbiome|circadian rhythm|enzyme inhibition',
    astronomy: 'exoplanet transits|neutron stars|cosmic microwave background|stellar nucleosynthesis|gravitational waves|galaxy rotation curves|red giants|Kuiper belt|Hubble tension|accretion discs|tidal locking|supernova classification',
    earth_science: 'plate tectonics|ocean acidification|carbon cycle|El Nino|glacial isostasy|volcanic arcs|soil erosion|aquifer recharge|monsoon dynamics|permafrost thaw|seismic waves|sediment dating',
  },
  mathematics: {
    algebra: 'group homomorphisms|eigenvalues|polynomial factorisation|ring ideals|Galois theory|linear independence|quadratic forms|matrix diagonalisation|field extensions|vector spaces|determinants|modular arithmetic',
    calculus: 'chain rule|Taylor series|improper integrals|Lagrange multipliers|divergence theorem|limits at infinity|integration by parts|partial derivatives|Fourier series|differential equations|convergence tests|Jacobian matrices',
    probability: 'Bayes theorem|central limit theorem|Markov chains|conditional expectation|Poisson processes|law of large numbers|moment generating functions|random walks|martingales|variance decomposition|hypergeometric distribution|coupon collector problem',
    statistics: 'hypothesis testing|p-values|confidence intervals|linear regression|bootstrap resampling|maximum likelihood|Bayesian priors|ANOVA|survival analysis|multiple comparisons|causal inference|time series stationarity',
    discrete_math: 'graph colouring|pigeonhole principle|recurrence relations|combinatorial proofs|spanning trees|Ramsey numbers|generating functions|Euler paths|inclusion exclusion|planar graphs|bipartite matching|Catalan numbers',
    geometry: 'non-Euclidean geometry|conic sections|manifolds|curvature|projective planes|tessellations|convex hulls|Pythagorean theorem|trigonometric identities|symmetry groups|geodesics|topology of surfaces',
  },
  computing: {
    algorithms: 'dynamic programming|Dijkstra shortest path|quicksort|hash tables|binary search trees|NP-completeness|union find|topological sort|A-star search|amortised analysis|bloom filters|suffix arrays',
    software_engineering: 'dependency injection|unit testing|code review|refactoring legacy code|continuous integration|semantic versioning|design patterns|technical debt|feature flags|monorepos|API versioning|error handling',
    machine_learning: 'gradient descent|transformer attention|overfitting|cross validation|reinforcement learning|embeddings|batch normalisation|decision trees|diffusion models|fine-tuning|knowledge distillation|contrastive learning|tokenisation',
    systems: 'virtual memory|process scheduling|TCP congestion control|consensus protocols|cache coherence|file systems|containers|load balancing|distributed transactions|garbage collection|interrupt handling|kernel modules',
    security: 'public key cryptography|SQL injection|cross-site scripting|zero trust|buffer overflows|TLS handshakes|password hashing|threat modelling|side channel attacks|OAuth flows|sandboxing|supply chain attacks',
    databases: 'query optimisation|B-tree indexes|normal forms|isolation levels|write-ahead logging|sharding|column stores|materialised views|joins|replication lag|schema migrations|vector search',
  },
  humanities: {
    history: 'the French Revolution|the Silk Road|the Industrial Revolution|the fall of Rome|the Meiji Restoration|the Cold War|decolonisation|the printing press|the Ottoman Empire|the Black Death|the Renaissance|the Treaty of Westphalia',
    philosophy: 'utilitarianism|Kant categorical imperative|free will|the problem of induction|existentialism|personal identity|virtue ethics|the mind body problem|social contract theory|epistemic justification|moral realism|philosophy of language',
    literature: 'magical realism|the unreliable narrator|Shakespearean tragedy|modernist poetry|the Victorian novel|narrative perspective|postcolonial literature|the hero journey|satire|stream of consciousness|the sonnet form|Russian realism',
    linguistics: 'phonemes|syntax trees|language acquisition|code switching|pragmatics|morphology|historical sound change|tonal languages|sociolinguistics|semantic ambiguity|pidgins and creoles|writing systems',
    art_history: 'Impressionism|Baroque architecture|the Bauhaus|Cubism|ukiyo-e prints|Gothic cathedrals|abstract expressionism|Renaissance perspective|Art Nouveau|conceptual art|Byzantine mosaics|photography as art',
  },
  business: {
    finance: 'discounted cash flow|bond duration|options pricing|portfolio diversification|working capital|leveraged buyouts|interest rate swaps|venture term sheets|credit risk|index funds|inflation hedging|capital structure',
    marketing: 'customer segmentation|brand positioning|A/B testing|conversion funnels|influencer campaigns|pricing psychology|email open rates|search engine optimisation|customer lifetime value|product launches|retention cohorts|content calendars',
    economics: 'supply and demand|monetary policy|comparative advantage|game theory|market failure|elasticity|inflation expectations|labour markets|public goods|behavioural economics|trade deficits|auction design',
    management: 'OKRs|remote team culture|performance reviews|change management|hiring pipelines|stakeholder mapping|agile ceremonies|delegation|conflict resolution|one-on-one meetings|organisational design|onboarding',
    accounting: 'accrual accounting|depreciation schedules|revenue recognition|balance sheets|cash flow statements|deferred tax|audit trails|cost allocation|inventory valuation|goodwill impairment|reconciliation|chart of accounts',
  },
  health: {
    medicine: 'type 2 diabetes|hypertension management|antibiotic resistance|migraine triggers|asthma inhalers|vaccination schedules|thyroid disorders|anaemia|sepsis recognition|chronic kidney disease|statins|atrial fibrillation',
    nutrition: 'protein intake|intermittent fasting|gut fibre|vitamin D|meal prepping|glycaemic index|hydration|plant-based diets|electrolytes|food labels|caffeine|iron absorption',
    fitness: 'progressive overload|interval training|marathon pacing|mobility routines|recovery days|kettlebell swings|VO2 max|posture|strength plateaus|stretching|heart rate zones|bodyweight workouts',
    psychology: 'cognitive behavioural therapy|attachment styles|confirmation bias|burnout|habit formation|working memory|growth mindset|anxiety coping|sleep hygiene|motivation|procrastination|mindfulness',
    public_health: 'epidemic curves|herd immunity|health equity|screening programmes|contact tracing|air pollution|tobacco control|maternal health|health literacy|disease surveillance|vaccine hesitancy|clinical trials',
  },
  law: {
    contracts: 'consideration|breach remedies|force majeure|indemnity clauses|non-compete agreements|liquidated damages|contract formation|limitation of liability|assignment clauses|termination for convenience|warranties|arbitration clauses',
    intellectual_property: 'patent claims|fair use|trademark dilution|trade secrets|copyright term|open source licences|prior art|licensing royalties|design patents|DMCA takedowns|moral rights|software patents',
    privacy_law: 'GDPR lawful basis|data subject access requests|data protection impact assessments|cookie consent|data breach notification|cross-border transfers|data minimisation|CCPA opt-out|privacy by design|data retention|pseudonymisation|children data',
    employment_law: 'wrongful dismissal|overtime rules|parental leave|workplace harassment|independent contractor status|collective bargaining|notice periods|whistleblower protection|minimum wage|redundancy|discrimination claims|remote work policies',
    corporate_law: 'fiduciary duties|shareholder agreements|mergers and acquisitions|board governance|securities disclosure|insider trading|corporate veil|bankruptcy restructuring|proxy voting|due diligence|antitrust review|dual-class shares',
  },
  everyday: {
    cooking: 'sourdough starters|knife skills|braising|fermentation|spice blending|baking soda versus powder|pasta from scratch|sous vide|stock making|caramelisation|pickling|meal planning',
    travel: 'packing light|jet lag|rail passes|travel insurance|visa applications|budget itineraries|road trips|hostels|airport layovers|travelling with kids|language apps|overtourism',
    home_garden: 'composting|tomato blight|raised beds|leaky faucets|paint finishes|indoor plants|insulation|lawn care|pruning roses|drywall repair|energy bills|pest control',
    personal_finance: 'emergency funds|credit scores|budgeting apps|retirement accounts|student loans|mortgage refinancing|side hustles|tax returns|debt snowball|insurance deductibles|saving for a car|subscription creep',
    parenting: 'toddler tantrums|screen time|bedtime routines|picky eaters|homework help|sibling rivalry|teen independence|potty training|reading aloud|school transitions|allowance|sports burnout',
    hobbies: 'chess openings|film photography|guitar chords|watercolour painting|birdwatching|board game design|knitting patterns|astronomy with binoculars|model railways|bouldering|home brewing|calligraphy',
  },
};

export const TOPICS: readonly Topic[] = Object.entries(RAW).flatMap(([domain, topics]) =>
  Object.entries(topics).map(([key, terms]) => ({ key, domain, terms: terms.split('|') })),
);

export const DOMAINS: readonly string[] = Object.keys(RAW);

export function topicsOfDomain(domain: string): Topic[] {
  return TOPICS.filter((t) => t.domain === domain);
}

export function topicByKey(key: string): Topic {
  const topic = TOPICS.find((t) => t.key === key);
  if (topic === undefined) throw new Error(`unknown topic ${key}`);
  return topic;
}
