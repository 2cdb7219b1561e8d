// The Kafka client's errors, sorted into the tree's RetriableError and FatalError by the
// client's own classes and flags: real kafkajs error objects, as the client throws them.
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConfigError, FatalError, RetriableError } from '../src/errors.ts';
import { classifyKafkaError, isRetriable, kafkaErrorKind, KafkaFatalError, KafkaRetriableError } from '../src/kafka/errors.ts';

const {
  KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
} = kafkajs;

const leaderNotAvailable = () => new KafkaJSProtocolError(Object.assign(new Error('There is no leader for this topic-partition as we are in the middle of a leadership election'), { type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true }));
const fenced = () => new KafkaJSProtocolError(Object.assign(new Error('There is a newer producer with the same transactionalId which fences the current one'), { type: 'INVALID_PRODUCER_EPOCH', code: 47, retriable: false }));
// The client's typings leave out constructor arguments that its code takes.
const saslRefused = (): Error => Reflect.construct(KafkaJSSASLAuthenticationError, ['SASL SCRAM SHA512 authentication failed']);
const gaveUpOn = (cause: Error): Error => Reflect.construct(KafkaJSNonRetriableError, [cause, { cause }]);
const refused = () => new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', { broker: '127.0.0.1:1', code: 'ECONNREFUSED' });

describe('classifyKafkaError', () => {
  it('makes a retriable protocol error a KafkaRetriableError with the client error as cause', () => {
    const err = leaderNotAvailable();
    const classified = classifyKafkaError(err);
    expect(classified).toBeInstanceOf(KafkaRetriableError);
    expect(classified).toBeInstanceOf(RetriableError);
    expect(classified?.retriable).toBe(true);
    expect(classified?.cause).toBe(err);
    expect(classified?.message).toBe(err.message);
  });

  it('makes a fenced producer and refused credentials fatal', () => {
    expect(classifyKafkaError(fenced())).toBeInstanceOf(KafkaFatalError);
    expect(classifyKafkaError(saslRefused())).toBeInstanceOf(FatalError);
  });

  it('judges a client that gave up retrying by the cause it gave up on', () => {
    expect(classifyKafkaError(new KafkaJSNumberOfRetriesExceeded(leaderNotAvailable(), { retryCount: 5, retryTime: 1000 }))?.retriable).toBe(true);
    expect(classifyKafkaError(new KafkaJSNumberOfRetriesExceeded(new Error('not a client error'), { retryCount: 5, retryTime: 1000 }))?.retriable).toBe(false);
  });

  it('leaves errors that are not the client\'s alone', () => {
    expect(classifyKafkaError(new Error('There is no leader for this topic-partition'))).toBeNull();
    expect(classifyKafkaError('a string')).toBeNull();
  });
});

describe('isRetriable', () => {
  it('answers by class or flag, never by message', () => {
    expect(isRetriable(leaderNotAvailable())).toBe(true);
    expect(isRetriable(refused())).toBe(true);
    expect(isRetriable(fenced())).toBe(false);
    expect(isRetriable(new RetriableError('broker restarting'))).toBe(true);
    expect(isRetriable(new ConfigError('KAFKA_BROKERS', 'no broker given'))).toBe(false);
    // A message that reads like a retriable one does not make an error retriable.
    expect(isRetriable(new Error('There is no leader for this topic-partition'))).toBe(false);
    // The registry client's errors carry the flag.
    expect(isRetriable(Object.assign(new Error('registry unreachable'), { retriable: true }))).toBe(true);
    expect(isRetriable(null)).toBe(false);
  });
});

describe('kafkaErrorKind', () => {
  it('says the brokers are unreachable when the connection failed or the client gave up waiting', () => {
    expect(kafkaErrorKind(refused())).toBe('unreachable');
    expect(kafkaErrorKind(new KafkaJSNumberOfRetriesExceeded(refused(), { retryCount: 5, retryTime: 1000 }))).toBe('unreachable');
  });

  it('says the credentials were refused, also when the client wrapped the refusal', () => {
    expect(kafkaErrorKind(saslRefused())).toBe('authentication');
    expect(kafkaErrorKind(gaveUpOn(saslRefused()))).toBe('authentication');
  });

  it('says other for anything else', () => {
    expect(kafkaErrorKind(fenced())).toBe('other');
    expect(kafkaErrorKind(new Error('x'))).toBe('other');
  });
});
