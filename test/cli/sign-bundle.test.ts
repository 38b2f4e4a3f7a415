// sigil sign-bundle (sigstore-conformance protocol): a bundle v0.3 with a message signature, or a
// DSSE envelope around the in-toto statement byte for byte; services from --signing-config; a
// --trusted-root that does not hold the CA stops the bundle from being written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startFulcioDouble, type FulcioDouble } from '../support/fulcio-double.ts';
import { mintIdToken } from '../support/id-tokens.ts';
import { runCli } from '../support/cli.ts';
import { parseBundle } from '../../src/bundle/index.ts';

const ISSUER = 'https://issuer.example/oidc';
let server: SigilServerProcess;
let fulcio: FulcioDouble;
let dir = '';
let token = '';
let signingConfig = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-bundle-'));
  server = await startSigilServer(join(dir, 'data'), ['--only', 'log']);
  fulcio = await startFulcioDouble();
  token = await mintIdToken({ iss: ISSUER, sub: 'x', email: 'conformance@example.com', email_verified: true });
  writeFileSync(join(dir, 'a.txt'), 'conformance artifact\n');
  signingConfig = join(dir, 'signing_config.json');
  const service = (url: string) => [{ url, majorApiVersion: 1, validFor: { start: '2020-01-01T00:00:00Z' }, operator: 'sigil.test' }];
  writeFileSync(signingConfig, JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json', caUrls: service(fulcio.url), rekorTlogUrls: service(server.url), rekorTlogConfig: { selector: 'ANY' },
  }));
});
after(async () => { await server.stop(); await fulcio.close(); rmSync(dir, { recursive: true, force: true }); });

test('message signature: the services come from --signing-config', async () => {
  const out = join(dir, 'a.sigstore.json');
  const r = await runCli(['sign-bundle', '--identity-token', token, '--bundle', out, '--signing-config', signingConfig, join(dir, 'a.txt')]);
  assert.equal(r.code, 0, r.stderr);
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
  const r = await runCli(['sign-bundle', '--in-toto', '--identity-token', token, '--bundle', out, '--signing-config', signingConfig, join(dir, 'statement.json')]);
  assert.equal(r.code, 0, r.stderr);
  const bundle = parseBundle(readFileSync(out));
  assert.ok(bundle.content.kind === 'dsse');
  assert.equal(Buffer.from(bundle.content.payload).toString(), statement);
  assert.equal(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind, 'dsse');
});

test('a trusted root without the CA: the check fails and no bundle is written', async () => {
  const out = join(dir, 'untrusted.sigstore.json');
  const root = new URL('../../src/verify/trust/production-trusted-root.json', import.meta.url);
  const r = await runCli(['sign-bundle', '--identity-token', token, '--bundle', out, '--signing-config', signingConfig, '--trusted-root', root.pathname, join(dir, 'a.txt')]);
  assert.equal(r.code, 12, r.stderr);
  assert.equal(existsSync(out), false);
});

test('--staging without a signing config is a usage error', async () => {
  const r = await runCli(['sign-bundle', '--staging', '--identity-token', token, '--bundle', join(dir, 's.json'), join(dir, 'a.txt')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /\(ERR_USAGE\)\n$/);
});
