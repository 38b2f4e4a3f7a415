// `sigil verify-blob --bundle` keylessly, on real public-good data: sigstore-js's production bundles
// (signed by brian@dehamer.com through Fulcio and Rekor in 2022), cosign 2's legacy bundle JSON
// rebuilt from the same signature, certificate and Rekor entry, and the conformance suite's
// GitHub Actions bundle for the workflow flags. Each tampered copy changes one thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePem } from '../../src/core/index.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';

const JS = fileURLToPath(new URL('../vectors/sigstore-js/', import.meta.url));
const CONF = fileURLToPath(new URL('../vectors/sigstore-conformance/cases/conformance/', import.meta.url));
const ARTIFACT = join(JS, 'artifact.txt');
const ID = ['--certificate-identity', 'brian@dehamer.com', '--certificate-oidc-issuer', 'https://github.com/login/oauth'];
const dir = makeTempDir('kverify-blob');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

function save(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

/** cosign 2's legacy blob bundle made from a production v0.2 bundle's signature, certificate and entry. */
function legacyBundle(): Json {
  const b = readJson(join(JS, 'bundle-v0.2-message-cert.json'));
  const certDer = Buffer.from(b['verificationMaterial'].x509CertificateChain.certificates[0].rawBytes, 'base64');
  const entry = b['verificationMaterial'].tlogEntries[0];
  return {
    base64Signature: b['messageSignature'].signature,
    cert: Buffer.from(encodePem('CERTIFICATE', new Uint8Array(certDer))).toString('base64'),
    rekorBundle: {
      SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
      Payload: { body: entry.canonicalizedBody, integratedTime: Number(entry.integratedTime), logIndex: Number(entry.logIndex), logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex') },
    },
  };
}

function flip(b64: string, at = 20): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  return bytes.toString('base64');
}

test('Sigstore bundles v0.2 and v0.3 from production verify by identity against the built-in root', async () => {
  for (const name of ['bundle-v0.2-message-cert.json', 'bundle-v0.3-message-cert.json']) {
    const r = await runCli(['verify-blob', '--bundle', join(JS, name), ...ID, ARTIFACT]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stderr, 'Verified OK\n');
  }
  const json = await runCli(['verify-blob', '--bundle', join(JS, 'bundle-v0.3-message-cert.json'), ...ID, '--output', 'json', ARTIFACT]);
  const doc = JSON.parse(json.stdout) as { signer: { subjects: string[]; issuer: string } };
  assert.deepEqual(doc.signer, { subjects: ['brian@dehamer.com'], issuer: 'https://github.com/login/oauth' });
});

test('an identity or issuer mismatch fails with cosign\'s message and exit 12', async () => {
  const bundle = join(JS, 'bundle-v0.3-message-cert.json');
  const wrongId = await runCli(['verify-blob', '--bundle', bundle, '--certificate-identity', 'mallory@example.com', '--certificate-oidc-issuer', 'https://github.com/login/oauth', ARTIFACT]);
  assert.equal(wrongId.code, 12);
  assert.match(wrongId.stderr, /none of the expected identities matched what was in the certificate, got subjects \[brian@dehamer\.com\] with issuer https:\/\/github\.com\/login\/oauth \(ERR_VERIFY_IDENTITY_MISMATCH\)/);
  const wrongIssuer = await runCli(['verify-blob', '--bundle', bundle, '--certificate-identity', 'brian@dehamer.com', '--certificate-oidc-issuer', 'https://accounts.google.com', ARTIFACT]);
  assert.equal(wrongIssuer.code, 12);
  assert.match(wrongIssuer.stderr, /ERR_VERIFY_IDENTITY_MISMATCH/);
  // cosign's regexp semantics: unanchored search
  const regexp = await runCli(['verify-blob', '--bundle', bundle, '--certificate-identity-regexp', '@dehamer\\.com$', '--certificate-oidc-issuer-regexp', 'github', ARTIFACT]);
  assert.equal(regexp.code, 0, regexp.stderr);
});

test('a certificate that expired before the log integrated the entry is refused', async () => {
  const r = await runCli(['verify-blob', '--bundle', join(JS, 'invalid-v0.1-message-expired-cert.json'), ...ID, ARTIFACT]);
  assert.equal(r.code, 12);
  assert.match(r.stderr, /not valid at 2022-10-30T19:11:51\.000Z .*\(ERR_CERT_CHAIN\)/);
});

test('cosign\'s legacy bundle with a certificate verifies keylessly; tampering fails closed', async () => {
  const good = legacyBundle();
  const ok = await runCli(['verify-blob', '--bundle', save('legacy.json', good), ...ID, '--output', 'json', ARTIFACT]);
  assert.equal(ok.code, 0, ok.stderr);
  const doc = JSON.parse(ok.stdout) as { tlogEntry: { logIndex: number; integratedTime: number } };
  assert.deepEqual([doc.tlogEntry.logIndex, doc.tlogEntry.integratedTime], [6757503, 1667957590]);

  const badSet = { ...good, rekorBundle: { ...good['rekorBundle'], SignedEntryTimestamp: flip(good['rekorBundle'].SignedEntryTimestamp) } };
  const r1 = await runCli(['verify-blob', '--bundle', save('bad-set.json', badSet), ...ID, ARTIFACT]);
  assert.equal(r1.code, 12);
  assert.match(r1.stderr, /ERR_CRYPTO_SIGNATURE_INVALID|ERR_TLOG_SET_INVALID/);

  const laterTime = { ...good, rekorBundle: { ...good['rekorBundle'], Payload: { ...good['rekorBundle'].Payload, integratedTime: good['rekorBundle'].Payload.integratedTime + 3600 } } };
  const r2 = await runCli(['verify-blob', '--bundle', save('later.json', laterTime), ...ID, ARTIFACT]);
  assert.equal(r2.code, 12, 'a SET no longer signs a changed integrated time');

  const otherArtifact = save('other.txt', 'hello, world?');
  const r3 = await runCli(['verify-blob', '--bundle', save('legacy2.json', good), ...ID, otherArtifact]);
  assert.equal(r3.code, 12);
  assert.match(r3.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);

  const { cert: _cert, ...noCert } = good;
  const r4 = await runCli(['verify-blob', '--bundle', save('nocert.json', noCert), ...ID, ARTIFACT]);
  assert.equal(r4.code, 13);
  assert.match(r4.stderr, /no certificate found on signature \(ERR_VERIFY_CERTIFICATE_MISSING\)/);

  const wrongId = await runCli(['verify-blob', '--bundle', save('legacy3.json', good), '--certificate-identity', 'eve@example.com', '--certificate-oidc-issuer', 'https://github.com/login/oauth', ARTIFACT]);
  assert.equal(wrongId.code, 12);
  assert.match(wrongId.stderr, /got subjects \[brian@dehamer\.com\] with issuer https:\/\/github\.com\/login\/oauth/);
});

test('SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY and SIGSTORE_CT_LOG_PUBLIC_KEY_FILE replace the built-in root\'s parts', async () => {
  const root = readJson(join(JS, 'trusted_root.json'));
  const certs = root['certificateAuthorities'][0].certChain.certificates.map((c: Json) => encodePem('CERTIFICATE', new Uint8Array(Buffer.from(c['rawBytes'], 'base64')))).join('');
  const pem = (raw: string): string => encodePem('PUBLIC KEY', new Uint8Array(Buffer.from(raw, 'base64')));
  const env = isolatedEnv({
    SIGSTORE_ROOT_FILE: save('fulcio.pem', certs),
    SIGSTORE_REKOR_PUBLIC_KEY: save('rekor.pub', pem(root['tlogs'][0].publicKey.rawBytes)),
    SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: save('ctfe.pub', pem(root['ctlogs'][0].publicKey.rawBytes)),
  });
  const bundle = save('legacy-env.json', legacyBundle());
  const ok = await runCli(['verify-blob', '--bundle', bundle, ...ID, ARTIFACT], { env });
  assert.equal(ok.code, 0, ok.stderr);
  // another log key: the SET no longer verifies
  const other = await runCli(['verify-blob', '--bundle', bundle, ...ID, ARTIFACT], { env: { ...env, SIGSTORE_REKOR_PUBLIC_KEY: save('ct-as-rekor.pub', pem(root['ctlogs'][0].publicKey.rawBytes)) } });
  assert.equal(other.code, 12);
  assert.match(other.stderr, /ERR_TLOG_LOG_ID_MISMATCH/);
  // another CT log key: the SCT does not verify, unless --insecure-ignore-sct
  const ctEnv = { ...env, SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: env['SIGSTORE_REKOR_PUBLIC_KEY'] ?? '' };
  const noSct = await runCli(['verify-blob', '--bundle', bundle, ...ID, ARTIFACT], { env: ctEnv });
  assert.equal(noSct.code, 12);
  assert.match(noSct.stderr, /ERR_SCT_/);
  const ignored = await runCli(['verify-blob', '--bundle', bundle, ...ID, '--insecure-ignore-sct', ARTIFACT], { env: ctEnv });
  assert.equal(ignored.code, 0, ignored.stderr);
  const missing = await runCli(['verify-blob', '--bundle', bundle, ...ID, ARTIFACT], { env: { ...env, SIGSTORE_ROOT_FILE: join(dir, 'absent.pem') } });
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /SIGSTORE_ROOT_FILE names .*absent\.pem, which cannot be read \(ERR_CONFIG_INVALID\)/);
});

test('the GitHub workflow flags compare the legacy extensions exactly', async () => {
  const bundle = join(CONF, 'happy-path-v0.3/bundle.sigstore.json');
  const artifact = join(CONF, 'a.txt');
  const id = [
    '--certificate-identity', 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
    '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com',
  ];
  const all = [
    '--certificate-github-workflow-trigger', 'workflow_dispatch', '--certificate-github-workflow-sha', 'c7b3dfb335f051e1c86bda4c716fac97df62ad81',
    '--certificate-github-workflow-name', 'Extremely dangerous OIDC beacon', '--certificate-github-workflow-repository', 'sigstore-conformance/extremely-dangerous-public-oidc-beacon',
    '--certificate-github-workflow-ref', 'refs/heads/main',
  ];
  const ok = await runCli(['verify-blob', '--bundle', bundle, ...id, ...all, artifact]);
  assert.equal(ok.code, 0, ok.stderr);
  const trigger = await runCli(['verify-blob', '--bundle', bundle, ...id, '--certificate-github-workflow-trigger', 'push', artifact]);
  assert.equal(trigger.code, 12);
  assert.match(trigger.stderr, /expected GitHub Workflow Trigger not found in certificate \(ERR_VERIFY_IDENTITY_MISMATCH\)/);
  const repo = await runCli(['verify-blob', '--bundle', bundle, ...id, '--certificate-github-workflow-repository', 'sigstore-conformance/other', artifact]);
  assert.equal(repo.code, 12);
  assert.match(repo.stderr, /expected GitHub Workflow Repository not found in certificate/);
});

test('keyless verify-blob needs an identity and an issuer (cosign\'s messages), and --key excludes them', async () => {
  const bundle = join(JS, 'bundle-v0.3-message-cert.json');
  const noId = await runCli(['verify-blob', '--bundle', bundle, '--certificate-oidc-issuer', 'https://github.com/login/oauth', ARTIFACT]);
  assert.equal(noId.code, 2);
  assert.match(noId.stderr, /--certificate-identity or --certificate-identity-regexp is required for verification in keyless mode/);
  const noIssuer = await runCli(['verify-blob', '--bundle', bundle, '--certificate-identity', 'brian@dehamer.com', ARTIFACT]);
  assert.equal(noIssuer.code, 2);
  assert.match(noIssuer.stderr, /--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in keyless mode/);
  const both = await runCli(['verify-blob', '--bundle', bundle, '--key', join(dir, 'k.pub'), ...ID, ARTIFACT]);
  assert.equal(both.code, 2);
  const badRoot = await runCli(['verify-blob', '--bundle', bundle, ...ID, '--trusted-root', save('root.json', '{"mediaType":"nope"}'), ARTIFACT]);
  assert.equal(badRoot.code, 3);
  assert.match(badRoot.stderr, /ERR_TRUST_ROOT_INVALID/);
  assert.doesNotMatch(badRoot.stderr, /\n\s+at /, 'no stack trace');
});
