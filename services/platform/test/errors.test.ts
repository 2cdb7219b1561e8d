// The tree's error classes: a flag callers branch on, and one ConfigError that names the key.
import { describe, expect, it } from 'vitest';
import { ConfigError as DetectorConfigError } from '@distillwatch/core';
import { ConfigError, FatalError, RetriableError } from '../src/errors.ts';
import { ConfigError as EnvironmentConfigError } from '../src/config.ts';

describe('errors', () => {
  it('gives every error a retriable flag by its class', () => {
    expect(new RetriableError('leader election').retriable).toBe(true);
    expect(new FatalError('fenced').retriable).toBe(false);
  });

  it('has one ConfigError, for the detector config and the environment, naming the key at fault', () => {
    expect(DetectorConfigError).toBe(ConfigError);
    expect(EnvironmentConfigError).toBe(ConfigError);
    const err = new ConfigError('KAFKA_BROKERS', '"kafka-1" is not host:port');
    expect(err).toBeInstanceOf(FatalError);
    expect([err.name, err.key, err.message, err.retriable]).toEqual(['ConfigError', 'KAFKA_BROKERS', 'KAFKA_BROKERS: "kafka-1" is not host:port', false]);
  });
});
