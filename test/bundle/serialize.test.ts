// Writing bundle v0.3: a Rekor v1 entry mapped to a TransparencyLogEntry (and back through
// parseBundle), the DSSE pieces, and the refusal to write an entry without SET or proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createImageSignStatement, encodeBundleV03, encodeDssePae, parseBundle, toBundleTlogEntry, type RekorLogEntry,
} from '../../src/bundle/index.ts';
import { encodeBase64, encodeUtf8 } from '../../src/core/index.ts';

const body = encodeUtf8('{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{}}');
const entry: RekorLogEntry = {
  entryId: 'c'.repeat(80), uuid: 'c'.repeat(64), bodyBase64: encodeBase64(body), body, integratedTime: 1700000000, logId: 'ab'.repeat(32), logIndex: 41,
  signedEntryTimestamp: new Uint8Array([1, 2]),
  inclusionProof: { logIndex: 41, treeSize: 42, rootHash: new Uint8Array(32).fill(7), hashes: [new Uint8Array(32).fill(9)], checkpoint: 'cp\n' },
};

test('a Rekor v1 entry becomes a bundle TransparencyLogEntry in proto field order', () => {
  const json = toBundleTlogEntry(entry);
  assert.deepEqual(Object.keys(json), ['logIndex', 'logId', 'kindVersion', 'integratedTime', 'inclusionPromise', 'inclusionProof', 'canonicalizedBody']);
  assert.deepEqual(json['kindVersion'], { kind: 'hashedrekord', version: '0.0.1' });
  assert.equal(json['logIndex'], '41');
  assert.deepEqual(json['logId'], { keyId: Buffer.from('ab'.repeat(32), 'hex').toString('base64') });
  assert.deepEqual((json['inclusionProof'] as { checkpoint: unknown }).checkpoint, { envelope: 'cp\n' });
});

test('the v0.3 bundle parses back with the leaf, the entry and the message signature', () => {
  const text = encodeBundleV03({ certificateDer: new Uint8Array([0x30, 0]), tlogEntry: entry, content: { kind: 'message', digestSha256: new Uint8Array(32), signature: new Uint8Array([5]) } });
  const parsed = parseBundle(encodeUtf8(text));
  assert.equal(parsed.version, '0.3');
  assert.equal(parsed.verificationMaterial.signer.kind, 'certificate');
  assert.equal(parsed.verificationMaterial.tlogEntries[0]?.logIndex, 41n);
  assert.equal(parsed.verificationMaterial.tlogEntries[0]?.inclusionProof?.treeSize, 42n);
});

const incomplete: { name: string; entry: RekorLogEntry }[] = [
  { name: 'no SET', entry: { ...entry, signedEntryTimestamp: undefined } as unknown as RekorLogEntry },
  { name: 'no inclusion proof', entry: { ...entry, inclusionProof: undefined } as unknown as RekorLogEntry },
  { name: 'a body without kind', entry: { ...entry, body: encodeUtf8('{}') } },
];
for (const c of incomplete) {
  test(`an entry with ${c.name} is refused (ERR_BUNDLE_INVALID)`, () => {
    assert.throws(() => toBundleTlogEntry(c.entry), { code: 'ERR_BUNDLE_INVALID' });
  });
}

test('PAE and the image statement', () => {
  assert.equal(new TextDecoder().decode(encodeDssePae('t', encodeUtf8('hello'))), 'DSSEv1 1 t 5 hello');
  assert.equal(new TextDecoder().decode(createImageSignStatement('ab', { z: '1', a: '2' })),
    '{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"ab"},"annotations":{"a":"2","z":"1"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}');
});
