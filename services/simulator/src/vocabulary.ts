// The words the simulated prompts are made of: topics with their concepts, the population's
// topic popularity, and the fixed strings (user agents, countries) accounts are dressed in.
// Plain data; nothing here draws randomness.

export interface Topic {
  name: string;
  /** Relative share of ordinary (benign) traffic on this topic. */
  popularity: number;
  concepts: readonly string[];
}

const t = (name: string, popularity: number, concepts: string): Topic => ({
  name,
  popularity,
  concepts: concepts.split('|'),
});

export const TOPICS: readonly Topic[] = [
  t('programming', 14, 'recursion in python|async await in javascript|memory leaks in java services|generics in typescript|error handling in go|borrow checker in rust|unit testing with mocks|dependency injection|regular expressions for email validation|race conditions in threaded code|refactoring a long function|big o notation of nested loops'),
  t('web-development', 8, 'css grid layouts|react hooks and state|server side rendering|rest api pagination|cors errors in the browser|websocket reconnection|web accessibility for forms|http caching headers|jwt authentication|lazy loading images|form validation|single page app routing'),
  t('databases', 5, 'sql joins across three tables|database indexing strategy|transaction isolation levels|normalising a schema|postgres query plans|deadlocks in mysql|sharding a user table|time series storage|n plus one queries|foreign key constraints|window functions in sql|backup and restore'),
  t('machine-learning', 5, 'gradient descent|overfitting and regularisation|attention in transformers|cross validation|class imbalance|embedding similarity search|decision trees versus random forests|learning rate schedules|feature scaling|confusion matrix metrics|fine tuning a language model|batch normalisation'),
  t('mathematics', 5, 'the fundamental theorem of calculus|eigenvalues of a symmetric matrix|proof by induction|the pigeonhole principle|integration by parts|prime factorisation|complex numbers and roots of unity|taylor series expansions|group homomorphisms|the chain rule|modular arithmetic|linear independence of vectors'),
  t('statistics', 3, 'p values and significance|bayes theorem|confidence intervals|linear regression assumptions|the central limit theorem|survival analysis|a b test sample size|correlation versus causation|bootstrap resampling|maximum likelihood estimation|poisson processes|multiple comparisons'),
  t('physics', 3, 'newtons laws of motion|conservation of energy|the photoelectric effect|special relativity time dilation|entropy and the second law|quantum tunnelling|maxwells equations|projectile motion with drag|simple harmonic motion|fluid pressure|the doppler effect|electric circuits and ohms law'),
  t('chemistry', 2, 'balancing redox reactions|le chateliers principle|hybridisation of carbon orbitals|acid base titration|reaction kinetics and rate laws|gibbs free energy|polymerisation|electrochemical cells|organic reaction mechanisms|ideal gas law|crystal lattice structures|chromatography'),
  t('biology', 2, 'crispr gene editing|cellular respiration|the krebs cycle|natural selection|protein folding|the immune response to viruses|mitosis and meiosis|photosynthesis|enzyme inhibition|the human microbiome|neuron action potentials|dna replication'),
  t('medicine', 3, 'symptoms of iron deficiency|drug interactions with warfarin|managing type 2 diabetes|reading a blood test|migraine triggers|antibiotic resistance|vaccine schedules for children|lower back pain exercises|hypertension treatment|sleep apnea|concussion recovery|allergy testing'),
  t('law', 2, 'tenant rights when a landlord keeps a deposit|fair use of copyrighted images|non compete clauses|gdpr data subject requests|small claims court|contract breach remedies|trademark registration|employment at will|wills and probate|liability waivers|intellectual property in open source|consumer refund rights'),
  t('history', 3, 'the fall of the roman empire|causes of the first world war|the industrial revolution|the silk road trade|the french revolution|the cold war arms race|ancient egyptian dynasties|the printing press|decolonisation in africa|the meiji restoration|the black death|the american civil rights movement'),
  t('economics', 2, 'inflation and interest rates|supply and demand curves|comparative advantage|game theory and the prisoners dilemma|monetary policy|tariffs and trade wars|the tragedy of the commons|elasticity of demand|gdp measurement|labour market frictions|behavioural economics|market failures'),
  t('finance', 4, 'index funds versus active funds|compound interest|mortgage refinancing|options pricing|retirement account rules|building a household budget|bond yields|dollar cost averaging|credit scores|startup equity vesting|tax loss harvesting|emergency funds'),
  t('cybersecurity', 2, 'sql injection prevention|password hashing with salt|phishing detection|zero trust networks|tls certificate chains|cross site scripting|secure secret storage|threat modelling|ransomware response|multi factor authentication|least privilege access|log monitoring'),
  t('networking', 1, 'tcp congestion control|dns resolution|subnetting a network|bgp routing|load balancers|vpn tunnels|nat traversal|ipv6 adoption|latency versus bandwidth|http2 multiplexing|firewall rules|packet loss diagnosis'),
  t('operating-systems', 1, 'process scheduling|virtual memory and paging|file system journaling|system calls|deadlock avoidance|container namespaces|interrupt handling|memory allocators|linux permissions|kernel modules|copy on write|inter process communication'),
  t('devops', 3, 'kubernetes deployments|ci pipelines|terraform state|docker image layers|blue green deployments|monitoring with alerts|log aggregation|autoscaling policies|secrets in ci|infrastructure as code|canary releases|incident postmortems'),
  t('writing', 10, 'a cover letter for a marketing role|a polite follow up email|a wedding toast|a product description for headphones|a blog post introduction|a short story opening|a thank you note to a teacher|a linkedin summary|a complaint letter to an airline|a newsletter for a bakery|a speech for a retirement party|an apology email to a customer'),
  t('literature', 2, 'themes in pride and prejudice|symbolism in the great gatsby|the narrator of moby dick|magical realism|shakespearean sonnets|the hero journey|modernist poetry|unreliable narrators|dystopian fiction|the bildungsroman|greek tragedy|haiku structure'),
  t('philosophy', 2, 'kants categorical imperative|utilitarianism|the ship of theseus|free will and determinism|existentialism|the trolley problem|platos cave|epistemology of testimony|stoic ethics|the mind body problem|social contract theory|moral relativism'),
  t('psychology', 2, 'cognitive behavioural therapy|confirmation bias|attachment styles|the marshmallow test|procrastination|memory consolidation during sleep|motivation and rewards|impostor syndrome|burnout|the placebo effect|habit formation|social anxiety'),
  t('linguistics', 1, 'language acquisition in children|the great vowel shift|sign languages|pidgins and creoles|phonemes and allophones|syntax trees|loanwords in english|tonal languages|the sapir whorf hypothesis|morphology of verbs|dialect continua|writing systems'),
  t('languages', 4, 'spanish subjunctive|french verb conjugation|japanese particles|german cases|mandarin tones|italian pronunciation|portuguese false friends|korean honorifics|arabic script|russian aspect|english phrasal verbs|dutch word order'),
  t('geography', 1, 'plate tectonics|river deltas|climate zones|the andes mountains|population density maps|monsoon seasons|desertification|fjords|urbanisation|time zones|coral reefs|glaciers'),
  t('astronomy', 1, 'black holes|exoplanet detection|the life cycle of stars|dark matter|the cosmic microwave background|lunar phases|neutron stars|the big bang|gravitational waves|solar flares|galaxy classification|comets and asteroids'),
  t('earth-science', 1, 'earthquake magnitude scales|the water cycle|volcanic eruptions|soil erosion|ocean currents|the carbon cycle|weather fronts|mineral identification|fossil formation|ice ages|tsunamis|groundwater'),
  t('engineering', 1, 'beam deflection|heat exchangers|pid controllers|gear ratios|finite element analysis|circuit design with op amps|bridge load calculations|material fatigue|signal filtering|pump selection|stress and strain|tolerances in machining'),
  t('nutrition', 3, 'protein intake for muscle gain|intermittent fasting|vitamin d deficiency|meal prep for a week|fibre and gut health|low sodium diets|macronutrient ratios|hydration during exercise|plant based protein|sugar substitutes|eating for better sleep|keto diets'),
  t('fitness', 3, 'a beginner running plan|progressive overload|stretching routines|high intensity interval training|recovery days|a home workout without equipment|marathon tapering|improving a squat|yoga for back pain|swimming technique|cycling cadence|core strength'),
  t('cooking', 5, 'a sourdough starter|a weeknight pasta|braising short ribs|vegan lasagna|knife skills|substituting eggs in baking|a thai green curry|fermenting vegetables|making stock|a birthday cake|grilling fish|tempering chocolate'),
  t('travel', 4, 'a week in japan|packing for a cold climate|visa rules for schengen|budget travel in southeast asia|road trip in portugal|travelling with kids|jet lag|a weekend in rome|hiking in patagonia|train travel in europe|travel insurance|a honeymoon itinerary'),
  t('marketing', 3, 'a product launch plan|seo keyword research|email campaign subject lines|social media calendars|customer personas|brand positioning|influencer partnerships|conversion rate optimisation|a pricing page|content marketing|retention campaigns|press releases'),
  t('business', 3, 'a business plan for a cafe|okrs for a small team|hiring the first engineer|running effective meetings|negotiating a salary|a go to market strategy|unit economics|a board update|remote team culture|customer interviews|vendor contracts|quarterly planning'),
  t('education', 2, 'lesson plans for fractions|teaching reading to young children|study techniques for exams|flipped classrooms|grading rubrics|homeschooling schedules|college application essays|learning disabilities|classroom management|spaced repetition|online course design|parent teacher meetings'),
  t('music', 1, 'chord progressions|music theory of scales|learning guitar|home recording|the history of jazz|writing song lyrics|sight reading|synthesiser basics|orchestration|rhythm and time signatures|mixing vocals|piano practice routines'),
  t('art', 1, 'colour theory|perspective drawing|the renaissance painters|watercolour techniques|impressionism|digital illustration|sculpture materials|composition rules|modern art movements|photography exposure|calligraphy|art restoration'),
  t('environment', 1, 'carbon footprints|renewable energy storage|recycling plastics|biodiversity loss|electric vehicle batteries|climate adaptation|deforestation|water scarcity|urban heat islands|composting|air quality|sustainable fashion'),
];

export const TOPIC_NAMES: readonly string[] = TOPICS.map((x) => x.name);
export const TOPIC_POPULARITY: readonly number[] = TOPICS.map((x) => x.popularity);

/** Topics the reasoning-trace extraction campaigns (and many researchers) work on. */
export const REASONING_TOPICS: readonly string[] = ['mathematics', 'statistics', 'physics', 'programming', 'chemistry', 'machine-learning'];

export function topicByName(name: string): Topic {
  const found = TOPICS.find((x) => x.name === name);
  if (!found) throw new Error(`unknown topic ${name}`);
  return found;
}

/** Countries with their UTC offsets in hours, weighted by how much of the population they hold. */
export const COUNTRIES: readonly { code: string; utcOffset: number; weight: number }[] = [
  { code: 'US', utcOffset: -5, weight: 18 },
  { code: 'US', utcOffset: -8, weight: 12 },
  { code: 'CA', utcOffset: -5, weight: 3 },
  { code: 'BR', utcOffset: -3, weight: 4 },
  { code: 'MX', utcOffset: -6, weight: 2 },
  { code: 'GB', utcOffset: 0, weight: 7 },
  { code: 'DE', utcOffset: 1, weight: 6 },
  { code: 'FR', utcOffset: 1, weight: 5 },
  { code: 'ES', utcOffset: 1, weight: 3 },
  { code: 'NL', utcOffset: 1, weight: 2 },
  { code: 'PL', utcOffset: 1, weight: 2 },
  { code: 'NG', utcOffset: 1, weight: 2 },
  { code: 'KE', utcOffset: 3, weight: 1 },
  { code: 'IN', utcOffset: 5.5, weight: 9 },
  { code: 'SG', utcOffset: 8, weight: 2 },
  { code: 'KR', utcOffset: 9, weight: 3 },
  { code: 'JP', utcOffset: 9, weight: 4 },
  { code: 'AU', utcOffset: 10, weight: 2 },
  { code: 'VN', utcOffset: 7, weight: 2 },
  { code: 'ID', utcOffset: 7, weight: 2 },
];

/** Client user agents by kind of client. Campaigns use the same ones as everybody else. */
export const USER_AGENTS = {
  sdkPython: ['openai-python/1.54.3', 'openai-python/1.51.0', 'python-httpx/0.27.2', 'python-requests/2.32.3', 'anthropic-python/0.39.0'],
  sdkNode: ['openai-node/4.71.1', 'node-fetch/3.3.2', 'undici/6.21.0', 'axios/1.7.7'],
  browser: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15',
    'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  ],
  ide: ['vscode-assistant/1.246.0', 'jetbrains-ai/2024.3.1', 'neovim-llm/0.9.2', 'cursor-like-ide/0.43.6'],
  eval: ['lm-eval-harness/0.4.5 python-httpx/0.27.2', 'helm-runner/0.5.4', 'inspect-ai/0.3.46', 'openai-python/1.54.3'],
  agent: ['code-agent-cli/1.0.31', 'swe-agent/1.0.1 python-httpx/0.27.2', 'opendevin/0.14.2', 'aider/0.65.1'],
  server: ['langchain/0.3.7 openai-python/1.54.3', 'llamaindex/0.12.2', 'go-openai/1.36.0', 'java-http-client/21', 'ruby-openai/7.3.1'],
} as const;

/** Customer-facing apps the SaaS archetype runs: one template family each, on a narrow set of topics. */
export const SAAS_PRODUCTS: readonly { product: string; task: string; topics: readonly string[] }[] = [
  { product: 'helpdesk', task: 'Summarise the following customer support ticket in three bullet points and suggest a reply', topics: ['business', 'writing'] },
  { product: 'listing-writer', task: 'Write an engaging product description for an online shop listing with these attributes', topics: ['marketing', 'writing'] },
  { product: 'meeting-notes', task: 'Turn this meeting transcript excerpt into action items with owners and deadlines', topics: ['business'] },
  { product: 'contract-review', task: 'Extract the parties, term, renewal and termination clauses from this contract section', topics: ['law'] },
  { product: 'tutor', task: 'Explain this homework question to a ninth grade student without giving away the final answer', topics: ['education', 'mathematics'] },
  { product: 'recipe-app', task: 'Adapt this recipe to the dietary restrictions listed and rescale it for the number of servings', topics: ['cooking', 'nutrition'] },
  { product: 'travel-planner', task: 'Draft a day by day itinerary for the following trip request', topics: ['travel'] },
  { product: 'code-review-bot', task: 'Review the following pull request diff and list bugs, style problems and missing tests', topics: ['programming', 'devops'] },
  { product: 'clinical-notes', task: 'Rewrite this clinician note as a plain language summary for the patient', topics: ['medicine'] },
  { product: 'finance-digest', task: 'Summarise this earnings call excerpt for a retail investor in under 120 words', topics: ['finance', 'economics'] },
  { product: 'translation-hub', task: 'Translate the following customer message and keep the tone and formatting', topics: ['languages'] },
  { product: 'hr-assistant', task: 'Draft a job posting from these notes and flag any non inclusive wording', topics: ['business', 'writing'] },
];

/** Filler words used to vary lengths of ordinary prompts without changing their topic. */
export const FILLER = 'i am not sure but please keep it short and practical because i need this for tomorrow and i tried a few things already without luck so any help is appreciated'.split(' ');
