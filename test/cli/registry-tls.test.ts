// cosign's registry TLS flags: --registry-cacert, --registry-server-name and mutual TLS with
// --registry-client-cert/--registry-client-key, against distribution 2.8 serving TLS with a
// certificate no system trusts (and, for mutual TLS, wanting a client certificate).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createSelfSigned, type SelfSigned } from '../support/tls.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { runCli } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';
import { createNodeFetch } from '../../src/adapters/http-clients/node-fetch.ts';

let server: SelfSigned;
let plainTls: Distribution;
let mutual: Distribution;
let client = { cert: '', key: '' };
const image = buildImage([77]);

/** A CA and a client certificate it issued, made with the openssl command line. */
function clientCertificate(): { caPath: string; cert: string; key: string } {
  const dir = makeTempDir('client-tls');
  const run = (args: string[]): void => { execFileSync('openssl', args, { stdio: 'ignore' }); };
  const at = (name: string): string => join(dir, name);
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=client-ca']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', at('client.key'), '-out', at('client.csr'), '-subj', '/CN=ci-job']);
  run(['x509', '-req', '-in', at('client.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('client.pem'), '-days', '2']);
  return { caPath: at('ca.pem'), cert: at('client.pem'), key: at('client.key') };
}

before(async () => {
  server = createSelfSigned();
  const made = clientCertificate();
  client = { cert: made.cert, key: made.key };
  plainTls = await startDistribution({ tls: server });
  mutual = await startDistribution({ tls: { ...server, clientCaPath: made.caPath } });
  const ca = readFileSync(server.certPath, 'utf8');
  await pushImage(createTestClient({ fetch: createNodeFetch({ ca }) }).client, { registry: plainTls.host, repository: 'app' }, image, 'v1');
  const mtls = createNodeFetch({ ca, cert: readFileSync(made.cert, 'utf8'), key: readFileSync(made.key, 'utf8') });
  await pushImage(createTestClient({ fetch: mtls }).client, { registry: mutual.host, repository: 'app' }, image, 'v1');
});
after(async () => { await plainTls?.stop(); await mutual?.stop(); });

const sigTag = (host: string): string => `${host}/app:${image.digest.replace(':', '-')}.sig\n`;

test('--registry-cacert trusts the registry\'s CA; without it the certificate is refused (exit 4)', async () => {
  const ref = `${plainTls.host}/app:v1`;
  const untrusted = await runCli(['triangulate', ref]);
  assert.equal(untrusted.code, 4, untrusted.stderr);
  const trusted = await runCli(['triangulate', '--registry-cacert', server.certPath, ref]);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.equal(trusted.stdout, sigTag(plainTls.host));
});

test('--registry-server-name: the certificate must carry that name', async () => {
  const ref = `${plainTls.host}/app:v1`;
  const named = await runCli(['triangulate', '--registry-cacert', server.certPath, '--registry-server-name', 'localhost', ref]);
  assert.equal(named.code, 0, named.stderr);
  const wrong = await runCli(['triangulate', '--registry-cacert', server.certPath, '--registry-server-name', 'registry.other.example', ref]);
  assert.equal(wrong.code, 4, wrong.stderr);
});

test('--registry-client-cert and --registry-client-key answer a registry that wants mutual TLS', async () => {
  const ref = `${mutual.host}/app:v1`;
  const anonymous = await runCli(['triangulate', '--registry-cacert', server.certPath, ref]);
  assert.notEqual(anonymous.code, 0, anonymous.stderr);
  const identified = await runCli(['triangulate', '--registry-cacert', server.certPath, '--registry-client-cert', client.cert, '--registry-client-key', client.key, ref]);
  assert.equal(identified.code, 0, identified.stderr);
  assert.equal(identified.stdout, sigTag(mutual.host));
});

test('a client certificate without its key, or a CA file that is not PEM: exit 2 before any request', async () => {
  const half = await runCli(['triangulate', '--registry-client-cert', client.cert, `${mutual.host}/app:v1`]);
  assert.equal(half.code, 2, half.stderr);
  assert.match(half.stderr, /\(ERR_USAGE\)\n$/);
  const junk = await runCli(['triangulate', '--registry-cacert', client.key.replace('client.key', 'client.csr.missing'), `${mutual.host}/app:v1`]);
  assert.equal(junk.code, 2, junk.stderr);
  assert.match(junk.stderr, /\(ERR_FILE_NOT_FOUND\)\n$/);
});
