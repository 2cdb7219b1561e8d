// Where accounts come from on the network and how they pay: residential ISP prefixes (shared by
// chance, as CGNAT does), corporate ranges, cloud egress ranges that many unrelated startups
// share, residential proxies, SDK and browser user agents, and home countries with their
// UTC offsets. It must never link accounts by itself: sharing is decided by the populations.
import type { Random } from './random.ts';

export interface Home {
  country: string;
  tz: number;
}

const HOMES: readonly (Home & { weight: number })[] = [
  { country: 'US', tz: -5, weight: 22 }, { country: 'US', tz: -8, weight: 14 }, { country: 'US', tz: -6, weight: 6 },
  { country: 'GB', tz: 0, weight: 8 }, { country: 'DE', tz: 1, weight: 7 }, { country: 'FR', tz: 1, weight: 5 },
  { country: 'IN', tz: 5.5, weight: 9 }, { country: 'JP', tz: 9, weight: 5 }, { country: 'BR', tz: -3, weight: 5 },
  { country: 'CA', tz: -5, weight: 4 }, { country: 'AU', tz: 10, weight: 3 }, { country: 'SG', tz: 8, weight: 3 },
  { country: 'KR', tz: 9, weight: 3 }, { country: 'NL', tz: 1, weight: 3 }, { country: 'PL', tz: 1, weight: 2 },
  { country: 'NG', tz: 1, weight: 2 }, { country: 'MX', tz: -6, weight: 2 }, { country: 'ES', tz: 1, weight: 2 },
];

export function drawHome(rng: Random): Home {
  const h = HOMES[rng.weighted(HOMES.map((x) => x.weight))] as Home;
  return { country: h.country, tz: h.tz };
}

/** A consumer ISP prefix: drawn from a finite pool, so unrelated households sometimes share one. */
export function residentialPrefix(rng: Random): string {
  return `${rng.pick([24, 47, 68, 73, 76, 81, 86, 92, 98, 109, 151, 176, 188])}.${rng.int(0, 255)}.${rng.int(0, 63)}.0/24`;
}

/** A company's own range. */
export function corporatePrefix(rng: Random): string {
  return `${rng.int(128, 199)}.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24`;
}

/** Cloud egress: few ranges, shared by every tenant that runs in the region. */
export const CLOUD_PREFIXES: readonly string[] = Array.from({ length: 24 }, (_, i) => `${[3, 18, 34, 35, 52][i % 5]}.${(i * 37) % 256}.${(i * 11) % 64}.0/24`);

export function cloudPrefix(rng: Random): string {
  return rng.pick(CLOUD_PREFIXES);
}

/** A residential proxy exit, fresh for every churned account. */
export function proxyPrefix(rng: Random): string {
  return `${rng.pick([45, 77, 89, 102, 154, 185, 193])}.${rng.int(0, 255)}.${rng.int(0, 255)}.0/24`;
}

const SDK_VERSIONS = ['1.40.2', '1.42.0', '1.43.1', '1.44.0', '2.0.3', '2.1.0'];

export function sdkAgent(rng: Random): string {
  return `${rng.pick(['lab-sdk-python', 'lab-sdk-python', 'lab-sdk-node', 'lab-sdk-go'])}/${rng.pick(SDK_VERSIONS)}`;
}

export function browserAgent(rng: Random): string {
  const os = rng.pick(['Windows NT 10.0; Win64; x64', 'Macintosh; Intel Mac OS X 14_5', 'X11; Linux x86_64', 'iPhone; CPU iPhone OS 17_5 like Mac OS X']);
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${rng.int(118, 131)}.0 Safari/537.36`;
}

export function toolAgent(rng: Random): string {
  return rng.pick(['python-requests/2.32.3', 'httpx/0.27.2', 'curl/8.7.1', 'axios/1.7.7', 'langchain/0.3.4', 'llamaindex/0.11.2', 'Go-http-client/2.0']);
}

export function apiKeys(rng: Random, count: number): string[] {
  return Array.from({ length: count }, () => `key_${rng.hex(12)}`);
}
