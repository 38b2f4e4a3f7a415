import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.ts';

const vectors = fileURLToPath(new URL('../vectors/sigstore-conformance/', import.meta.url));
const BUNDLE = join(vectors, 'cases/conformance/happy-path-v0.3/bundle.sigstore.json');
const ARTIFACT = join(vectors, 'cases/conformance/a.txt');
const DIGEST = 'sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';
const ID = ['--certificate-identity', 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main'];
const ISSUER = ['--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com'];

async function sigil(argv: readonly string[], cwd = vectors): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await run(argv, { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } }, env: {}, cwd });
  return { status, out, err };
}

test('verify-bundle prints Verified OK, or json with the signer and times', async () => {
  const text = await sigil(['verify-bundle', '--bundle', BUNDLE, ...ID, ...ISSUER, ARTIFACT]);
  assert.equal(text.status, 0, text.err);
  assert.equal(text.out, 'Verified OK\n');
  const json = await sigil(['verify-bundle', '--bundle', BUNDLE, ...ID, ...ISSUER, '--output', 'json', DIGEST]);
  assert.equal(json.status, 0, json.err);
  const doc = JSON.parse(json.out) as { signer: { issuer: string }; tlogEntries: { logIndex: string }[] };
  assert.equal(doc.signer.issuer, 'https://token.actions.githubusercontent.com');
  assert.equal(doc.tlogEntries[0]?.logIndex, '79571823');
});

test('the -regexp flags search like cosign', async () => {
  const r = await sigil(['verify-bundle', '--bundle', BUNDLE, '--certificate-identity-regexp', 'sigstore-conformance/', '--certificate-oidc-issuer-regexp', '^https://token\\.actions\\.', ARTIFACT]);
  assert.equal(r.status, 0, r.err);
});

const usage: [string, string[]][] = [
  ['no identity', ['verify-bundle', '--bundle', BUNDLE, ...ISSUER, ARTIFACT]],
  ['identity and identity-regexp', ['verify-bundle', '--bundle', BUNDLE, ...ID, '--certificate-identity-regexp', 'x', ...ISSUER, ARTIFACT]],
  ['key with identity flags', ['verify-bundle', '--bundle', BUNDLE, ...ID, ...ISSUER, '--key', BUNDLE, ARTIFACT]],
  ['no bundle', ['verify-bundle', ...ID, ...ISSUER, ARTIFACT]],
  ['bad regexp', ['verify-bundle', '--bundle', BUNDLE, '--certificate-identity-regexp', '(', ...ISSUER, ARTIFACT]],
];
for (const [name, argv] of usage) {
  test(`verify-bundle with ${name} is a usage error`, async () => {
    const r = await sigil(argv);
    assert.equal(r.status, 2);
    assert.match(r.err, /\(ERR_USAGE\)\n$/);
  });
}

test('a missing artifact or bundle file is ERR_FILE_NOT_FOUND; a bad trust root exits 3', async () => {
  const missing = await sigil(['verify-bundle', '--bundle', BUNDLE, ...ID, ...ISSUER, 'no-such-file']);
  assert.equal(missing.status, 2);
  assert.match(missing.err, /\(ERR_FILE_NOT_FOUND\)/);
  const root = await sigil(['verify-bundle', '--bundle', BUNDLE, ...ID, ...ISSUER, '--trusted-root', BUNDLE, ARTIFACT]);
  assert.equal(root.status, 3);
  assert.match(root.err, /\(ERR_TRUST_ROOT_INVALID\)/);
});

test('an existing file named like a digest is read as a file, not taken as the digest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-vb-'));
  try {
    writeFileSync(join(dir, DIGEST), 'not the signed artifact\n');
    const r = await sigil(['verify-bundle', '--bundle', BUNDLE, ...ID, ...ISSUER, DIGEST], dir);
    assert.equal(r.status, 12);
    assert.match(r.err, /\(ERR_VERIFY_ARTIFACT_MISMATCH\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--staging selects the built-in staging root: a staging bundle passes only with it', async () => {
  const bundle = join(vectors, 'cases/sigstore-python/sp-bundle-v0.3-staging/bundle.sigstore.json');
  const artifact = join(vectors, 'cases/sigstore-python/sp-bundle-v0.3-staging/artifact');
  const args = ['--bundle', bundle, '--certificate-identity', 'william@yossarian.net', '--certificate-oidc-issuer', 'https://github.com/login/oauth', artifact];
  assert.equal((await sigil(['verify-bundle', '--staging', ...args])).status, 0);
  assert.equal((await sigil(['verify-bundle', ...args])).status, 12);
});
