// sigil verify --certificate: cosign's keyless verification of an image's signatures with a
// certificate given on the command line instead of the one stored with each signature, against
// one `sigil server` (OIDC issuer, CA with CT log, log and registry); cosign 2.5 agrees.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeylessServer, type KeylessServer } from '../support/keyless-server.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';

const EMAIL = 'cert-flag@example.com';
let stack: KeylessServer;
let dir = '';
const image = buildImage([404]);
const other = buildImage([405]);
const at = (name: string): string => join(dir, name);
const ref = (repo: string): string => `${stack.server.host}/${repo}@${repo === 'one' ? image.digest : other.digest}`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-verify-cert-'));
  stack = await startKeylessServer(dir);
  const client = createTestClient().client;
  await pushImage(client, { registry: stack.server.host, repository: 'one' }, image, 'v1');
  await pushImage(client, { registry: stack.server.host, repository: 'two' }, other, 'v1');
  const token = await stack.token(['--email', EMAIL]);
  for (const [repo, cert] of [['one', 'one.pem'], ['two', 'two.pem']] as const) {
    const url = stack.server.url;
    const r = await runCli(['sign', '--fulcio-url', url, '--rekor-url', url, '--identity-token', token, '--output-certificate', at(cert), ref(repo)]);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => { await stack.server.stop(); rmSync(dir, { recursive: true, force: true }); });

const verify = (repo: string, cert: string, extra: string[] = []): ReturnType<typeof runCli> => runCli([
  'verify', '--certificate', at(cert), '--certificate-identity', EMAIL, '--certificate-oidc-issuer', stack.issuerUrl, '--trusted-root', stack.trustedRootPath, ...extra, ref(repo),
]);

test('the signing certificate verifies the image\'s signature, as PEM or base64 of PEM', async () => {
  const pem = await verify('one', 'one.pem');
  assert.equal(pem.code, 0, pem.stderr);
  assert.match(pem.stdout, new RegExp(`"Subject":"${EMAIL}"`));
  writeFileSync(at('one.b64'), Buffer.from(readFileSync(at('one.pem'))).toString('base64'));
  const b64 = await verify('one', 'one.b64');
  assert.equal(b64.code, 0, b64.stderr);
});

test('another certificate (another ephemeral key) does not verify it: exit 12', async () => {
  const r = await verify('one', 'two.pem');
  assert.equal(r.code, 12, r.stderr);
  assert.match(r.stderr, /\(ERR_VERIFY_NO_MATCHING_SIGNATURE\)/);
});

test('usage: --certificate with --key is exit 2', async () => {
  const r = await runCli(['verify', '--certificate', at('one.pem'), '--key', at('one.pem'), ref('one')]);
  assert.equal(r.code, 2, r.stderr);
});

// cosign 2.5 treats --certificate as a key and then compares the logged certificate with that key's
// PEM, which fails for keyless signatures ("comparing public key PEMs"); without the log check it
// agrees with sigil on which certificate verifies the signature
test('cosign verify --certificate --insecure-ignore-tlog agrees on both', async () => {
  const args = (cert: string): string[] => ['verify', '--certificate', at(cert), '--certificate-identity', EMAIL, '--certificate-oidc-issuer', stack.issuerUrl, '--insecure-ignore-tlog', '--allow-insecure-registry', ref('one')];
  const sigil = await verify('one', 'one.pem', ['--insecure-ignore-tlog']);
  assert.equal(sigil.code, 0, sigil.stderr);
  await expectSuccess(runPeer('cosign', args('one.pem'), { env: stack.cosignEnv }), 'cosign verify --certificate');
  const wrong = await runPeer('cosign', args('two.pem'), { env: stack.cosignEnv });
  assert.notEqual(wrong.code, 0);
});
