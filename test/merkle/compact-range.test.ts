// Compact ranges against the reference tree: incremental roots, merges at every split point,
// node visits, and misuse by error code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHex } from '../../src/core/index.ts';
import {
  appendLeafHash, appendLeafHashes, compactRangeNodes, compactRangeRoot, emptyCompactRange, emptyRoot, hashLeaf,
  mergeCompactRanges, toCompactRange, type CompactRange, type NodeId,
} from '../../src/merkle/index.ts';
import { ReferenceTree, seededRandom, testLeaf } from './reference-tree.ts';

const N = 300;
const tree = new ReferenceTree(Array.from({ length: N }, (_, i) => testLeaf(i)));

function rangeFromReference(begin: number, end: number): CompactRange {
  const hashes = compactRangeNodes(begin, end).map((id) => tree.nodeHash(id.level, Number(id.index)));
  return toCompactRange(begin, end, hashes);
}

test('appending leaves one by one yields every root of sizes 0..300', () => {
  let range = emptyCompactRange();
  assert.deepEqual(compactRangeRoot(range), emptyRoot());
  for (let i = 0; i < N; i++) {
    range = appendLeafHash(range, hashLeaf(testLeaf(i)));
    assert.equal(encodeHex(compactRangeRoot(range)), encodeHex(tree.root(i + 1)), `size ${i + 1}`);
    assert.equal(range.hashes.length, compactRangeNodes(0, i + 1).length);
  }
});

test('merging two adjacent ranges equals the range of their union', () => {
  const random = seededRandom(42);
  for (let round = 0; round < 400; round++) {
    const [a, b, c] = [random(), random(), random()].map((x) => Math.floor(x * (N + 1))).sort((x, y) => x - y) as [number, number, number];
    const merged = mergeCompactRanges(rangeFromReference(a, b), rangeFromReference(b, c));
    const expected = rangeFromReference(a, c);
    assert.deepEqual(merged.hashes.map(encodeHex), expected.hashes.map(encodeHex), `[${a},${b}) + [${b},${c})`);
    if (a === 0) assert.equal(encodeHex(compactRangeRoot(merged)), encodeHex(tree.root(c)));
  }
});

test('the visitor sees each leaf and each perfect node the append completes', () => {
  const seen: NodeId[] = [];
  let range = rangeFromReference(0, 7);
  range = appendLeafHash(range, hashLeaf(testLeaf(7)), (id, hash) => {
    seen.push(id);
    assert.equal(encodeHex(hash), encodeHex(tree.nodeHash(id.level, Number(id.index))));
  });
  assert.deepEqual(seen, [{ level: 0, index: 7n }, { level: 1, index: 3n }, { level: 2, index: 1n }, { level: 3, index: 0n }]);
  assert.equal(range.hashes.length, 1);
});

test('appending many leaf hashes at once equals appending them one by one: range and visits', () => {
  const random = seededRandom(7);
  for (let round = 0; round < 120; round++) {
    const [a, b, c] = [random(), random(), random()].map((x) => Math.floor(x * (N + 1))).sort((x, y) => x - y) as [number, number, number];
    const hashes = Array.from({ length: c - b }, (_, i) => hashLeaf(testLeaf(b + i)));
    const oneByOne: string[] = [];
    let want = rangeFromReference(a, b);
    for (const h of hashes) want = appendLeafHash(want, h, (id, hash) => oneByOne.push(`${id.level}/${id.index}/${encodeHex(hash)}`));
    const atOnce: string[] = [];
    const got = appendLeafHashes(rangeFromReference(a, b), hashes, (id, hash) => atOnce.push(`${id.level}/${id.index}/${encodeHex(hash)}`));
    assert.equal(got.begin, want.begin);
    assert.equal(got.end, want.end);
    assert.deepEqual(got.hashes.map(encodeHex), want.hashes.map(encodeHex), `[${a},${b}) + ${c - b} leaves`);
    assert.deepEqual(atOnce, oneByOne);
  }
  assert.throws(() => appendLeafHashes(emptyCompactRange(), [new Uint8Array(31)]), { code: 'ERR_MERKLE_RANGE_INVALID' });
});

test('compact range nodes of a few ranges', () => {
  const cases: readonly { begin: number; end: number; want: readonly [number, number][] }[] = [
    { begin: 0, end: 0, want: [] },
    { begin: 0, end: 1, want: [[0, 0]] },
    { begin: 0, end: 7, want: [[2, 0], [1, 2], [0, 6]] },
    { begin: 3, end: 13, want: [[0, 3], [2, 1], [2, 2], [0, 12]] },
    { begin: 8, end: 16, want: [[3, 1]] },
  ];
  for (const c of cases) {
    assert.deepEqual(compactRangeNodes(c.begin, c.end), c.want.map(([level, index]) => ({ level, index: BigInt(index) })), `[${c.begin}, ${c.end})`);
  }
});

const misuse: readonly { name: string; run: () => unknown; code: string }[] = [
  { name: 'nodes: begin after end', run: () => compactRangeNodes(5, 4), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'from hashes: wrong count', run: () => toCompactRange(0, 3, [hashLeaf(testLeaf(0))]), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'from hashes: short hash', run: () => toCompactRange(0, 1, [new Uint8Array(31)]), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'merge: gap between ranges', run: () => mergeCompactRanges(rangeFromReference(0, 3), rangeFromReference(4, 6)), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'merge: wrong order', run: () => mergeCompactRanges(rangeFromReference(3, 6), rangeFromReference(0, 3)), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'root: range not starting at 0', run: () => compactRangeRoot(rangeFromReference(1, 4)), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'append: short leaf hash', run: () => appendLeafHash(emptyCompactRange(), new Uint8Array(3)), code: 'ERR_MERKLE_RANGE_INVALID' },
  { name: 'empty: negative begin', run: () => emptyCompactRange(-1), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
];

for (const c of misuse) test(c.name, () => assert.throws(c.run, { code: c.code }));
