import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { verifyRekorEntry, verifyRekorSet, verifyRekorInclusion, logIdOf, type TrustedLogKey } from '../../src/verify/tlog.ts';
import { hashLeaf } from '../../src/merkle/index.ts';
import { encodeHex } from '../../src/core/index.ts';
import type { RekorLogEntry } from '../../src/bundle/index.ts';

interface BundleEntry {
  logIndex: string; logId: { keyId: string }; integratedTime: string; canonicalizedBody: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof?: { logIndex: string; treeSize: string; rootHash: string; hashes: string[]; checkpoint: { envelope: string } };
}
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(`../vectors/sigstore-js/${name}`, import.meta.url), 'utf8'));
const root = load('trusted_root.json') as { tlogs: { publicKey: { rawBytes: string } }[] };
const key: TrustedLogKey = { spkiDer: new Uint8Array(Buffer.from(root.tlogs[0]!.publicKey.rawBytes, 'base64')), algorithm: 'ecdsa-p256-sha256' };
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

// A bundle's tlog entry in the shape a Rekor v1 server returns (rekor-fulcio research §2.11, reversed).
function fromBundle(name: string): RekorLogEntry {
  const e = (load(name) as { verificationMaterial: { tlogEntries: BundleEntry[] } }).verificationMaterial.tlogEntries[0]!;
  const body = b64(e.canonicalizedBody);
  const uuid = encodeHex(hashLeaf(body));
  const p = e.inclusionProof;
  return {
    entryId: `24296fb24b8ad77a${uuid}`, uuid, bodyBase64: e.canonicalizedBody, body,
    integratedTime: Number(e.integratedTime), logId: encodeHex(b64(e.logId.keyId)), logIndex: Number(e.logIndex),
    ...(e.inclusionPromise ? { signedEntryTimestamp: b64(e.inclusionPromise.signedEntryTimestamp) } : {}),
    ...(p ? { inclusionProof: { logIndex: Number(p.logIndex), treeSize: Number(p.treeSize), rootHash: b64(p.rootHash), hashes: p.hashes.map(b64), checkpoint: p.checkpoint.envelope } } : {}),
  };
}

const good = ['bundle-v0.3-message-cert.json', 'bundle-v0.3-dsse-cert.json', 'bundle-v0.1-message-cert.json'];
for (const name of good) {
  test(`${name}: the production SET (and proof, when present) verify`, () => {
    const entry = fromBundle(name);
    assert.equal(entry.logId, logIdOf(key));
    const result = verifyRekorEntry(entry, key);
    assert.equal(result.setVerified, true);
    if (entry.inclusionProof) assert.equal(result.checkpoint?.size, BigInt(entry.inclusionProof.treeSize));
  });
}

const entry = fromBundle('bundle-v0.3-message-cert.json');
const flip = (b: Uint8Array): Uint8Array => { const c = new Uint8Array(b); c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 1; return c; };
const tampered: [string, RekorLogEntry, (e: RekorLogEntry) => void, string][] = [
  ['integrated-time-plus-one', { ...entry, integratedTime: entry.integratedTime + 1 }, (e) => verifyRekorSet(e, key), 'ERR_CRYPTO_SIGNATURE_INVALID'],
  ['log-index-plus-one', { ...entry, logIndex: entry.logIndex + 1 }, (e) => verifyRekorSet(e, key), 'ERR_CRYPTO_SIGNATURE_INVALID'],
  ['flipped-set-byte', { ...entry, signedEntryTimestamp: flip(entry.signedEntryTimestamp!) }, (e) => verifyRekorSet(e, key), 'ERR_CRYPTO_SIGNATURE_INVALID'],
  ['other-log-id', { ...entry, logId: '00'.repeat(32) }, (e) => verifyRekorSet(e, key), 'ERR_TLOG_LOG_ID_MISMATCH'],
  ['no-set', (() => { const { signedEntryTimestamp: _s, ...rest } = entry; return rest; })(), (e) => verifyRekorSet(e, key), 'ERR_TLOG_SET_MISSING'],
  ['flipped-body-byte', { ...entry, body: flip(entry.body) }, (e) => verifyRekorInclusion(e, key), 'ERR_TLOG_UUID_MISMATCH'],
  ['swapped-proof-hashes', { ...entry, inclusionProof: { ...entry.inclusionProof!, hashes: [entry.inclusionProof!.hashes[1]!, entry.inclusionProof!.hashes[0]!, ...entry.inclusionProof!.hashes.slice(2)] } }, (e) => verifyRekorInclusion(e, key), 'ERR_MERKLE_INCLUSION_PROOF'],
  ['wrong-tree-size', { ...entry, inclusionProof: { ...entry.inclusionProof!, treeSize: entry.inclusionProof!.treeSize + 1 } }, (e) => verifyRekorInclusion(e, key), 'ERR_CHECKPOINT_MISMATCH'],
  ['no-proof', (() => { const { inclusionProof: _p, ...rest } = entry; return rest; })(), (e) => verifyRekorInclusion(e, key), 'ERR_TLOG_PROOF_MISSING'],
  ['neither', (() => { const { inclusionProof: _p, signedEntryTimestamp: _s, ...rest } = entry; return rest; })(), (e) => verifyRekorEntry(e, key), 'ERR_TLOG_UNVERIFIABLE'],
];
for (const [name, e, check, code] of tampered) {
  test(`tampered ${name} is rejected with ${code}`, () => { assert.throws(() => check(e), { code }); });
}

test('a checkpoint signed by another key is rejected', () => {
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
  const other: TrustedLogKey = { ...key, spkiDer: new Uint8Array(spki) };
  assert.throws(() => verifyRekorInclusion(entry, other), { code: 'ERR_CHECKPOINT_SIGNATURE' });
  assert.throws(() => verifyRekorSet(entry, other), { code: 'ERR_TLOG_LOG_ID_MISMATCH' });
});
