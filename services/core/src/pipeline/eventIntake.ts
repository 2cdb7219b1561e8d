/**
 * EventIntake: the first half of the detection pipeline, from a parsed usage record to closed
 * account-windows. It decides what each input does — a rejection for the dead-letter output, a
 * blank line, a duplicate, an event too late to count, or an event that closed windows — and
 * counts each. `detect` and `replay` feed it NDJSON lines, the aggregator service feeds it Avro
 * records of one usage partition: the same outcomes, the same dead letters, the same records.
 * Pure: no clock, no I/O; it never writes anything itself.
 */
import type { AccountFeatures, UsageEvent } from '../schemas.generated.ts';
import type { ParseResult, Rejection } from '../events/parse.ts';
import { cutRaw } from '../events/raw.ts';
import { Aggregator } from '../detector/aggregator.ts';

export interface IntakeCounters {
  blank: number;
  events: number;
  rejected: number;
  late: number;
  duplicates: number;
  windows: number;
}

/** What one input did. `rejection` is set for a rejected record and for a late event. */
export interface IntakeStep {
  outcome: 'event' | 'duplicate' | 'late' | 'rejected' | 'blank';
  rejection: Rejection | null;
  /** The event, when the record was valid (also a duplicate or a late one). */
  event: UsageEvent | null;
  /** Account-windows the event closed, in emission order. */
  records: AccountFeatures[];
}

/** The dead letter of an event too late to count: its line, and the line itself cut to size. */
export function lateRejection(line: number, raw: string): Rejection {
  return { line, reason: 'late', field: 'event_time', raw: cutRaw(raw) };
}

export class EventIntake {
  readonly aggregator: Aggregator;
  readonly counters: IntakeCounters;

  /** `counters`: where to count (a caller's object that holds more counters, or a fresh one). */
  constructor(aggregator: Aggregator, counters: IntakeCounters = { blank: 0, events: 0, rejected: 0, late: 0, duplicates: 0, windows: 0 }) {
    this.aggregator = aggregator;
    this.counters = counters;
  }

  /**
   * One parsed input. `line` numbers the dead letter of a late event; `raw` gives its text, only
   * called for a dead letter.
   */
  accept(parsed: ParseResult, line: number, raw: () => string): IntakeStep {
    if (parsed.kind === 'blank') { this.counters.blank++; return { outcome: 'blank', rejection: null, event: null, records: [] }; }
    if (parsed.kind === 'rejected') { this.counters.rejected++; return { outcome: 'rejected', rejection: parsed.rejection, event: null, records: [] }; }
    const event = parsed.event;
    this.counters.events++;
    const { outcome, records } = this.aggregator.push(event);
    if (outcome === 'duplicate') { this.counters.duplicates++; return { outcome, rejection: null, event, records: [] }; }
    if (outcome === 'late') {
      this.counters.late++;
      return { outcome, rejection: lateRejection(line, raw()), event, records: [] };
    }
    this.counters.windows += records.length;
    return { outcome: 'event', rejection: null, event, records };
  }

  /** The rest of the stream (other partitions) reached `time`: the windows that closes. */
  follow(time: number): AccountFeatures[] {
    return this.counted(this.aggregator.advanceStreamClock(time));
  }

  /** End of input: closes every open window. */
  flush(): AccountFeatures[] {
    return this.counted(this.aggregator.flush());
  }

  private counted(records: AccountFeatures[]): AccountFeatures[] {
    this.counters.windows += records.length;
    return records;
  }
}
