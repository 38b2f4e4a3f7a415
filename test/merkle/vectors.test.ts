// Real Rekor v1 (production, ECDSA P-256) and Rekor v2 (staging, Ed25519 C2SP) entries: the leaf
// hash of the canonicalized body plus the proof reproduce the root, the checkpoint verifies with
// the log key, and each tampered copy fails with the code it names. See test/vectors/merkle/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeBase64, type SignatureAlgorithm } from '../../src/core/index.ts';
import {
  createNoteVerifier, hashLeaf, noteKeyId, verifyCheckpoint, verifyCheckpointMatches, verifyInclusion,
  type Checkpoint, type NoteKeyIdStyle,
} from '../../src/merkle/index.ts';

interface Vector {
  readonly description: string;
  readonly expectCode?: string;
  readonly log: { readonly keyDetails: string; readonly publicKey: string; readonly logId: string; readonly keyName: string; readonly keyIdStyle: NoteKeyIdStyle };
  readonly entry: {
    readonly canonicalizedBody: string;
    readonly inclusionProof: {
      readonly logIndex: string; readonly treeSize: string; readonly rootHash: string;
      readonly hashes: readonly string[]; readonly checkpoint: { readonly envelope: string };
    };
  };
}

const dir = new URL('../vectors/merkle/', import.meta.url);
const load = (name: string): Vector => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Vector;
const jsonFiles = (sub: string): string[] => readdirSync(new URL(sub, dir)).filter((f) => f.endsWith('.json')).sort();

// protobuf-specs PublicKeyDetails -> our explicit algorithm names
const ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  PKIX_ECDSA_P256_SHA_256: 'ecdsa-p256-sha256',
  PKIX_ED25519: 'ed25519',
};

function logKey(v: Vector): Parameters<typeof createNoteVerifier>[0] {
  const algorithm = ALGORITHMS[v.log.keyDetails];
  assert.ok(algorithm, `unsupported key ${v.log.keyDetails}`);
  return { name: v.log.keyName, algorithm, spkiDer: decodeBase64(v.log.publicKey), keyIdStyle: v.log.keyIdStyle };
}

// The order a bundle verifier uses: proof to its root, then the signed checkpoint, then agreement.
function verifyEntry(v: Vector): Checkpoint {
  const proof = v.entry.inclusionProof;
  const rootHash = decodeBase64(proof.rootHash);
  const leafHash = hashLeaf(decodeBase64(v.entry.canonicalizedBody));
  verifyInclusion(BigInt(proof.logIndex), BigInt(proof.treeSize), leafHash, proof.hashes.map((h) => decodeBase64(h)), rootHash);
  const checkpoint = verifyCheckpoint(proof.checkpoint.envelope, [createNoteVerifier(logKey(v))]);
  verifyCheckpointMatches(checkpoint, { size: BigInt(proof.treeSize), rootHash });
  return checkpoint;
}

for (const name of jsonFiles('.')) {
  test(`valid: ${name}`, () => {
    const v = load(name);
    const checkpoint = verifyEntry(v);
    // the trusted root's log ID is the full key ID whose first 4 bytes are the hint
    assert.deepEqual(noteKeyId(logKey(v)), decodeBase64(v.log.logId));
    if (v.log.keyIdStyle === 'spki-sha256') assert.match(checkpoint.origin, new RegExp(`^${v.log.keyName.replaceAll('.', '\\.')} - \\d+$`));
    else assert.equal(checkpoint.origin, v.log.keyName);
  });
}

for (const name of jsonFiles('tampered/')) {
  const v = load(`tampered/${name}`);
  test(`tampered: ${name} fails with ${v.expectCode}`, () => {
    assert.ok(v.expectCode, 'tampered vectors name their expected code');
    assert.throws(() => verifyEntry(v), { code: v.expectCode });
  });
}

test('a v1 checkpoint keeps its signed Timestamp extension line', () => {
  const checkpoint = verifyEntry(load('v1-message-cert-v0.3.json'));
  assert.deepEqual(checkpoint.extensions, ['Timestamp: 1689107716054191855']);
  assert.equal(checkpoint.size, 22954907n);
});
