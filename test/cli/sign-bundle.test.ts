// sigil sign-bundle (sigstore-conformance protocol) against one `sigil server`: a bundle v0.3 with
// a message signature, or a DSSE envelope around the in-toto statement byte for byte; services
// from the server's signing_config.json; a --trusted-root that does not hold the CA stops the
// bundle from being written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeylessServer, type KeylessServer } from '../support/keyless-server.ts';
import { runCli } from '../support/cli.ts';
import { parseBundle } from '../../src/bundle/index.ts';

let stack: KeylessServer;
let dir = '';
let token = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-bundle-'));
  stack = await startKeylessServer(dir);
  token = await stack.token(['--email', 'conformance@example.com']);
  writeFileSync(join(dir, 'a.txt'), 'conformance artifact\n');
});
after(async () => { await stack.server.stop(); rmSync(dir, { recursive: true, force: true }); });

test('message signature: the services from --signing-config, checked against --trusted-root; verify-bundle accepts it', async () => {
  const out = join(dir, 'a.sigstore.json');
  const r = await runCli(['sign-bundle', '--identity-token', token, '--bundle', out, '--signing-config', stack.signingConfigPath, '--trusted-root', stack.trustedRootPath, join(dir, 'a.txt')]);
  assert.equal(r.code, 0, r.stderr);
  const v = await runCli(['verify-bundle', '--bundle', out, '--certificate-identity', 'conformance@example.com', '--certificate-oidc-issuer', stack.issuerUrl, '--trusted-root', stack.trustedRootPath, join(dir, 'a.txt')]);
  assert.equal(v.code, 0, v.stderr);
  const bundle = parseBundle(readFileSync(out));
  assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
  assert.equal(bundle.content.kind, 'message');
  assert.equal(bundle.verificationMaterial.signer.kind, 'certificate');
  assert.equal(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind, 'hashedrekord');
});

test('--in-toto: a DSSE envelope whose payload is the statement exactly', async () => {
  const statement = `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha256":"${'ab'.repeat(32)}"}}],"predicateType":"https://example.com/p","predicate":{}}`;
  writeFileSync(join(dir, 'statement.json'), statement);
  const out = join(dir, 'dsse.sigstore.json');
  const r = await runCli(['sign-bundle', '--in-toto', '--identity-token', token, '--bundle', out, '--signing-config', stack.signingConfigPath, join(dir, 'statement.json')]);
  assert.equal(r.code, 0, r.stderr);
  const bundle = parseBundle(readFileSync(out));
  assert.ok(bundle.content.kind === 'dsse');
  assert.equal(Buffer.from(bundle.content.payload).toString(), statement);
  assert.equal(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind, 'dsse');
});

test('a trusted root without the CA: the check fails and no bundle is written', async () => {
  const out = join(dir, 'untrusted.sigstore.json');
  const root = new URL('../../src/verify/trust/production-trusted-root.json', import.meta.url);
  const r = await runCli(['sign-bundle', '--identity-token', token, '--bundle', out, '--signing-config', stack.signingConfigPath, '--trusted-root', root.pathname, join(dir, 'a.txt')]);
  assert.equal(r.code, 12, r.stderr);
  assert.equal(existsSync(out), false);
});

test('--staging without a signing config is a usage error', async () => {
  const r = await runCli(['sign-bundle', '--staging', '--identity-token', token, '--bundle', join(dir, 's.json'), join(dir, 'a.txt')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /\(ERR_USAGE\)\n$/);
});
