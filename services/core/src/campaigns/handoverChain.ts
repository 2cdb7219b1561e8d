// Hand-over chains: a churning operator's throwaway accounts when none of them is unusual enough
// to be a suspect on its own (handover.ts links suspects only). Each account is used for hours,
// falls silent, and the next one appears within minutes, with its own card, network and client,
// asking the same way. One such hand-over is weak evidence (customers come and go all day, and
// two of them may ask alike); a chain of them, `minChainHandovers` in a row, each account
// arriving as its same-shaped predecessor falls silent and never returns, is one operator.
//
// The book holds newcomers only: accounts that arrived on the stream after the chain's
// incumbency (a day: an account present from the start has no known arrival), each forgotten
// `memoryMs` after it was last active. A newcomer within `handoverSpanMs` of its arrival is
// matched against newcomers that fell silent at most `maxHandoverGapMs` before it arrived, found
// in buckets keyed by the request shape's cells (coverageShards.ts) and the time of their last
// request, never by comparing all pairs. Each account has at most one predecessor and one
// successor, so hand-overs form chains; a hand-over whose predecessor is heard from again is
// dropped (a pause is not a replacement). It never links anything itself: `chains` gives the
// chains long enough to count, and the linker links them as `chain`. Pure: no clock, no I/O.
import type { AccountFeatures } from '../schemas.generated.ts';
import { shapeCells } from './coverageShards.ts';
import { shapeDistance, type ShapeScale } from './handover.ts';

export interface HandoverChainOptions {
  /** Hand-overs in a row before a chain counts as one operator. Default 3 (four accounts). */
  minChainHandovers: number;
  /**
   * From the linker's first window, how long no account counts as new. Default 24 h: a customer
   * who works every day shows up within a day; with the linker's 12 h, researchers and coding
   * agents starting their first day on the stream's second afternoon were chained (`wide` seed 7).
   */
  chainIncumbencyMs: number;
}

/** What the book needs of the linker's settings besides its own. */
export interface ChainBookSettings extends Omit<HandoverChainOptions, 'chainIncumbencyMs'> {
  handoverSpanMs: number;
  maxHandoverGapMs: number;
  maxShapeDistance: number;
  /** How long a newcomer is remembered after it was last active (the linker's suspect TTL). */
  memoryMs: number;
}

interface Newcomer { account: string; arrived: number; lastActive: number; lastEvent: number; shape: number[] }

/** A hand-over: predecessor, successor, window end at which it was found. */
export type HandoverRow = [string, string, number];
/** Serialisable newcomer: [account, arrived, last active window end, last event, shape]. */
export type NewcomerRow = [string, number, number, number, number[]];

export class ChainBook {
  private readonly newcomers = new Map<string, Newcomer>();
  /** Predecessor -> [successor, found at]; and successor -> predecessor. */
  private readonly successor = new Map<string, [string, number]>();
  private readonly predecessor = new Map<string, string>();
  private readonly settings: ChainBookSettings;
  private readonly scales: readonly ShapeScale[];

  constructor(settings: ChainBookSettings, scales: readonly ShapeScale[]) {
    this.settings = settings;
    this.scales = scales;
  }

  /**
   * The window's account-windows (sorted by key, `keys[i]` record i's account key), `arrivalsKnown`
   * once the incumbency is over. Notes newcomers and their activity, drops the hand-overs whose
   * predecessor is active again, and finds new ones.
   */
  observe(windowEnd: number, records: readonly AccountFeatures[], keys: readonly string[], arrivalsKnown: boolean,
    shapeOf: (r: AccountFeatures) => number[]): void {
    records.forEach((r, i) => {
      const account = keys[i]!;
      const held = this.newcomers.get(account);
      if (held) {
        const link = this.successor.get(account);
        if (link && link[1] < windowEnd) { this.successor.delete(account); this.predecessor.delete(link[0]); }
        held.lastActive = windowEnd; held.lastEvent = r.last_event_time; held.shape = shapeOf(r);
      } else if (arrivalsKnown && isNew(r)) {
        this.newcomers.set(account, { account, arrived: r.first_event_time, lastActive: windowEnd, lastEvent: r.last_event_time, shape: shapeOf(r) });
      }
    });
    this.findHandovers(windowEnd);
    this.expire(windowEnd);
  }

  /** Every chain of at least `minChainHandovers` hand-overs: its accounts in order, first to last. */
  chains(): string[][] {
    const out: string[][] = [];
    for (const first of [...this.successor.keys()].sort()) {
      if (this.predecessor.has(first)) continue;
      const chain = [first];
      for (let next = this.successor.get(first); next; next = this.successor.get(next[0])) chain.push(next[0]);
      if (chain.length - 1 >= this.settings.minChainHandovers) out.push(chain);
    }
    return out;
  }

  /** Matches each recent newcomer without a predecessor to the same-shaped newcomer that fell silent just before it arrived. */
  private findHandovers(windowEnd: number): void {
    const { maxHandoverGapMs: gap, handoverSpanMs, maxShapeDistance } = this.settings;
    if (gap <= 0) return;
    const silent = new Map<string, Newcomer[]>();
    for (const n of this.newcomers.values()) {
      if (this.successor.has(n.account)) continue;
      for (const cell of shapeCells(n.shape, this.scales)) push(silent, `${cell}|${Math.floor(n.lastEvent / gap)}`, n);
    }
    const arrivals = [...this.newcomers.values()]
      .filter((n) => windowEnd - n.arrived <= handoverSpanMs && !this.predecessor.has(n.account))
      .sort((a, b) => a.arrived - b.arrived || cmp(a.account, b.account));
    for (const next of arrivals) {
      const bucket = Math.floor(next.arrived / gap);
      let best: { prev: Newcomer; gap: number; distance: number } | null = null;
      for (const cell of shapeCells(next.shape, this.scales)) {
        for (const prev of [...(silent.get(`${cell}|${bucket - 1}`) ?? []), ...(silent.get(`${cell}|${bucket}`) ?? [])]) {
          const silence = next.arrived - prev.lastEvent;
          if (prev.account === next.account || this.successor.has(prev.account) || silence < 0 || silence > gap) continue;
          const distance = shapeDistance(prev.shape, next.shape, this.scales);
          if (distance > maxShapeDistance) continue;
          if (!best || silence < best.gap || (silence === best.gap && (distance < best.distance || (distance === best.distance && cmp(prev.account, best.prev.account) < 0)))) {
            best = { prev, gap: silence, distance };
          }
        }
      }
      if (best) { this.successor.set(best.prev.account, [next.account, windowEnd]); this.predecessor.set(next.account, best.prev.account); }
    }
  }

  private expire(windowEnd: number): void {
    for (const [account, n] of this.newcomers) {
      if (n.lastActive >= windowEnd - this.settings.memoryMs) continue;
      this.newcomers.delete(account);
      const next = this.successor.get(account);
      if (next) { this.successor.delete(account); this.predecessor.delete(next[0]); }
      const prev = this.predecessor.get(account);
      if (prev !== undefined) { this.predecessor.delete(account); this.successor.delete(prev); }
    }
  }

  toRows(): { newcomers: NewcomerRow[]; handovers: HandoverRow[] } {
    const newcomers = [...this.newcomers.values()].sort((a, b) => cmp(a.account, b.account))
      .map((n): NewcomerRow => [n.account, n.arrived, n.lastActive, n.lastEvent, [...n.shape]]);
    const handovers = [...this.successor].sort((a, b) => cmp(a[0], b[0])).map(([from, [to, at]]): HandoverRow => [from, to, at]);
    return { newcomers, handovers };
  }

  static fromRows(rows: { newcomers: readonly NewcomerRow[]; handovers: readonly HandoverRow[] }, settings: ChainBookSettings, scales: readonly ShapeScale[]): ChainBook {
    const book = new ChainBook(settings, scales);
    for (const [account, arrived, lastActive, lastEvent, shape] of rows.newcomers) book.newcomers.set(account, { account, arrived, lastActive, lastEvent, shape: [...shape] });
    for (const [from, to, at] of rows.handovers) { book.successor.set(from, [to, at]); book.predecessor.set(to, from); }
    return book;
  }
}

/** An account whose whole 30-day spend is in this window arrived with its first request here. */
export function isNew(r: Pick<AccountFeatures, 'spend_usd_window' | 'spend_usd_30d'>): boolean {
  return r.spend_usd_window > 0 && r.spend_usd_30d - r.spend_usd_window <= 1e-9 * r.spend_usd_30d;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
