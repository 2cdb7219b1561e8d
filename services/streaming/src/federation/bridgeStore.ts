// The bridge's one piece of state, named `store` and kept in the compacted lab topic
// `distillwatch.bridge.store`: which pseudonym stands for which of the lab's accounts (so forum
// alerts can be mapped back after a restart) and which forum alerts the lab has received (so a
// forum alert is delivered once, and a verdict crosses back only when it judges a forum alert).
// Keys: `acct/<pseudonym>` -> account id; `alert/<alert_id>` -> empty; `feed` -> the lab's feed
// (bridgeFeed.ts: the local-alert gate's state and how far it may release), JSON. It lives on
// the lab's own cluster: account ids never leave the lab. It holds no Kafka client.
import type { BridgeFeedDoc } from './bridgeFeed.ts';

const ACCOUNT = 'acct/';
const ALERT = 'alert/';
const FEED = 'feed';

export class BridgeStore {
  readonly #accounts = new Map<string, string>();
  readonly #alerts = new Set<string>();
  #feed: BridgeFeedDoc | null = null;

  /** The store as restored from its changelog entries. */
  static fromEntries(entries: ReadonlyMap<string, Buffer>): BridgeStore {
    const store = new BridgeStore();
    for (const [key, value] of entries) {
      if (key.startsWith(ACCOUNT)) store.#accounts.set(key.slice(ACCOUNT.length), value.toString('utf8'));
      else if (key.startsWith(ALERT)) store.#alerts.add(key.slice(ALERT.length));
      else if (key === FEED) store.#feed = JSON.parse(value.toString('utf8')) as BridgeFeedDoc;
    }
    return store;
  }

  accountOf(pseudonym: string): string | undefined { return this.#accounts.get(pseudonym); }
  delivered(alertId: string): boolean { return this.#alerts.has(alertId); }
  /** The feed's entry as restored (null: none yet). */
  get feed(): BridgeFeedDoc | null { return this.#feed; }

  /** The changelog entry of the feed's state. */
  feedEntry(doc: BridgeFeedDoc): { key: string; value: string } {
    return { key: FEED, value: JSON.stringify(doc) };
  }

  /** Changelog entries for the pseudonyms not known yet (and remembers them). */
  learnAccounts(pairs: Iterable<[pseudonym: string, accountId: string]>): { key: string; value: string }[] {
    const out: { key: string; value: string }[] = [];
    for (const [pseudonym, accountId] of pairs) {
      if (this.#accounts.has(pseudonym)) continue;
      this.#accounts.set(pseudonym, accountId);
      out.push({ key: ACCOUNT + pseudonym, value: accountId });
    }
    return out;
  }

  /** The changelog entry of a delivered forum alert (remembered once the delivery commits: `markDelivered`). */
  deliveryEntry(alertId: string): { key: string; value: string } {
    return { key: ALERT + alertId, value: '' };
  }

  markDelivered(alertId: string): void { this.#alerts.add(alertId); }
}
