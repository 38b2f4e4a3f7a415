import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointNameOf, findLog, verifyTlogEntry } from '../../src/verify/bundle-tlog.ts';
import { loadCase } from './corpus.ts';

const v1 = loadCase('happy-path-v0.3');
const v1Entry = v1.bundle.verificationMaterial.tlogEntries[0];
const v2 = loadCase('rekor2-happy-path');
const v2Entry = v2.bundle.verificationMaterial.tlogEntries[0];

test('a Rekor v1 entry yields its SET time; a Rekor v2 entry verifies by proof alone', () => {
  assert.ok(v1Entry && v2Entry);
  assert.equal(verifyTlogEntry(v1Entry, v1.root.tlogs).integratedTime?.toISOString(), '2024-03-19T17:26:26.000Z');
  const r = verifyTlogEntry(v2Entry, v2.root.tlogs);
  assert.equal(r.integratedTime, undefined);
  assert.equal(checkpointNameOf(r.log), 'log2025-alpha1.rekor.sigstage.dev');
});

test('the SET signs the global log index and the integrated time', () => {
  assert.ok(v1Entry);
  assert.throws(() => verifyTlogEntry({ ...v1Entry, logIndex: v1Entry.logIndex + 1n }, v1.root.tlogs), { code: 'ERR_TLOG_SET_INVALID' });
  assert.throws(() => verifyTlogEntry({ ...v1Entry, integratedTime: v1Entry.integratedTime - 1n }, v1.root.tlogs), { code: 'ERR_TLOG_SET_INVALID' });
});

test('an entry needs a SET or a proof, and a proof needs its checkpoint', () => {
  assert.ok(v1Entry && v2Entry?.inclusionProof);
  const { inclusionPromise: _promise, inclusionProof: _proof, ...bare } = v1Entry;
  assert.throws(() => verifyTlogEntry(bare, v1.root.tlogs), { code: 'ERR_TLOG_UNVERIFIABLE' });
  const { checkpoint: _checkpoint, ...proof } = v2Entry.inclusionProof;
  assert.throws(() => verifyTlogEntry({ ...v2Entry, inclusionProof: proof }, v2.root.tlogs), { code: 'ERR_TLOG_PROOF_MISSING' });
});

test('the proof is checked with its own index, and the log must be in the root', () => {
  assert.ok(v2Entry?.inclusionProof);
  const moved = { ...v2Entry, inclusionProof: { ...v2Entry.inclusionProof, logIndex: v2Entry.inclusionProof.logIndex - 1n } };
  assert.throws(() => verifyTlogEntry(moved, v2.root.tlogs), { code: 'ERR_MERKLE_INCLUSION_PROOF' });
  assert.throws(() => findLog(v2Entry, v1.root.tlogs), { code: 'ERR_VERIFY_TLOG_UNTRUSTED' });
});

test('a checkpoint signed by the right key under another log name does not count', () => {
  assert.ok(v2Entry);
  const renamed = v2.root.tlogs.map((l) => ({ ...l, baseUrl: 'https://log2025-alpha1.rekor.example' }));
  assert.throws(() => verifyTlogEntry(v2Entry, renamed), { code: 'ERR_CHECKPOINT_SIGNATURE' });
});
