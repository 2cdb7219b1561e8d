// The one way services, commands and tests get a Kafka client: from the connection config
// (brokers, TLS, SASL), so every process connects with the same settings. It must never write
// to stdout: commands pipe their output (`--output -`, `--json`), so the client's own logging
// goes to stderr by default, or to the service's structured logger.
import kafkajs, { Kafka, logLevel, type logCreator } from 'kafkajs';
import type { PlatformConfig } from '../config.ts';
import { FAST_GZIP_CODEC } from './gzipCodec.ts';
import { kafkaSecurityOptions } from './security.ts';

// Every client of the process compresses gzip batches with the faster level (gzipCodec.ts).
// kafkajs keeps its codecs in one table per process; it is read from the default export, as
// the constants in index.ts are.
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP] = () => FAST_GZIP_CODEC;

/** Where the client's log lines go: a service's JSON logger, or stderr by default. */
export interface KafkaLog {
  warn(message: string, fields: Record<string, unknown>): void;
  debug(message: string, fields: Record<string, unknown>): void;
}

export interface KafkaClientOptions {
  /** Shows up in broker logs and quotas; name the service or command. */
  clientId: string;
  /** Lowest level of the client's own lines that is logged; default warn. */
  logLevel?: 'nothing' | 'error' | 'warn';
  /** Default: stderr, warnings only. */
  log?: KafkaLog;
  /** Connection and request retries; the client's default keeps retrying for about 30 s. */
  retry?: { retries: number; initialRetryTime?: number; maxRetryTime?: number };
}

const LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN } as const;

/** A client for the configured brokers with the configured TLS and SASL (TLS files read now). */
export function kafkaClient(config: Pick<PlatformConfig, 'brokers' | 'kafkaSecurity'>, options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...config.brokers],
    ...kafkaSecurityOptions(config.kafkaSecurity),
    logLevel: LEVELS[options.logLevel ?? 'warn'],
    logCreator: logTo(options.log ?? stderrLog),
    ...(options.retry ? { retry: options.retry } : {}),
  });
}

/** See PRODUCER_RETRY in the streaming services: with transactions, limited retries are safe. */
const LIMITED_RETRIES = 'Limiting retries for the idempotent producer';
/**
 * CONCURRENT_TRANSACTIONS: a transaction's first write right after the previous commit, retried
 * after 20 ms (PRODUCER_RETRY); it happens on back-to-back transactions and is no trouble.
 * kafkajs names it only in the text of its retry line.
 */
const PREVIOUS_COMMIT_PENDING = 'another concurrent operation on the same transaction was ongoing';

// kafkajs logs every error response of a connection at ERROR, including the retriable ones it
// then retries itself (a group coordinator still loading after a broker start, for example);
// failures that matter reach the caller as rejected promises or consumer crash events instead,
// so connection-level lines are debug.
function logTo(log: KafkaLog): logCreator {
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry;
    const fields = { kafkajs: namespace, ...extra };
    if (namespace === 'Connection' || message.startsWith(LIMITED_RETRIES) || message.endsWith(PREVIOUS_COMMIT_PENDING)) return log.debug(message, fields);
    if (level === logLevel.ERROR || level === logLevel.WARN) return log.warn(message, fields);
    return log.debug(message, fields);
  };
}

const stderrLog: KafkaLog = {
  warn(message, { kafkajs: namespace, ...extra }) {
    const detail = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    process.stderr.write(`kafkajs${namespace ? ` [${String(namespace)}]` : ''} ${message}${detail}\n`);
  },
  debug() {},
};
