// The local schema registry: Apicurio Registry 3 (a Quarkus app) serving the Confluent-compatible
// API, its storage an H2 database file under the state dir, so schema ids survive `infra down`
// and `up`. It must never leave the global compatibility at anything but BACKWARD.
import { mkdirSync } from 'node:fs';
import { apicurioJar } from './binaries.ts';
import { join } from 'node:path';
import type { JavaRuntime } from './java.ts';
import type { InfraLayout } from './layout.ts';
import { startOwnedProcess, type OwnedProcessSpec } from './owned-process.ts';

/** The compatibility every subject inherits unless it sets its own (DESIGN.md: BACKWARD). */
export const GLOBAL_COMPATIBILITY = 'BACKWARD';

export function registryProcessSpec(layout: InfraLayout, java: JavaRuntime): OwnedProcessSpec {
  const { registry } = layout;
  // Quarkus reads these system properties over the defaults baked into the app.
  const settings: Record<string, string> = {
    'quarkus.http.host': registry.host,
    'quarkus.http.port': String(registry.port),
    'quarkus.http.access-log.enabled': 'false',
    'apicurio.storage.kind': 'sql',
    'apicurio.storage.sql.kind': 'h2',
    'apicurio.datasource.url': `jdbc:h2:file:${join(registry.dbDir, 'registry')}`,
    // The defaults (20 pooled connections at start) are sized for a shared database server.
    'apicurio.datasource.jdbc.initial-size': '2',
    'apicurio.datasource.jdbc.min-size': '2',
    'apicurio.datasource.jdbc.max-size': '20',
    // Tests and developers delete subjects (DELETE /subjects/...), as Confluent's registry allows.
    'apicurio.rest.deletion.group.enabled': 'true',
    'apicurio.rest.deletion.artifact.enabled': 'true',
    'apicurio.rest.deletion.artifact-version.enabled': 'true',
  };
  return {
    name: 'apicurio',
    command: java.command,
    args: [
      registry.marker,
      '-Xms128m', '-Xmx512m', '-Djava.awt.headless=true',
      ...Object.entries(settings).map(([key, value]) => `-D${key}=${value}`),
      '-jar', apicurioJar(layout),
    ],
    cwd: registry.dir,
    logFile: registry.logFile,
    pidFile: registry.pidFile,
    marker: registry.marker,
  };
}

export function startRegistry(layout: InfraLayout, java: JavaRuntime): number {
  mkdirSync(layout.registry.dbDir, { recursive: true });
  return startOwnedProcess(registryProcessSpec(layout, java));
}

/** Ready means: the Confluent-compatible API lists subjects. */
export async function registryAnswers(layout: InfraLayout): Promise<boolean> {
  const response = await fetch(`${layout.registry.apiUrl}/subjects`, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status === 200;
}

/** The registry-wide compatibility level, as the Confluent API reports it. */
export async function globalCompatibility(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/config`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${apiUrl}/config: HTTP ${response.status}`);
  const body = (await response.json()) as { compatibilityLevel?: string; compatibility?: string };
  return body.compatibilityLevel ?? body.compatibility ?? 'NONE';
}

/** Sets the global compatibility to BACKWARD; idempotent. */
export async function enforceBackwardCompatibility(apiUrl: string): Promise<void> {
  if ((await globalCompatibility(apiUrl)) === GLOBAL_COMPATIBILITY) return;
  const response = await fetch(`${apiUrl}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: GLOBAL_COMPATIBILITY }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`PUT ${apiUrl}/config: HTTP ${response.status} ${await response.text()}`);
  const now = await globalCompatibility(apiUrl);
  if (now !== GLOBAL_COMPATIBILITY) throw new Error(`registry global compatibility is ${now} after setting ${GLOBAL_COMPATIBILITY}`);
}
