// Registry clients come from the connection config: its URL, and basic auth when set.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createRegistryClient } from '../src/registry.ts';

describe('createRegistryClient', () => {
  it('uses the configured URL and no credentials by default', () => {
    const client = createRegistryClient(loadConfig({}));
    expect(client.config().baseURLs).toEqual(['http://127.0.0.1:8081/apis/ccompat/v7']);
    expect(client.config().basicAuthCredentials).toBeUndefined();
  });

  it('sends SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO as basic auth', () => {
    const client = createRegistryClient(loadConfig({ SCHEMA_REGISTRY_URL: 'https://registry.example', SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'user:pw' }));
    expect(client.config().baseURLs).toEqual(['https://registry.example']);
    expect(client.config().basicAuthCredentials).toEqual({ credentialsSource: 'USER_INFO', userInfo: 'user:pw' });
  });
});
