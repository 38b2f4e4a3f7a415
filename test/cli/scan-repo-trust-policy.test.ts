// `sigil scan repo --verify --trust-store DIR --trust-policy trustpolicy.json` end to end: Notary
// JWS signatures attached with oras to images in sigil's registry, judged per repository by
// notation's trust policy (an exact scope, the global scope, skip), and bad policies refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess as ok, runPeer } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { makeTempDir } from '../support/temp.ts';
import { runCli } from '../support/cli.ts';
import { makeNotaryPki, signNotaryJws, thumbprintsOf, type NotaryPki } from '../support/notary.ts';
import type { JsonRepoDocument } from '../../src/scan/index.ts';

let dir = '';
let pki: NotaryPki;
let sigil: SigilServerProcess;
const REPOS = ['team/strict', 'team/audited', 'team/skipped'] as const;

before(async () => {
  dir = makeTempDir('scan-trust-policy');
  mkdirSync(join(dir, 'pki'));
  [sigil, pki] = await Promise.all([startSigilServer(join(dir, 'data'), ['--only', 'registry']), makeNotaryPki(join(dir, 'pki'))]);
  mkdirSync(join(dir, 'store', 'x509', 'ca', 'acme'), { recursive: true });
  copyFileSync(pki.rootPem, join(dir, 'store', 'x509', 'ca', 'acme', 'root.pem'));
  const { client } = createTestClient();
  for (const [i, repository] of REPOS.entries()) {
    const image = buildImage([32 + i]);
    await pushImage(client, { registry: sigil.host, repository }, image, 'v1');
    const envelope = join(dir, `${i}.jws`);
    writeFileSync(envelope, signNotaryJws(pki, { mediaType: image.mediaType, digest: image.digest, size: image.manifest.byteLength }, new Date()));
    await ok(runPeer('oras', ['attach', '--plain-http', '--no-tty', '--disable-path-validation', '--artifact-type', 'application/vnd.cncf.notary.signature',
      '-a', `io.cncf.notary.x509chain.thumbprint#S256=${thumbprintsOf(pki.rsa.chainDer)}`, `${sigil.host}/${repository}:v1`, `${envelope}:application/jose+json`], { cwd: dir }), 'oras attach');
  }
});
after(async () => { await sigil.stop(); });

function writePolicy(name: string, identity: string): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({
    version: '1.0',
    trustPolicies: [
      { name: 'strict-team', registryScopes: [`${sigil.host}/team/strict`], signatureVerification: { level: 'strict' }, trustStores: ['ca:acme'], trustedIdentities: [identity] },
      { name: 'no-check', registryScopes: [`${sigil.host}/team/skipped`], signatureVerification: { level: 'skip' } },
      { name: 'everything-else', registryScopes: ['*'], signatureVerification: { level: 'audit' }, trustStores: ['ca:acme'], trustedIdentities: [identity] },
    ],
  }));
  return path;
}

async function scan(policy: string, extra: readonly string[] = []): Promise<{ code: number; stderr: string; statusOf: (repo: string) => string | undefined; doc: JsonRepoDocument }> {
  const r = await runCli(['scan', 'repo', `${sigil.host}/team`, '--allow-insecure-registry', '--verify', '--trust-store', join(dir, 'store'), '--trust-policy', policy, '--output', 'json', ...extra]);
  const doc = JSON.parse(r.stdout || '{"registry":{"signatures":[]}}') as JsonRepoDocument;
  const statusOf = (repo: string): string | undefined => (doc.registry.signatures.find((s) => s.path.startsWith(`${repo}:`)) as { status?: string } | undefined)?.status;
  return { code: r.code, stderr: r.stderr, statusOf, doc };
}

test('each repository is judged by its statement: strict verifies the trusted signer, skip checks nothing', async () => {
  const r = await scan(writePolicy('good.json', 'x509.subject: C=US, ST=WA, O=Notary Test\\, Inc., CN=Notary RSA Signer'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.statusOf('team/strict'), 'verified');
  assert.equal(r.statusOf('team/audited'), 'verified');
  assert.equal(r.statusOf('team/skipped'), 'not-checked');
});

test('another trusted identity: strict fails (exit 13 with --fail-on unverified), audit verifies and logs it', async () => {
  const r = await scan(writePolicy('other.json', 'x509.subject: C=US, ST=WA, O=Someone Else'), ['--fail-on', 'unverified']);
  assert.equal(r.code, 13, r.stderr);
  assert.equal(r.statusOf('team/strict'), 'failed');
  assert.equal(r.statusOf('team/audited'), 'verified');
  assert.equal(r.statusOf('team/skipped'), 'not-checked');
  assert.match(JSON.stringify(r.doc), /ERR_SCAN_IDENTITY_UNTRUSTED/);
});

test('bad policies and flags are refused before any request: exit 3 or 2, nothing printed on stdout', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ version: '1.0', trustPolicies: [{ name: 'x', registryScopes: ['*'], signatureVerification: { level: 'skip' } }] }));
  const refused = await runCli(['scan', 'repo', `${sigil.host}/team`, '--allow-insecure-registry', '--verify', '--trust-store', join(dir, 'store'), '--trust-policy', bad]);
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /skip level cannot have the global scope/);
  assert.equal(refused.stdout, '');
  writeFileSync(bad, '{not json');
  assert.equal((await runCli(['scan', 'repo', `${sigil.host}/team`, '--verify', '--trust-store', join(dir, 'store'), '--trust-policy', bad])).code, 3);
  const noStore = await runCli(['scan', 'repo', `${sigil.host}/team`, '--verify', '--key', join(dir, 'pki', 'root.crt'), '--trust-policy', join(dir, 'good.json')]);
  assert.equal(noStore.code, 2);
  assert.match(noStore.stderr, /--trust-store/);
  const noVerify = await runCli(['scan', 'repo', `${sigil.host}/team`, '--trust-policy', join(dir, 'good.json')]);
  assert.equal(noVerify.code, 2);
});
