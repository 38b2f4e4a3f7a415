// The registry scan verifies Sigstore bundles through the worker pool when the CLI passes one:
// every signature row, good or bad, is what verifying in the scanner's own thread gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUtf8, encodeUtf8 } from '../../src/core/index.ts';
import { describeBundle, verifyBundleSignature } from '../../src/scan/repo-bundle.ts';
import type { RepoTrust } from '../../src/scan/index.ts';
import { startBundleVerifyPool } from '../../src/server/bundle-verify-pool.ts';
import { toTrustedRoot } from '../../src/verify/index.ts';
import { createKeylessAuthority } from '../support/keyless-authority.ts';
import { signImageBundle } from '../support/keyless-signatures.ts';

const identity = { san: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' };
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;

const authority = await createKeylessAuthority();
const stranger = await createKeylessAuthority();
const trust = (root: Record<string, unknown>): RepoTrust => ({ keys: [], trustedRoot: toTrustedRoot(root), notaryAnchors: [], now: new Date() });

const good = await signImageBundle(authority, identity, DIGEST);
const edited = (edit: (b: Record<string, any>) => void): Uint8Array => {
  const json = JSON.parse(decodeUtf8(good)) as Record<string, any>;
  edit(json);
  return encodeUtf8(JSON.stringify(json));
};
const cases: [name: string, bytes: Uint8Array, digest: string, root: Record<string, unknown>][] = [
  ['good', good, DIGEST, authority.trustedRoot],
  ['another image', good, OTHER, authority.trustedRoot],
  ['a foreign trust root', good, DIGEST, stranger.trustedRoot],
  ['a tampered envelope signature', edited((b) => { b.dsseEnvelope.signatures[0].sig = b.dsseEnvelope.signatures[0].sig.replace(/^.{8}/, 'AAAAAAAA'); }), DIGEST, authority.trustedRoot],
  ['a broken checkpoint', edited((b) => { b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope = 'x\n\n'; }), DIGEST, authority.trustedRoot],
];

test('bundle rows verified on the pool equal those verified in the scanner thread', async () => {
  const pool = startBundleVerifyPool(2);
  try {
    for (const [name, bytes, digest, root] of cases) {
      const { signature, bundle } = describeBundle(bytes, 'referrers-api', `sha256:${'ef'.repeat(32)}`);
      assert.ok(bundle, name);
      const t = trust(root);
      const here = await verifyBundleSignature(signature, bundle, bytes, digest, t);
      const pooled = await verifyBundleSignature(signature, bundle, bytes, digest, t, pool.verifyBundle);
      assert.deepEqual(pooled, here, name);
      assert.equal(here.status, name === 'good' ? 'verified' : 'failed', name);
    }
  } finally {
    await pool.close();
  }
});
