// The hashedrekord proposal and cosign's bundle annotation: exact shapes, and a round trip through the verifier's parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHashedRekordProposal, encodeCosignBundleAnnotation } from '../../src/bundle/index.ts';
import { parseCosignBundleAnnotation } from '../../src/verify/cosign-bundle.ts';
import { encodeHex, encodeUtf8 } from '../../src/core/index.ts';
import { hashLeaf } from '../../src/merkle/index.ts';

const PEM = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';

test('the proposal hashes the artifact with sha256 and carries base64 of the pem', () => {
  const p = createHashedRekordProposal(encodeUtf8('abc'), 'c2ln', PEM);
  assert.equal(JSON.stringify(p), JSON.stringify({
    apiVersion: '0.0.1', kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' } },
      signature: { content: 'c2ln', publicKey: { content: Buffer.from(PEM).toString('base64') } },
    },
  }));
});

test('the annotation is cosign\'s compact json, and the verifier reads it back', () => {
  const body = encodeUtf8('{"kind":"hashedrekord"}');
  const bodyBase64 = Buffer.from(body).toString('base64');
  const uuid = encodeHex(hashLeaf(body));
  const entry = { entryId: uuid, uuid, bodyBase64, body, integratedTime: 1700000000, logId: 'ab'.repeat(32), logIndex: 42, signedEntryTimestamp: new Uint8Array([1, 2, 3]) };
  const text = encodeCosignBundleAnnotation(entry);
  assert.equal(text, `{"SignedEntryTimestamp":"AQID","Payload":{"body":"${bodyBase64}","integratedTime":1700000000,"logIndex":42,"logID":"${'ab'.repeat(32)}"}}`);
  const back = parseCosignBundleAnnotation(encodeUtf8(text));
  assert.deepEqual({ ...back }, { ...entry });
});
