import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalizeJson } from '../../src/core/canonical-json.ts';
import { decodePem, encodePem } from '../../src/core/pem.ts';

const cases: [string, unknown, string][] = [
  ['sorted-keys', { b: 1, a: 2 }, '{"a":2,"b":1}'],
  ['nested', { z: { y: [3, { b: true, a: null }] } }, '{"z":{"y":[3,{"a":null,"b":true}]}}'],
  // RFC 8785 §3.2.3 sorting example: keys compared as UTF-16 code units
  ['utf16-order', { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ud83d\ude00': 'Emoji', '1': 'One', '\u0080': 'Control', '\u00f6': 'Latin' },
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji"}'],
  // RFC 8785 §3.2.2.3 number examples
  ['numbers', [1e21, 0.000001, 1e-7, -0, 333333333.33333329, 9007199254740991], '[1e+21,0.000001,1e-7,0,333333333.3333333,9007199254740991]'],
  ['string-escapes', { s: '\u0000\u001f"\\/\u2028' }, '{"s":"\\u0000\\u001f\\"\\\\/\u2028"}'],
  ['rekor-set-payload', { logIndex: 5, logID: 'ab', integratedTime: 1, body: 'Zm9v' }, '{"body":"Zm9v","integratedTime":1,"logID":"ab","logIndex":5}'],
];
for (const [name, value, want] of cases) {
  test(`canonicalizeJson ${name}`, () => { assert.equal(canonicalizeJson(value), want); });
}

test('canonicalizeJson rejects what JSON cannot carry', () => {
  assert.throws(() => canonicalizeJson(Number.NaN), { code: 'ERR_INPUT_INVALID' });
  assert.throws(() => canonicalizeJson({ a: Infinity }), { code: 'ERR_INPUT_INVALID' });
  assert.throws(() => canonicalizeJson(() => 1), { code: 'ERR_INPUT_INVALID' });
});

test('pem encodes as Go does and decodes back, several blocks in order', () => {
  const der = new Uint8Array(100).map((_, i) => i);
  const pem = encodePem('PUBLIC KEY', der);
  const lines = pem.split('\n');
  assert.equal(lines[0], '-----BEGIN PUBLIC KEY-----');
  assert.equal(lines[1]?.length, 64);
  assert.ok(pem.endsWith('-----END PUBLIC KEY-----\n'));
  const two = decodePem(`${pem}junk\n${encodePem('CERTIFICATE', der.subarray(0, 3))}`);
  assert.deepEqual(two.map((b) => b.label), ['PUBLIC KEY', 'CERTIFICATE']);
  assert.deepEqual(two[0]?.der, der);
  assert.throws(() => decodePem('nothing here'), { code: 'ERR_INPUT_INVALID' });
  assert.throws(() => decodePem('-----BEGIN X-----\n!!!!\n-----END X-----'), { code: 'ERR_INPUT_INVALID' });
});
