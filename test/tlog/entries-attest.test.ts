// The log entries cosign 2.5's `attest` uploads (captured request bodies): dsse 0.0.1 with
// `"signatures": null`, and intoto 0.0.1, canonicalized as Rekor stores them; tampering refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeBase64, decodeUtf8, encodeBase64, encodePem, encodeUtf8, hashHex } from '../../src/core/index.ts';
import { makeLogKey } from './support.ts';
import { canonicalizeProposedEntry } from '../../src/tlog/entries/proposed-entry.ts';

type Json = Record<string, unknown>;
const load = (name: string): Json => JSON.parse(readFileSync(new URL(`../vectors/cosign-attest/${name}`, import.meta.url), 'utf8')) as Json;
const spec = (p: Json): Json => p['spec'] as Json;

test('cosign\'s dsse body (signatures: null beside proposedContent) is accepted', () => {
  const proposal = load('dsse-proposal.json');
  assert.equal(spec(proposal)['signatures'], null);
  const entry = canonicalizeProposedEntry(proposal);
  assert.equal(entry.kind, 'dsse');
  const body = JSON.parse(decodeUtf8(entry.body)) as { spec: { envelopeHash: { value: string }; signatures: unknown[] } };
  const envelope = (spec(proposal)['proposedContent'] as Json)['envelope'] as string;
  assert.equal(body.spec.envelopeHash.value, hashHex('sha256', encodeUtf8(envelope)));
  assert.equal(body.spec.signatures.length, 1);
  // a non-empty signature list beside proposedContent is still refused
  const both = { ...proposal, spec: { ...spec(proposal), signatures: [{ signature: 'x', verifier: 'y' }] } };
  assert.throws(() => canonicalizeProposedEntry(both), { code: 'ERR_TLOG_ENTRY_INVALID' });
});

test('cosign\'s intoto 0.0.1 body canonicalizes to hashes and the key, as Rekor keeps it', () => {
  const proposal = load('intoto-v001-proposal.json');
  const content = spec(proposal)['content'] as Json;
  const envelope = content['envelope'] as string;
  const entry = canonicalizeProposedEntry(proposal);
  assert.equal(entry.kind, 'intoto');
  assert.equal(entry.apiVersion, '0.0.1');
  assert.equal(entry.insertable, true);
  const statement = decodeBase64((JSON.parse(envelope) as { payload: string }).payload);
  assert.deepEqual(JSON.parse(decodeUtf8(entry.body)), {
    apiVersion: '0.0.1', kind: 'intoto',
    spec: {
      content: { hash: { algorithm: 'sha256', value: hashHex('sha256', encodeUtf8(envelope)) }, payloadHash: { algorithm: 'sha256', value: hashHex('sha256', statement) } },
      publicKey: spec(proposal)['publicKey'],
    },
  });
  assert.ok(entry.searchKeys.includes(`sha256:${hashHex('sha256', statement)}`));
});

test('intoto 0.0.1: a tampered statement, a foreign key, a bad envelope and a missing key are refused', () => {
  const proposal = load('intoto-v001-proposal.json');
  const content = spec(proposal)['content'] as Json;
  const env = JSON.parse(content['envelope'] as string) as { payload: string; signatures: unknown[] };
  const withEnvelope = (e: unknown): Json => ({ ...proposal, spec: { ...spec(proposal), content: { ...content, envelope: typeof e === 'string' ? e : JSON.stringify(e) } } });
  const tampered = { ...env, payload: Buffer.from(decodeUtf8(decodeBase64(env.payload)).replace('"me"', '"you"')).toString('base64') };
  assert.throws(() => canonicalizeProposedEntry(withEnvelope(tampered)), { code: 'ERR_TLOG_ENTRY_SIGNATURE' });
  assert.throws(() => canonicalizeProposedEntry(withEnvelope('{not json')), { code: 'ERR_TLOG_ENTRY_INVALID' });
  assert.throws(() => canonicalizeProposedEntry(withEnvelope({ ...env, signatures: [] })), { code: 'ERR_TLOG_ENTRY_INVALID' });
  const dsseKey = ((spec(load('dsse-proposal.json'))['proposedContent'] as Json)['verifiers'] as string[])[0];
  assert.equal(dsseKey, spec(proposal)['publicKey']); // the same cosign key signed both captures
  const foreign = encodeBase64(encodeUtf8(encodePem('PUBLIC KEY', makeLogKey().spkiDer)));
  assert.throws(() => canonicalizeProposedEntry({ ...proposal, spec: { ...spec(proposal), publicKey: foreign } }), { code: 'ERR_TLOG_ENTRY_SIGNATURE' });
  const { publicKey: _gone, ...noKey } = spec(proposal);
  assert.throws(() => canonicalizeProposedEntry({ ...proposal, spec: noKey }), { code: 'ERR_TLOG_ENTRY_INVALID' });
  // without an envelope the entry is lookup-only
  const lookup = canonicalizeProposedEntry({ ...proposal, spec: { ...spec(proposal), content: { hash: content['hash'] } } });
  assert.equal(lookup.insertable, false);
});
