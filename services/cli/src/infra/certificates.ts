// The federation's TLS: a CA made once at set-up and one certificate per broker, signed by it,
// for 127.0.0.1 and localhost, made with the `openssl` command line (Node can verify certificates
// but not issue them). It must never replace a CA or certificate that exists (clients trust the
// CA file as it is), and never leave a private key readable by others (mode 0600).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { ClusterLayout, FederationLayout } from './federation-layout.ts';

/** About two years: the longest validity current TLS clients accept without complaint. */
const VALIDITY_DAYS = '825';

/** Makes the CA unless it exists; returns true when it made it. */
export function ensureCa(layout: FederationLayout): boolean {
  if (existsSync(layout.caFile) && existsSync(layout.caKeyFile)) return false;
  mkdirSync(layout.caDir, { recursive: true, mode: 0o700 });
  openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', VALIDITY_DAYS,
    '-keyout', layout.caKeyFile, '-out', layout.caFile,
    '-subj', '/CN=distillwatch federation CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  chmodSync(layout.caKeyFile, 0o600);
  return true;
}

/**
 * Makes the broker's keystore unless it exists: its private key followed by its certificate,
 * as Kafka's PEM keystore reads it. The certificate serves TLS clients (SAN 127.0.0.1 and
 * localhost) and is also the broker's client certificate on its mutual-TLS controller listener.
 */
export function ensureBrokerCertificate(layout: FederationLayout, cluster: ClusterLayout): boolean {
  if (existsSync(cluster.keystoreFile)) return false;
  mkdirSync(cluster.dir, { recursive: true, mode: 0o700 });
  const keyFile = join(cluster.dir, 'broker.key.tmp');
  const certFile = join(cluster.dir, 'broker.crt.tmp');
  try {
    openssl([
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', VALIDITY_DAYS,
      '-keyout', keyFile, '-out', certFile,
      '-subj', `/CN=${cluster.brokerPrincipal}`,
      '-CA', layout.caFile, '-CAkey', layout.caKeyFile,
      '-addext', `subjectAltName=IP:${cluster.host},DNS:localhost`,
      '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
      '-addext', 'basicConstraints=critical,CA:FALSE',
    ]);
    writeFileSync(cluster.keystoreFile, readFileSync(keyFile, 'utf8') + readFileSync(certFile, 'utf8'), { mode: 0o600 });
  } finally {
    rmSync(keyFile, { force: true });
    rmSync(certFile, { force: true });
  }
  return true;
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new UserError(`cannot run openssl (${result.error.message}): install OpenSSL 3`);
  if (result.status !== 0) {
    const lastLine = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new UserError(`openssl ${args[0]} failed (exit ${result.status}): ${lastLine}`);
  }
}
