import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUtf8, encodeUtf8, hashBytes } from '../../src/core/index.ts';
import { encodePae, IN_TOTO_PAYLOAD_TYPE, verifyStatementSubject } from '../../src/verify/dsse.ts';

const digest = hashBytes('sha256', 'artifact');
const statement = (subject: unknown): Uint8Array => encodeUtf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject }));
const hex = Buffer.from(digest).toString('hex');

test('PAE is "DSSEv1 <len> <type> <len> <body>" with byte lengths', () => {
  assert.equal(decodeUtf8(encodePae('t/é', encodeUtf8('hi'))), 'DSSEv1 4 t/é 2 hi');
});

test('the artifact must be a subject of an in-toto statement', () => {
  verifyStatementSubject(IN_TOTO_PAYLOAD_TYPE, statement([{ name: 'x', digest: { sha512: 'ab' } }, { name: 'a', digest: { sha256: hex.toUpperCase() } }]), digest);
  const refused: [string, string, Uint8Array][] = [
    ['other payload type', 'application/json', statement([{ digest: { sha256: hex } }])],
    ['not json', IN_TOTO_PAYLOAD_TYPE, encodeUtf8('{')],
    ['no subject list', IN_TOTO_PAYLOAD_TYPE, encodeUtf8('{"subject":{}}')],
    ['no matching subject', IN_TOTO_PAYLOAD_TYPE, statement([{ digest: { sha256: '00'.repeat(32) } }, null, 'x'])],
  ];
  for (const [name, type, payload] of refused) {
    assert.throws(() => verifyStatementSubject(type, payload, digest), { code: 'ERR_VERIFY_ARTIFACT_MISMATCH' }, name);
  }
});
