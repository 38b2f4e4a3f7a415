import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinTrustedRoot, isWithinValidity, parseTrustedRoot } from '../../src/verify/index.ts';
import { readVector } from './corpus.ts';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const production = (): Record<string, any> => JSON.parse(new TextDecoder().decode(readVector('trust/production/trusted_root.json')));

test('the built-in production root has the public-good logs, CAs and TSA', () => {
  const root = builtinTrustedRoot('production');
  assert.deepEqual(root.tlogs.map((l) => [l.baseUrl, l.algorithm]), [
    ['https://rekor.sigstore.dev', 'ecdsa-p256-sha256'], ['https://log2025-1.rekor.sigstore.dev', 'ed25519'],
  ]);
  assert.equal(root.ctlogs.length, 2);
  assert.deepEqual(root.certificateAuthorities.map((c) => c.certChain.length), [1, 2]);
  assert.equal(root.timestampAuthorities.length, 1);
  assert.equal(root.ctlogs[0]?.validFor?.end?.toISOString(), '2022-10-31T23:59:59.999Z');
});

test('the built-in staging root parses, keeping keys of unsupported types unusable', () => {
  const root = builtinTrustedRoot('staging');
  assert.equal(root.tlogs.length, 5);
  assert.ok(root.ctlogs.some((l) => l.keyDetails === 'PKCS1_RSA_PKCS1V5' && l.algorithm === null));
});

test('a validFor without start is malformed', () => {
  const root = production();
  delete root['tlogs'][0]['publicKey']['validFor']['start'];
  assert.throws(() => parseTrustedRoot(enc(root)), { code: 'ERR_TRUST_ROOT_INVALID' });
});

test('json null counts as absent and 6-digit fractions parse', () => {
  const root = parseTrustedRoot(readVector('cases/conformance/trust-root-tlog-validity-end-inclusive/trusted_root.json'));
  assert.equal(root.tlogs[0]?.validFor?.end?.toISOString(), '2023-07-12T15:56:36.000Z');
});

const malformed: [string, (r: Record<string, any>) => void][] = [
  ['unknown media type', (r) => { r['mediaType'] = 'application/json'; }],
  ['bad timestamp', (r) => { r['tlogs'][0]['publicKey']['validFor']['start'] = '2021-01-12 11:53:27'; }],
  ['bad base64 key', (r) => { r['tlogs'][0]['publicKey']['rawBytes'] = 'not base64!'; }],
  ['certificate that does not parse', (r) => { r['certificateAuthorities'][0]['certChain']['certificates'][0]['rawBytes'] = 'AAAA'; }],
  ['empty chain', (r) => { r['certificateAuthorities'][0]['certChain']['certificates'] = []; }],
  ['tlogs not an array', (r) => { r['tlogs'] = {}; }],
];
for (const [name, mutate] of malformed) {
  test(`a trust root with ${name} is rejected`, () => {
    const root = production();
    mutate(root);
    assert.throws(() => parseTrustedRoot(enc(root)), { code: 'ERR_TRUST_ROOT_INVALID' });
  });
}

test('validity periods are closed intervals', () => {
  const period = { start: new Date('2025-01-01T00:00:00Z'), end: new Date('2025-02-01T00:00:00Z') };
  assert.equal(isWithinValidity(period, period.start), true);
  assert.equal(isWithinValidity(period, period.end), true);
  assert.equal(isWithinValidity(period, new Date(period.end.getTime() + 1)), false);
  assert.equal(isWithinValidity(period, new Date(period.start.getTime() - 1)), false);
  assert.equal(isWithinValidity({ start: period.start }, new Date('2999-01-01T00:00:00Z')), true);
});
