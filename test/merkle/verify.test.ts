// Edge cases of proof verification and node selection, table-driven, asserted by error code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  consistencyNodes, emptyRoot, inclusionNodes, rootFromInclusionProof, verifyConsistency, verifyInclusion,
} from '../../src/merkle/index.ts';
import { ReferenceTree, testLeaf } from './reference-tree.ts';

const tree = new ReferenceTree(Array.from({ length: 16 }, (_, i) => testLeaf(i)));
const leaf3 = tree.leafHash(3);
const proof3of10 = tree.inclusionProof(3, 10);
const root10 = tree.root(10);

const failures: readonly { name: string; run: () => unknown; code: string }[] = [
  { name: 'inclusion: index equal to size', run: () => verifyInclusion(10, 10, leaf3, proof3of10, root10), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: empty tree', run: () => rootFromInclusionProof(0, 0, leaf3, []), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: extra hash', run: () => verifyInclusion(3, 10, leaf3, [...proof3of10, root10], root10), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: missing hash', run: () => verifyInclusion(3, 10, leaf3, proof3of10.slice(1), root10), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: short proof hash', run: () => verifyInclusion(3, 10, leaf3, [new Uint8Array(31), ...proof3of10.slice(1)], root10), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: short leaf hash', run: () => verifyInclusion(3, 10, leaf3.slice(1), proof3of10, root10), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: wrong tree size changes the proof length', run: () => verifyInclusion(3, 17, leaf3, proof3of10, root10), code: 'ERR_MERKLE_INCLUSION_PROOF' },
  { name: 'inclusion: negative index', run: () => verifyInclusion(-1, 10, leaf3, proof3of10, root10), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
  { name: 'inclusion: fractional size', run: () => verifyInclusion(3, 10.5, leaf3, proof3of10, root10), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
  { name: 'inclusion: size past uint64', run: () => verifyInclusion(3, 1n << 64n, leaf3, proof3of10, root10), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
  { name: 'consistency: size1 > size2', run: () => verifyConsistency(5, 4, [], tree.root(5), tree.root(4)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'consistency: equal sizes, different roots', run: () => verifyConsistency(4, 4, [], tree.root(4), tree.root(5)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'consistency: equal sizes, non-empty proof', run: () => verifyConsistency(4, 4, [root10], tree.root(4), tree.root(4)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'consistency: from empty, non-empty proof', run: () => verifyConsistency(0, 4, [root10], emptyRoot(), tree.root(4)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'consistency: empty proof', run: () => verifyConsistency(3, 7, [], tree.root(3), tree.root(7)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'consistency: swapped roots', run: () => verifyConsistency(3, 7, tree.consistencyProof(3, 7), tree.root(7), tree.root(3)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'consistency: short root', run: () => verifyConsistency(3, 7, tree.consistencyProof(3, 7), tree.root(3).slice(1), tree.root(7)), code: 'ERR_MERKLE_CONSISTENCY_PROOF' },
  { name: 'nodes: inclusion index equal to size', run: () => inclusionNodes(7, 7), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
  { name: 'nodes: consistency size1 > size2', run: () => consistencyNodes(8, 7), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
  { name: 'nodes: unsafe number', run: () => inclusionNodes(0, 2 ** 53), code: 'ERR_MERKLE_INDEX_OUT_OF_RANGE' },
];

for (const c of failures) {
  test(c.name, () => assert.throws(c.run, { code: c.code }));
}

const successes: readonly { name: string; run: () => unknown }[] = [
  { name: 'inclusion: single-leaf tree, empty proof', run: () => verifyInclusion(0, 1, tree.leafHash(0), [], tree.leafHash(0)) },
  { name: 'inclusion: bigint index and size', run: () => verifyInclusion(3n, 10n, leaf3, proof3of10, root10) },
  // The proof binds size only through its shape; the signed checkpoint binds the rest.
  { name: 'inclusion: a size with the same proof shape still verifies', run: () => verifyInclusion(3, 11, leaf3, proof3of10, root10) },
  { name: 'consistency: from the empty tree', run: () => verifyConsistency(0, 9, [], emptyRoot(), tree.root(9)) },
  { name: 'consistency: same size, same root', run: () => verifyConsistency(9, 9, [], tree.root(9), tree.root(9)) },
  { name: 'consistency: power-of-two old tree', run: () => verifyConsistency(8, 13, tree.consistencyProof(8, 13), tree.root(8), tree.root(13)) },
];

for (const c of successes) {
  test(c.name, () => { c.run(); });
}

test('consistency nodes are empty from size 0 and between equal sizes', () => {
  assert.equal(consistencyNodes(0, 5).ids.length, 0);
  assert.equal(consistencyNodes(5, 5).ids.length, 0);
});
