// Entry references and search queries: every accepted form, and the codes of the rejected ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHex } from '../../src/core/index.ts';
import { entryIdOf, parseEntryReference, parseLogIndex, treeIdFromLogId } from '../../src/tlog/identifiers.ts';
import { parseSearchQuery } from '../../src/tlog/search.ts';

const TREE = 2605736670972794746n; // rekor.sigstore.dev's tree, 24296fb24b8ad77a in entry IDs
const UUID = 'ab'.repeat(32);

test('entry IDs are the 16-hex tree ID and the uuid, as on rekor.sigstore.dev', () => {
  assert.equal(entryIdOf(TREE, Buffer.from(UUID, 'hex')), `24296fb24b8ad77a${UUID}`);
});

const REFS: readonly [string, string, string][] = [
  ['uuid', UUID, `hash:${UUID}`],
  ['upper-case uuid', UUID.toUpperCase(), `hash:${UUID}`],
  ['entry id', `24296fb24b8ad77a${UUID}`, `hash:${UUID}`],
  ['entry id of another tree', `0000000000000001${UUID}`, 'other-tree'],
  ['log index', '6757503', 'index:6757503'],
  ['log index zero', '0', 'index:0'],
];
for (const [name, text, want] of REFS) {
  test(`a ${name} is accepted as an entry reference`, () => {
    const ref = parseEntryReference(text, TREE);
    const got = ref.by === 'hash' ? `hash:${encodeHex(ref.leafHash)}` : ref.by === 'index' ? `index:${ref.index}` : ref.by;
    assert.equal(got, want);
  });
}

for (const [name, text] of [['zero tree prefix', `${'0'.repeat(16)}${UUID}`], ['63 hex', UUID.slice(1)], ['negative index', '-1'], ['leading zero', '01'], ['junk', 'sha256:abc']]) {
  test(`a ${name} is refused with ERR_TLOG_ENTRY_ID_INVALID`, () => {
    assert.throws(() => parseEntryReference(text!, TREE), { code: 'ERR_TLOG_ENTRY_ID_INVALID' });
  });
}

test('log indexes come as numbers or decimal strings, never negative or fractional', () => {
  assert.equal(parseLogIndex(5), 5);
  assert.equal(parseLogIndex('5'), 5);
  for (const bad of [-1, 1.5, '1e3', '', null]) assert.throws(() => parseLogIndex(bad), { code: 'ERR_TLOG_ENTRY_ID_INVALID' });
});

test('the tree ID derived from a log ID is a positive int64', () => {
  const id = treeIdFromLogId(new Uint8Array(32).fill(0xff));
  assert.equal(id, (1n << 63n) - 1n);
  assert.equal(treeIdFromLogId(new Uint8Array(32)), 1n);
});

const HEX64 = 'C0FFEE'.padEnd(64, '0');
const QUERIES: readonly [string, unknown, string[][], string][] = [
  ['bare sha256', { hash: HEX64 }, [[`sha256:${HEX64.toLowerCase()}`]], 'or'],
  ['prefixed sha256', { hash: `sha256:${HEX64}` }, [[`sha256:${HEX64.toLowerCase()}`]], 'or'],
  ['bare sha512', { hash: 'a'.repeat(128) }, [[`sha512:${'a'.repeat(128)}`]], 'or'],
  ['bare sha1', { hash: 'b'.repeat(40) }, [[`sha1:${'b'.repeat(40)}`]], 'or'],
  ['email and subject with and', { email: 'Me@Example.com', subject: 'https://github.com/X', operator: 'and' }, [['me@example.com'], ['https://github.com/x']], 'and'],
];
for (const [name, body, criteria, operator] of QUERIES) {
  test(`a search by ${name} is normalized`, () => {
    assert.deepEqual(parseSearchQuery(body), { criteria, operator });
  });
}

for (const [name, body] of [['empty', {}], ['prefix of the wrong length', { hash: `sha512:${HEX64}` }], ['odd operator', { hash: HEX64, operator: 'xor' }], ['bad email', { email: 'nobody' }], ['pgp key', { publicKey: { format: 'pgp', content: '' } }], ['unparsable key', { publicKey: { format: 'x509', content: 'AAAA' } }]] as const) {
  test(`a search with ${name} is refused with ERR_TLOG_SEARCH_INVALID`, () => {
    assert.throws(() => parseSearchQuery(body), { code: 'ERR_TLOG_SEARCH_INVALID' });
  });
}
