// The caching key parser the log server uses: the same answers as parseVerifierKey (production
// hashedrekord bodies come out byte for byte), the same errors, and it forgets the oldest key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { encodeBase64 } from '../../src/core/index.ts';
import { canonicalizeProposedEntry } from '../../src/tlog/entries/proposed-entry.ts';
import { createCachedKeyParser, parseVerifierKey } from '../../src/tlog/entries/verifier-key.ts';
import { loadEntryVectors } from './vectors.ts';

function pemOf(): Uint8Array {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new TextEncoder().encode(publicKey.export({ format: 'pem', type: 'spki' }).toString());
}

test('production hashedrekord entries canonicalize the same through the cached parser, twice', () => {
  const parseKey = createCachedKeyParser(4);
  const hashed = loadEntryVectors().filter((v) => v.kind === 'hashedrekord');
  assert.ok(hashed.length > 0);
  for (const v of [...hashed, ...hashed]) {
    assert.equal(encodeBase64(canonicalizeProposedEntry(v.proposed, parseKey).body), v.canonicalizedBody);
  }
});

test('a cached key equals a freshly parsed one, and the least recently used key is dropped', () => {
  const parseKey = createCachedKeyParser(2);
  const [a, b, c] = [pemOf(), pemOf(), pemOf()];
  const first = parseKey(a);
  assert.deepEqual(first, parseVerifierKey(a));
  assert.equal(parseKey(a), first);
  parseKey(b);
  parseKey(a); // a is now the most recent
  parseKey(c); // drops b
  assert.equal(parseKey(a), first);
  const bAgain = parseKey(b);
  assert.deepEqual(bAgain, parseVerifierKey(b));
  assert.notEqual(parseKey(c), undefined);
});

test('bad keys fail through the cached parser with the code parseVerifierKey gives, every time', () => {
  const parseKey = createCachedKeyParser(2);
  for (const bad of [new TextEncoder().encode('not a pem'), new Uint8Array([0xff, 0xfe, 0x00]), new TextEncoder().encode('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')]) {
    for (let i = 0; i < 2; i++) assert.throws(() => parseKey(bad), { code: 'ERR_TLOG_ENTRY_INVALID' });
  }
});
