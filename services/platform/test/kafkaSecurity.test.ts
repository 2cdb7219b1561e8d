// The Kafka client's TLS and SASL options from the connection config: files read when the
// client is built, and a file that cannot be read named by its variable.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.ts';
import { kafkaSecurityOptions } from '../src/kafka/security.ts';

const none = { tlsCaFile: null, tlsCertFile: null, tlsKeyFile: null, sasl: null };

describe('kafkaSecurityOptions', () => {
  it('gives kafkajs plain TLS when no files are named, and reads the PEM files when they are', () => {
    expect(kafkaSecurityOptions({ ...none, tls: true })).toEqual({ ssl: true });
    expect(kafkaSecurityOptions({ ...none, tls: false })).toEqual({});
    const files: Record<string, string> = { 'ca.pem': 'CA', 'c.pem': 'CERT', 'k.pem': 'KEY' };
    expect(kafkaSecurityOptions({ tls: true, tlsCaFile: 'ca.pem', tlsCertFile: 'c.pem', tlsKeyFile: 'k.pem', sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } }, (p) => files[p]!))
      .toEqual({ ssl: { ca: ['CA'], cert: 'CERT', key: 'KEY' }, sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } });
  });

  it('names the variable of a TLS file that cannot be read', () => {
    const build = () => kafkaSecurityOptions({ ...none, tls: true, tlsCaFile: '/nonexistent/ca.pem' });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('KAFKA_TLS_CA_FILE: cannot read "/nonexistent/ca.pem" (no such file)');
  });
});
