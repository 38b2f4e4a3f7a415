import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashBytes } from '../../src/core/index.ts';
import { createMatcher, verifyBundle, type ArtifactInput, type VerificationPolicy } from '../../src/verify/index.ts';
import { loadCase, readVector } from './corpus.ts';

const LATER = (): Date => new Date('2026-11-01T00:00:00Z');
const policyOf = (identity: string, issuer: string): VerificationPolicy => ({
  kind: 'identity', identities: [{ subject: createMatcher('exact', identity), issuer: createMatcher('exact', issuer) }],
});

test('a v0.3 Rekor v1 bundle verifies: identity, SET time, log entry', () => {
  const c = loadCase('happy-path-v0.3');
  const result = verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { trustedRoot: c.root, policy: policyOf(c.identity, c.issuer), clock: LATER });
  assert.equal(result.signer.kind, 'certificate');
  assert.deepEqual(result.verifiedTimes.map((t) => t.source), ['tlog']);
  assert.deepEqual(result.tlogEntries.map((e) => e.baseUrl), ['https://rekor.sigstore.dev']);
});

test('a Rekor v2 bundle takes its time from the RFC 3161 timestamp, in bytes and digest mode', () => {
  const c = loadCase('rekor2-happy-path');
  const modes: ArtifactInput[] = [{ kind: 'bytes', data: c.artifact }, { kind: 'digest', algorithm: 'sha256', digest: hashBytes('sha256', c.artifact) }];
  for (const artifact of modes) {
    const result = verifyBundle(c.bundle, artifact, { trustedRoot: c.root, policy: policyOf(c.identity, c.issuer), clock: LATER });
    assert.deepEqual(result.verifiedTimes.map((t) => [t.source, t.time.toISOString()]), [['rfc3161', '2025-06-12T12:02:20.000Z']]);
  }
});

test('a signed time after "now" is refused (a skewed or forged clock)', () => {
  const c = loadCase('happy-path-v0.3');
  const before = (): Date => new Date('2024-01-01T00:00:00Z');
  assert.throws(() => verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { trustedRoot: c.root, policy: policyOf(c.identity, c.issuer), clock: before }), { code: 'ERR_VERIFY_NO_VERIFIED_TIME' });
});

test('a certificate bundle is not verified with a key, nor a key bundle with an identity', () => {
  const c = loadCase('happy-path-v0.3');
  assert.ok(c.leaf);
  const keyPolicy: VerificationPolicy = { kind: 'public-key', spkiDer: c.leaf.publicKey.spkiDer };
  assert.throws(() => verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { trustedRoot: c.root, policy: keyPolicy, clock: LATER }), { code: 'ERR_VERIFY_MATERIAL_MISMATCH' });
});

test('a wrong identity or issuer fails after everything else verified', () => {
  const c = loadCase('happy-path-v0.3');
  for (const policy of [policyOf(`${c.identity}x`, c.issuer), policyOf(c.identity, 'https://accounts.google.com')]) {
    assert.throws(() => verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { trustedRoot: c.root, policy, clock: LATER }), { code: 'ERR_VERIFY_IDENTITY_MISMATCH' });
  }
});

test('a DSSE bundle verifies only an artifact that is a statement subject', () => {
  const c = loadCase('happy-path-intoto-in-dsse-v3');
  const options = { trustedRoot: c.root, policy: policyOf(c.identity, c.issuer), clock: LATER };
  verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, options);
  const other = readVector('cases/conformance/wrong-material_fail/artifact');
  assert.throws(() => verifyBundle(c.bundle, { kind: 'bytes', data: other }, options), { code: 'ERR_VERIFY_ARTIFACT_MISMATCH' });
});

test('a bundle whose log is not in the trust root fails', () => {
  const c = loadCase('happy-path-v0.3');
  const root = { ...c.root, tlogs: [] };
  assert.throws(() => verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { trustedRoot: root, policy: policyOf(c.identity, c.issuer), clock: LATER }), { code: 'ERR_VERIFY_TLOG_UNTRUSTED' });
});

test('a log whose validity ended before the integrated time is not trusted for that entry', () => {
  const c = loadCase('trust-root-tlog-validity-end-inclusive');
  const options = { policy: policyOf(c.identity, c.issuer), clock: LATER };
  verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { ...options, trustedRoot: c.root });
  const end = c.root.tlogs[0]?.validFor?.end;
  assert.ok(end);
  const earlier = { ...c.root, tlogs: c.root.tlogs.map((l) => ({ ...l, validFor: { start: new Date(0), end: new Date(end.getTime() - 1000) } })) };
  assert.throws(() => verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, { ...options, trustedRoot: earlier }), { code: 'ERR_VERIFY_TLOG_UNTRUSTED' });
});
