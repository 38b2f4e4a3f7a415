import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseBundle } from '../../src/bundle/parse.ts';

interface Case { name: string; bundle: string; expect: 'pass' | 'fail'; category: string }
const base = new URL('../vectors/sigstore-conformance/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', base), 'utf8')) as Case[];
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, base)));

// Structure failures a parser alone must catch; the rest of the failing cases need the verifier.
const PARSE_FAILURES: Record<string, string> = {
  'bundle-empty-certificate-chain_fail': 'ERR_BUNDLE_INVALID',
  'bundle-invalid-base64-signature_fail': 'ERR_BUNDLE_INVALID',
  'bundle-malformed-json_fail': 'ERR_BUNDLE_INVALID',
  'bundle-negative-log-index_fail': 'ERR_BUNDLE_INVALID',
  'bundle-unknown-version_fail': 'ERR_BUNDLE_VERSION_UNSUPPORTED',
  'sp-invalid-media-type': 'ERR_BUNDLE_VERSION_UNSUPPORTED',
  'sp-no-cert-v0.1': 'ERR_BUNDLE_INVALID',
};

test('every bundle the corpus expects to verify parses', () => {
  const passing = cases.filter((c) => c.expect === 'pass');
  assert.ok(passing.length >= 100);
  for (const c of passing) {
    const b = parseBundle(read(c.bundle));
    assert.ok(b.verificationMaterial.tlogEntries.length + b.verificationMaterial.rfc3161Timestamps.length > 0, c.name);
  }
});

for (const [name, code] of Object.entries(PARSE_FAILURES)) {
  test(`${name} fails to parse with ${code}`, () => {
    const c = cases.find((x) => x.name === name);
    assert.ok(c, name);
    assert.throws(() => parseBundle(read(c.bundle)), { code });
  });
}

test('v0.3 bundles carry one certificate and checkpointed proofs; int64 fields become bigints', () => {
  const c = cases.find((x) => x.name === 'happy-path-v0.3');
  assert.ok(c);
  const b = parseBundle(read(c.bundle));
  assert.equal(b.version, '0.3');
  assert.equal(b.verificationMaterial.signer.kind, 'certificate');
  const e = b.verificationMaterial.tlogEntries[0];
  assert.equal(typeof e?.logIndex, 'bigint');
  assert.ok(e?.inclusionProof?.checkpoint?.includes('rekor.sigstore.dev'));
});

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const mutations: [string, (b: Record<string, any>) => void, string][] = [
  ['two-content-forms', (b) => { b['dsseEnvelope'] = { payload: '', payloadType: 'x', signatures: [{ sig: '' }] }; }, 'ERR_BUNDLE_INVALID'],
  ['no-content', (b) => { delete b['messageSignature']; }, 'ERR_BUNDLE_INVALID'],
  ['v03-with-chain', (b) => { b['verificationMaterial']['x509CertificateChain'] = { certificates: [b['verificationMaterial']['certificate']] }; delete b['verificationMaterial']['certificate']; }, 'ERR_BUNDLE_INVALID'],
  ['proof-without-checkpoint', (b) => { delete b['verificationMaterial']['tlogEntries'][0]['inclusionProof']['checkpoint']; }, 'ERR_BUNDLE_INVALID'],
  ['log-index-not-a-number', (b) => { b['verificationMaterial']['tlogEntries'][0]['logIndex'] = '12a'; }, 'ERR_BUNDLE_INVALID'],
];
for (const [name, mutate, code] of mutations) {
  test(`mutation ${name} is rejected with ${code}`, () => {
    const c = cases.find((x) => x.name === 'happy-path-v0.3');
    assert.ok(c);
    const b = JSON.parse(readFileSync(new URL(c.bundle, base), 'utf8')) as Record<string, any>;
    mutate(b);
    assert.throws(() => parseBundle(enc(b)), { code });
  });
}
