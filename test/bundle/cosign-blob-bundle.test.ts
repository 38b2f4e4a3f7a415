// cosign 2's legacy sign-blob bundle: the exact bytes written, and what the parser refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCosignBlobBundle, parseCosignBlobBundle, type RekorLogEntry } from '../../src/bundle/index.ts';
import { decodeUtf8, encodeUtf8, isAppError } from '../../src/core/index.ts';

const entry: RekorLogEntry & { signedEntryTimestamp: Uint8Array } = {
  entryId: 'ab'.repeat(32), uuid: 'ab'.repeat(32), bodyBase64: 'e30=', body: encodeUtf8('{}'),
  integratedTime: 1700000000, logIndex: 7, logId: 'cd'.repeat(32), signedEntryTimestamp: new Uint8Array([1, 2, 3]),
};

test('the encoding is compact, in cosign\'s field order, without cert for a key and without rekorBundle unlogged', () => {
  assert.equal(encodeCosignBlobBundle('c2ln', undefined), '{"base64Signature":"c2ln"}');
  assert.equal(
    encodeCosignBlobBundle('c2ln', entry),
    `{"base64Signature":"c2ln","rekorBundle":{"SignedEntryTimestamp":"AQID","Payload":{"body":"e30=","integratedTime":1700000000,"logIndex":7,"logID":"${'cd'.repeat(32)}"}}}`,
  );
  assert.match(encodeCosignBlobBundle('c2ln', undefined, 'PEM'), /^\{"base64Signature":"c2ln","cert":"UEVN"\}$/);
});

test('parsing round-trips and hands the rekorBundle on as json', () => {
  const parsed = parseCosignBlobBundle(encodeUtf8(encodeCosignBlobBundle('c2ln', entry)));
  assert.equal(parsed.signatureBase64, 'c2ln');
  assert.equal(parsed.certBase64, undefined);
  assert.match(decodeUtf8(parsed.rekorBundle ?? new Uint8Array()), /^\{"SignedEntryTimestamp":"AQID","Payload":/);
  assert.equal(parseCosignBlobBundle(encodeUtf8('{"base64Signature":"c2ln","rekorBundle":null}')).rekorBundle, undefined);
});

test('malformed bundles are ERR_BUNDLE_INVALID (exit 2)', () => {
  for (const text of ['not json', '[]', '{}', '{"base64Signature":""}', '{"base64Signature":"x","cert":1}', '{"base64Signature":"x","rekorBundle":[]}']) {
    assert.throws(() => parseCosignBlobBundle(encodeUtf8(text)), (e: unknown) => isAppError(e) && e.code === 'ERR_BUNDLE_INVALID', text);
  }
});
