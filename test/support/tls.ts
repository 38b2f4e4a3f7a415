// A self-signed certificate for 127.0.0.1, made with the openssl command line.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir } from './temp.ts';

/** Paths of a PEM certificate and its key. */
export interface SelfSigned { readonly certPath: string; readonly keyPath: string }

/** Creates a self-signed EC certificate valid for IP 127.0.0.1 and localhost. */
export function createSelfSigned(): SelfSigned {
  const dir = makeTempDir('tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=sigil-test',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { certPath, keyPath };
}
