// cosign 2.5 against sigil's CA and log: it requests a certificate (legacy v1 API), checks the
// embedded SCT against sigil's CT key, logs to sigil's log, and verifies the bundle with
// sigil's trusted_root.json; sigil verifies cosign's bundle; openssl reads the certificate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePem } from '../../src/core/index.ts';
import { expectSuccess, runPeer, runSigil } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startTestOidcIssuer, type TestOidcIssuer } from '../support/oidc-issuer.ts';
import { makeTempDir } from '../support/temp.ts';

let issuer: TestOidcIssuer;
let server: SigilServerProcess;
let dir = '';
let dataDir = '';
const EMAIL = 'alice@example.com';

before(async () => {
  issuer = await startTestOidcIssuer();
  dir = makeTempDir('sigil-ca-cosign-');
  dataDir = join(dir, 'data');
  const configPath = join(dir, 'ca-config.json');
  writeFileSync(configPath, JSON.stringify({ OIDCIssuers: { [issuer.issuer]: { IssuerURL: issuer.issuer, ClientID: 'sigstore', Type: 'email' } } }));
  server = await startSigilServer(dataDir, ['--only', 'ca,log', '--ca-config', configPath]);
});
after(async () => {
  await server.stop();
  await issuer.stop();
});

/** cosign's environment for a private deployment: the CA chain, the CT key and the log key, from sigil's trusted root. */
function cosignEnv(): Record<string, string> {
  const root = JSON.parse(readFileSync(join(dataDir, 'trusted_root.json'), 'utf8'));
  const pem = (b64: string): string => encodePem('PUBLIC KEY', new Uint8Array(Buffer.from(b64, 'base64')));
  writeFileSync(join(dir, 'ct.pub'), pem(root.ctlogs[0].publicKey.rawBytes));
  writeFileSync(join(dir, 'rekor.pub'), pem(root.tlogs[0].publicKey.rawBytes));
  return {
    HOME: dir,
    SIGSTORE_ROOT_FILE: join(dataDir, 'ca', 'chain.pem'),
    SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: join(dir, 'ct.pub'),
    SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'rekor.pub'),
  };
}

test('cosign sign-blob gets a certificate from sigil\'s CA; cosign and sigil verify the bundle by identity against trusted_root.json', async () => {
  const blob = join(dir, 'blob.txt');
  writeFileSync(blob, 'hello keyless\n');
  const token = await issuer.mint({ sub: 'alice', email: EMAIL, email_verified: true });
  const bundle = join(dir, 'blob.sigstore.json');
  // cosign's classic bundle first: cosign 2.5 cannot verify a new-format bundle of a log's very
  // first entry (index 0 of a one-leaf tree: protobuf JSON omits the zero index and the empty
  // proof, and its own validation then reports "nil value in transaction log entry")
  const classic = await runPeer('cosign', ['sign-blob', '--yes', '--fulcio-url', server.url, '--rekor-url', server.url,
    '--identity-token', token, '--bundle', join(dir, 'classic.json'), blob], { env: cosignEnv() });
  assert.equal(classic.code, 0, classic.stderr);
  await expectSuccess(runPeer('cosign', ['verify-blob', '--bundle', join(dir, 'classic.json'),
    '--certificate-identity', EMAIL, '--certificate-oidc-issuer', issuer.issuer, blob], { env: cosignEnv() }), 'cosign verify-blob (classic bundle)');
  const signed = await runPeer('cosign', ['sign-blob', '--yes', '--new-bundle-format', '--fulcio-url', server.url, '--rekor-url', server.url,
    '--identity-token', token, '--bundle', bundle, blob], { env: cosignEnv() });
  assert.equal(signed.code, 0, signed.stderr);
  assert.match(signed.stderr, /Successfully verified SCT/);
  const trustedRoot = join(dataDir, 'trusted_root.json');
  await expectSuccess(runPeer('cosign', ['verify-blob', '--new-bundle-format', '--trusted-root', trustedRoot, '--bundle', bundle,
    '--certificate-identity', EMAIL, '--certificate-oidc-issuer', issuer.issuer, blob], { env: { HOME: dir } }), 'cosign verify-blob');
  const wrong = await runPeer('cosign', ['verify-blob', '--new-bundle-format', '--trusted-root', trustedRoot, '--bundle', bundle,
    '--certificate-identity', 'mallory@example.com', '--certificate-oidc-issuer', issuer.issuer, blob], { env: { HOME: dir } });
  assert.notEqual(wrong.code, 0);
  await expectSuccess(runSigil(['verify-bundle', '--bundle', bundle, '--trusted-root', trustedRoot,
    '--certificate-identity', EMAIL, '--certificate-oidc-issuer', issuer.issuer, blob]), 'sigil verify-bundle');
  const leaf = JSON.parse(readFileSync(bundle, 'utf8')).verificationMaterial.certificate.rawBytes as string;
  const text = execFileSync('openssl', ['x509', '-text', '-noout'], { encoding: 'utf8', input: encodePem('CERTIFICATE', new Uint8Array(Buffer.from(leaf, 'base64'))) });
  assert.match(text, /X509v3 Subject Alternative Name: critical\n\s+email:alice@example\.com/);
  assert.match(text, /CT Precertificate SCTs:/);
});
