// cosign attest's in-toto statements, byte for byte against statements cosign 2.5 stored, and the
// --type rules (short names, URIs, refusals).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeUtf8, encodeUtf8 } from '../../src/core/index.ts';
import { PREDICATE_TYPE_ALIASES, createAttestationStatement, parsePredicateType } from '../../src/oci/index.ts';

interface Vectors {
  repository: string; digestHex: string; cases: { type: string; predicate: string; now: string; statement: string }[];
  /** typed predicates (provenance, link, vuln) re-serialized through cosign's Go structs, each with its own image */
  more: { repository: string; digestHex: string; type: string; predicate: string; now: string; statement: string }[];
}
const input = (type: string, predicate: string) => ({ type, predicate: encodeUtf8(predicate), repository: 'r.example/app', digestHex: 'ab'.repeat(32), now: new Date(0) });
const vectors = JSON.parse(readFileSync(new URL('../vectors/cosign-attest/statements.json', import.meta.url), 'utf8')) as Vectors;

for (const c of vectors.cases) {
  test(`--type ${c.type}: the statement cosign 2.5 wrote`, () => {
    const { statement } = createAttestationStatement({
      type: c.type, predicate: encodeUtf8(c.predicate), repository: vectors.repository, digestHex: vectors.digestHex, now: new Date(c.now),
    });
    assert.equal(decodeUtf8(statement), c.statement);
  });
}

for (const c of vectors.more) {
  test(`--type ${c.type}: the predicate passes through cosign's struct as cosign 2.5 wrote it (${c.predicate.length} bytes)`, () => {
    const { statement } = createAttestationStatement({ type: c.type, predicate: encodeUtf8(c.predicate), repository: c.repository, digestHex: c.digestHex, now: new Date(c.now) });
    assert.equal(decodeUtf8(statement), c.statement);
  });
}

test('provenance fields of the wrong JSON type are refused as Go\'s unmarshal refuses them', () => {
  for (const bad of ['{"builder":{"id":1},"buildType":"x"}', '{"builder":{"id":"a"},"buildType":"x","materials":{}}', '{"builder":{"id":"a"},"buildType":"x","metadata":{"buildStartedOn":"yesterday"}}']) {
    assert.throws(() => createAttestationStatement(input('slsaprovenance', bad)), { code: 'ERR_ATTEST_PREDICATE_INVALID' }, bad);
  }
  assert.throws(() => createAttestationStatement(input('slsaprovenance1', '{"buildDefinition":{},"runDetails":{"builder":{"version":{"v":1}}}}')), { code: 'ERR_ATTEST_PREDICATE_INVALID' });
});

test('short names map to cosign\'s URIs; a URI is taken as it is', () => {
  assert.equal(parsePredicateType('slsaprovenance'), 'https://slsa.dev/provenance/v0.2');
  assert.equal(parsePredicateType('slsaprovenance1'), 'https://slsa.dev/provenance/v1');
  assert.equal(parsePredicateType('spdxjson'), 'https://spdx.dev/Document');
  assert.equal(parsePredicateType('vuln'), 'https://cosign.sigstore.dev/attestation/vuln/v1');
  assert.equal(parsePredicateType('https://example.com/unknown/v3'), 'https://example.com/unknown/v3');
  assert.equal(parsePredicateType('urn:example:thing'), 'urn:example:thing');
  assert.equal(Object.keys(PREDICATE_TYPE_ALIASES).length, 10);
});

for (const bad of ['', 'not a uri', 'slsa provenance', 'constructor']) {
  test(`--type ${JSON.stringify(bad)} is refused as cosign refuses it`, () => {
    assert.throws(() => parsePredicateType(bad), { code: 'ERR_ATTEST_PREDICATE_TYPE_INVALID' });
  });
}

test('a predicate that must be JSON and is not, or lacks a required field, is refused', () => {
  for (const type of ['spdxjson', 'cyclonedx', 'openvex', 'vuln', 'slsaprovenance', 'https://example.com/t']) {
    assert.throws(() => createAttestationStatement(input(type, 'not json')), { code: 'ERR_ATTEST_PREDICATE_INVALID' }, type);
  }
  assert.throws(() => createAttestationStatement(input('slsaprovenance1', '{"buildDefinition":{}}')), { code: 'ERR_ATTEST_PREDICATE_INVALID' });
  assert.throws(() => createAttestationStatement(input('link', '{"name":"x"}')), { code: 'ERR_ATTEST_PREDICATE_INVALID' });
  assert.throws(() => createAttestationStatement(input('slsaprovenance', '[1]')), { code: 'ERR_ATTEST_PREDICATE_INVALID' });
  // a URI type wants a JSON object, as cosign's map; cyclonedx and openvex take any JSON (checked against cosign 2.5)
  assert.throws(() => createAttestationStatement(input('https://example.com/t', '[1]')), { code: 'ERR_ATTEST_PREDICATE_INVALID' });
  for (const type of ['cyclonedx', 'openvex']) assert.doesNotThrow(() => createAttestationStatement(input(type, '[1]')), type);
  // custom and spdx take any text
  assert.doesNotThrow(() => createAttestationStatement(input('custom', 'not json')));
  assert.doesNotThrow(() => createAttestationStatement(input('spdx', 'not json')));
  // bytes that are not UTF-8 become U+FFFD, as Go writes them
  const binary = createAttestationStatement({ ...input('custom', ''), predicate: new Uint8Array([0xff, 0x41]) });
  assert.match(decodeUtf8(binary.statement), /"Data":"\ufffdA"/);
});
