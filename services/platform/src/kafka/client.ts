// The one way services and the CLI get a kafkajs client, so every process connects with the
// same settings. It must never write to stdout: commands pipe their output (`--output -`,
// `--json`), so kafkajs's own logging (stdout by default) goes to stderr here.
import { Kafka, logLevel, type logCreator, type RetryOptions } from 'kafkajs';
import type { PlatformConfig } from '../config.ts';

export interface KafkaClientOptions {
  /** Shows up in broker logs and quotas; name the service or command. */
  clientId: string;
  /** Lowest kafkajs level written to stderr; default WARN. */
  logLevel?: logLevel;
  /** Connection and request retries; kafkajs's default keeps retrying for about 30 s. */
  retry?: RetryOptions;
}

/** A kafkajs client for the configured brokers, logging to stderr. */
export function kafkaClient(config: Pick<PlatformConfig, 'brokers'>, options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...config.brokers],
    logLevel: options.logLevel ?? logLevel.WARN,
    logCreator: stderrLogCreator,
    ...(options.retry ? { retry: options.retry } : {}),
  });
}

// kafkajs logs every error response of a connection at ERROR, including the retriable ones it
// then retries itself (a group coordinator still loading after a broker start, for example);
// failures that matter reach the caller as rejected promises or consumer crash events instead.
const stderrLogCreator: logCreator = () => ({ namespace, label, log }) => {
  if (namespace === 'Connection') return;
  const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
  const detail = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
  process.stderr.write(`kafkajs ${label}${namespace ? ` [${namespace}]` : ''} ${message}${detail}\n`);
};
