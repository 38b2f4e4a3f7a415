// Checkpoints: body parsing and encoding, signing and verifying in both Rekor styles, and the
// agreement check against a proof, by error code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase64 } from '../../src/core/index.ts';
import {
  createNoteSigner, createNoteVerifier, encodeCheckpoint, parseCheckpoint, rekorV1Origin, signCheckpoint,
  verifyCheckpoint, verifyCheckpointMatches, type Checkpoint,
} from '../../src/merkle/index.ts';
import { ReferenceTree, testLeaf } from './reference-tree.ts';
import { generateNoteKey } from './keys.ts';

const tree = new ReferenceTree(Array.from({ length: 11 }, (_, i) => testLeaf(i)));
const root = tree.root(11);
const rootB64 = encodeBase64(root);
const checkpoint: Checkpoint = { origin: 'log.example', size: 11n, rootHash: root, extensions: [] };

test('body encodes as origin, decimal size, base64 root, each ending in a newline', () => {
  assert.equal(encodeCheckpoint(checkpoint), `log.example\n11\n${rootB64}\n`);
  assert.deepEqual(parseCheckpoint(encodeCheckpoint(checkpoint)), checkpoint);
});

test('extension lines round trip', () => {
  const withExt = { ...checkpoint, extensions: ['Timestamp: 1689107716054191855', 'other'] };
  assert.deepEqual(parseCheckpoint(encodeCheckpoint(withExt)), withExt);
});

test('sizes up to 2^64 - 1 parse', () => {
  assert.equal(parseCheckpoint(`o\n18446744073709551615\n${rootB64}\n`).size, (1n << 64n) - 1n);
  assert.equal(parseCheckpoint(`o\n0\n${rootB64}\n`).size, 0n);
});

test('Rekor v1 style: origin "<host> - <tree ID>", key name the host, SPKI key ID', () => {
  const key = generateNoteKey('rekor.example', 'ecdsa-p256-sha256');
  const cp = { ...checkpoint, origin: rekorV1Origin('rekor.example', 2605736670972794746n) };
  assert.equal(cp.origin, 'rekor.example - 2605736670972794746');
  assert.deepEqual(verifyCheckpoint(signCheckpoint(cp, [createNoteSigner(key)]), [createNoteVerifier(key)]), cp);
});

test('Rekor v1 with an Ed25519 key can still use the SPKI key ID', () => {
  const key = generateNoteKey('rekor.example', 'ed25519', 'spki-sha256');
  const note = signCheckpoint(checkpoint, [createNoteSigner(key)]);
  assert.throws(() => verifyCheckpoint(note, [createNoteVerifier({ ...key, keyIdStyle: 'c2sp-ed25519' })]), { code: 'ERR_CHECKPOINT_SIGNATURE' });
  assert.deepEqual(verifyCheckpoint(note, [createNoteVerifier(key)]), checkpoint);
});

const bodies: readonly { name: string; text: string }[] = [
  { name: 'empty origin', text: `\n11\n${rootB64}\n` },
  { name: 'missing size', text: `log.example\n${rootB64}\n` },
  { name: 'missing root', text: 'log.example\n11\n' },
  { name: 'leading zero', text: `log.example\n011\n${rootB64}\n` },
  { name: 'negative size', text: `log.example\n-1\n${rootB64}\n` },
  { name: 'size past uint64', text: `log.example\n18446744073709551616\n${rootB64}\n` },
  { name: 'root not base64', text: 'log.example\n11\n!!!!\n' },
  { name: 'root of 31 bytes', text: `log.example\n11\n${encodeBase64(root.slice(1))}\n` },
  { name: 'unpadded root', text: `log.example\n11\n${rootB64.replace(/=+$/, '')}\n` },
  { name: 'empty extension line', text: `log.example\n11\n${rootB64}\n\n` },
  { name: 'no final newline', text: `log.example\n11\n${rootB64}` },
];

for (const c of bodies) test(`body: ${c.name}`, () => assert.throws(() => parseCheckpoint(c.text), { code: 'ERR_CHECKPOINT_INVALID' }));

test('encoding refuses multi-line or empty lines and short roots', () => {
  assert.throws(() => encodeCheckpoint({ ...checkpoint, origin: 'a\nb' }), { code: 'ERR_CHECKPOINT_INVALID' });
  assert.throws(() => encodeCheckpoint({ ...checkpoint, extensions: [''] }), { code: 'ERR_CHECKPOINT_INVALID' });
  assert.throws(() => encodeCheckpoint({ ...checkpoint, rootHash: root.slice(1) }), { code: 'ERR_CHECKPOINT_INVALID' });
});

const mismatches: readonly { name: string; expected: Parameters<typeof verifyCheckpointMatches>[1] }[] = [
  { name: 'origin', expected: { origin: 'other.example' } },
  { name: 'size', expected: { size: 12 } },
  { name: 'root', expected: { rootHash: tree.root(10) } },
];

for (const c of mismatches) {
  test(`matches: different ${c.name}`, () => assert.throws(() => verifyCheckpointMatches(checkpoint, c.expected), { code: 'ERR_CHECKPOINT_MISMATCH' }));
}

test('matches: same origin, size and root', () => {
  verifyCheckpointMatches(checkpoint, { origin: 'log.example', size: 11n, rootHash: tree.root(11) });
});
