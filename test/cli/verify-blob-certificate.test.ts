// sigil verify-blob --certificate --signature: cosign's keyless verification of a detached
// signature and certificate (what `sign-blob --output-signature --output-certificate` writes),
// against one `sigil server` (OIDC issuer, CA with CT log, and log). The log entry is found by
// searching the log; cosign 2.5 verifies the same files the same way.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeylessServer, type KeylessServer } from '../support/keyless-server.ts';
import { runCli } from '../support/cli.ts';
import { expectSuccess, runPeer } from '../support/peers.ts';

const EMAIL = 'detached@example.com';
let stack: KeylessServer;
let dir = '';
let artifact = '';
const at = (name: string): string => join(dir, name);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-blob-cert-'));
  stack = await startKeylessServer(dir);
  artifact = at('artifact.txt');
  writeFileSync(artifact, 'detached certificate\n');
  const token = await stack.token(['--email', EMAIL]);
  const url = stack.server.url;
  const signed = await runCli(['sign-blob', '--fulcio-url', url, '--rekor-url', url, '--identity-token', token, '--output-signature', at('a.sig'), '--output-certificate', at('a.cert'), artifact]);
  assert.equal(signed.code, 0, signed.stderr);
  const pem = await runCli(['sign-blob', '--fulcio-url', url, '--rekor-url', url, '--identity-token', token, '--b64=false', '--output-signature', at('b.sig'), '--output-certificate', at('b.pem'), artifact]);
  assert.equal(pem.code, 0, pem.stderr);
});
after(async () => { await stack.server.stop(); rmSync(dir, { recursive: true, force: true }); });

const verify = (cert: string, sig: string, extra: string[] = [], file = artifact): ReturnType<typeof runCli> => runCli([
  'verify-blob', '--certificate', at(cert), '--signature', at(sig), '--certificate-identity', EMAIL, '--certificate-oidc-issuer', stack.issuerUrl,
  '--trusted-root', stack.trustedRootPath, '--rekor-url', stack.server.url, '--output', 'json', ...extra, file,
]);

test('the base64 certificate and signature verify; the entry is found in the log', async () => {
  const r = await verify('a.cert', 'a.sig');
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { signer: { subjects: string[] }; tlogEntry: { source: string } };
  assert.deepEqual(result.signer.subjects, [EMAIL]);
  assert.equal(result.tlogEntry.source, 'search');
});

test('--b64=false files (PEM certificate, raw signature) verify too', async () => {
  assert.ok(readFileSync(at('b.pem'), 'utf8').startsWith('-----BEGIN CERTIFICATE-----'));
  const r = await verify('b.pem', 'b.sig');
  assert.equal(r.code, 0, r.stderr);
});

test('a wrong identity, another file, or a signature made with another certificate: exit 12', async () => {
  const wrongIdentity = await runCli([
    'verify-blob', '--certificate', at('a.cert'), '--signature', at('a.sig'), '--certificate-identity', 'someone@else.example', '--certificate-oidc-issuer', stack.issuerUrl,
    '--trusted-root', stack.trustedRootPath, '--rekor-url', stack.server.url, artifact,
  ]);
  assert.equal(wrongIdentity.code, 12, wrongIdentity.stderr);
  writeFileSync(at('other.txt'), 'other bytes\n');
  assert.equal((await verify('a.cert', 'a.sig', [], at('other.txt'))).code, 12);
  const crossed = await verify('b.pem', 'a.sig');
  assert.equal(crossed.code, 12, crossed.stderr);
  assert.match(crossed.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);
});

test('--offline refuses to search the log; --insecure-ignore-tlog then still checks certificate and identity', async () => {
  const offline = await verify('a.cert', 'a.sig', ['--offline']);
  assert.equal(offline.code, 12, offline.stderr);
  assert.match(offline.stderr, /ERR_VERIFY_TLOG_MISSING/);
  const ignored = await verify('a.cert', 'a.sig', ['--offline', '--insecure-ignore-tlog']);
  assert.equal(ignored.code, 0, ignored.stderr);
});

test('usage: --certificate with --key, or a certificate file that is neither PEM nor base64', async () => {
  const both = await runCli(['verify-blob', '--certificate', at('a.cert'), '--key', at('a.cert'), '--signature', at('a.sig'), artifact]);
  assert.equal(both.code, 2, both.stderr);
  writeFileSync(at('junk.cert'), 'not a certificate at all');
  const junk = await verify('junk.cert', 'a.sig');
  assert.equal(junk.code, 12, junk.stderr);
  assert.match(junk.stderr, /ERR_CERT_INVALID/);
});

test('cosign verify-blob --certificate --signature accepts the same files', async () => {
  await expectSuccess(runPeer('cosign', [
    'verify-blob', '--certificate', at('a.cert'), '--signature', at('a.sig'), '--certificate-identity', EMAIL,
    '--certificate-oidc-issuer', stack.issuerUrl, '--rekor-url', stack.server.url, artifact,
  ], { env: stack.cosignEnv }), 'cosign verify-blob --certificate');
});

test('cosign\'s short spellings: --cert, --cert-identity, --cert-oidc-issuer (and --cert-chain, refused as --certificate-chain)', async () => {
  const r = await runCli([
    'verify-blob', '--cert', at('a.cert'), '--signature', at('a.sig'), `--cert-identity=${EMAIL}`, '--cert-oidc-issuer', stack.issuerUrl,
    '--trusted-root', stack.trustedRootPath, '--rekor-url', stack.server.url, artifact,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const chain = await runCli(['verify-blob', '--cert', at('a.cert'), '--cert-chain', at('b.pem'), '--signature', at('a.sig'), artifact]);
  assert.equal(chain.code, 2, chain.stderr);
  assert.match(chain.stderr, /^error: --certificate-chain: .*\(ERR_FLAG_UNSUPPORTED\)\n$/);
});
