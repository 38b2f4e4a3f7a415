// Proposed entries canonicalized as a batch (their ECDSA checks run together) give, entry by
// entry, what parseProposedEntry gives alone: the same canonical entry, or nothing where it throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createCachedKeyParser, parseProposedEntries, parseProposedEntry, type CanonicalEntry } from '../../src/tlog/index.ts';
import { makeProposals } from './crash-support.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function withDigest(body: string, edit: (v: { spec: { data: { hash: { value: string } }; signature: { content: string } } }) => void): string {
  const v = JSON.parse(body) as { spec: { data: { hash: { value: string } }; signature: { content: string } } };
  edit(v);
  return JSON.stringify(v);
}

// a hashedrekord entry under another key type (decided at once, not batched)
function rsaProposal(text: string): string {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return JSON.stringify({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: {
    data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(text).digest('hex') } },
    signature: { content: sign('sha256', Buffer.from(text), privateKey).toString('base64'), publicKey: { content: Buffer.from(pem).toString('base64') } },
  } });
}

function alone(bytes: Uint8Array): CanonicalEntry | undefined {
  try { return parseProposedEntry(bytes, createCachedKeyParser(8)); } catch { return undefined; }
}

test('a batch of good, tampered, malformed and RSA entries agrees entry by entry with parsing each alone', () => {
  const good = makeProposals(12);
  const flip = (h: string): string => (h[0] === '0' ? '1' : '0') + h.slice(1);
  const bodies = [
    ...good.slice(0, 4),
    withDigest(good[4]!, (v) => { v.spec.data.hash.value = flip(v.spec.data.hash.value); }),
    good[5]!,
    withDigest(good[6]!, (v) => { v.spec.signature.content = JSON.parse(good[7]!).spec.signature.content; }),
    '{"kind":',
    '{"kind":"hashedrekord","apiVersion":"0.0.1","spec":{}}',
    rsaProposal('rsa artifact'),
    withDigest(rsaProposal('rsa tampered'), (v) => { v.spec.data.hash.value = flip(v.spec.data.hash.value); }),
    ...good.slice(8),
    good[0]!,
  ].map(enc);
  const got = parseProposedEntries(bodies, createCachedKeyParser(8));
  const want = bodies.map(alone);
  assert.equal(got.length, bodies.length);
  assert.deepEqual(got.map((e) => e === undefined), want.map((e) => e === undefined));
  assert.deepEqual(got.map((e) => (e === undefined ? 0 : 1)), [1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1]);
  got.forEach((e, i) => assert.deepEqual(e, want[i], `entry ${i}`));
  assert.deepEqual(parseProposedEntries([], createCachedKeyParser(8)), []);
});
