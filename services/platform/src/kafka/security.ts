// The client's TLS and SASL options for the connection config's security settings. This is the
// one place that reads the TLS files the config names, when a client is built; a file that
// cannot be read is a ConfigError naming its variable, before any connection is tried.
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigError, type KafkaSecurity } from '../config.ts';

export type ReadFile = (path: string) => string;

const readPem: ReadFile = (path) => readFileSync(path, 'utf8');

/** kafkajs's `ssl` and `sasl` options (files read here, once per client). */
export function kafkaSecurityOptions(security: KafkaSecurity, read: ReadFile = readPem): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security.tls) {
    const hasFiles = security.tlsCaFile !== null || security.tlsCertFile !== null;
    out.ssl = !hasFiles ? true : {
      ...(security.tlsCaFile ? { ca: [pem(read, 'KAFKA_TLS_CA_FILE', security.tlsCaFile)] } : {}),
      ...(security.tlsCertFile ? { cert: pem(read, 'KAFKA_TLS_CERT_FILE', security.tlsCertFile) } : {}),
      ...(security.tlsKeyFile ? { key: pem(read, 'KAFKA_TLS_KEY_FILE', security.tlsKeyFile) } : {}),
    };
  }
  if (security.sasl) {
    // kafkajs types SASL options per mechanism; the three we accept share these fields.
    out.sasl = { mechanism: security.sasl.mechanism, username: security.sasl.username, password: security.sasl.password } as SASLOptions;
  }
  return out;
}

function pem(read: ReadFile, variable: string, path: string): string {
  try {
    return read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(variable, `cannot read "${path}" (${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message})`);
  }
}
