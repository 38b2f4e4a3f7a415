// Cross-checks proof node selection and verification against the naive reference tree: every
// index and every pair of sizes up to 130 leaves, then seeded random larger trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHex } from '../../src/core/index.ts';
import {
  compactRangeNodes, compactRangeRoot, hashChildren, hashLeaf, toCompactRange,
  consistencyNodes, decompInclProof, inclusionNodes, nodeBegin, nodeEnd, rehashProof,
  rootFromInclusionProof, verifyConsistency, verifyInclusion, type ProofNodes,
} from '../../src/merkle/index.ts';
import { ReferenceTree, seededRandom, testLeaf } from './reference-tree.ts';

const SMALL = 130;
const tree = new ReferenceTree(Array.from({ length: 4100 }, (_, i) => testLeaf(i)));

// What storage does: read each named node, which must be a perfect subtree inside the tree.
function readNodes(nodes: ProofNodes, size: number): Uint8Array[] {
  return nodes.ids.map((id) => {
    assert.ok(nodeEnd(id) <= BigInt(size), `node ${id.level}/${id.index} past size ${size}`);
    return tree.nodeHash(id.level, Number(id.index));
  });
}

const hex = (hs: readonly Uint8Array[]): string[] => hs.map(encodeHex);

function checkInclusion(index: number, size: number): void {
  const proof = rehashProof(inclusionNodes(index, size), readNodes(inclusionNodes(index, size), size));
  assert.deepEqual(hex(proof), hex(tree.inclusionProof(index, size)), `inclusion ${index}/${size}`);
  verifyInclusion(index, size, tree.leafHash(index), proof, tree.root(size));
}

function checkConsistency(size1: number, size2: number): void {
  const nodes = consistencyNodes(size1, size2);
  const proof = rehashProof(nodes, readNodes(nodes, size2));
  assert.deepEqual(hex(proof), hex(tree.consistencyProof(size1, size2)), `consistency ${size1}->${size2}`);
  verifyConsistency(size1, size2, proof, tree.root(size1), tree.root(size2));
}

test(`inclusion proofs match the reference for every index of sizes 1..${SMALL}`, () => {
  for (let size = 1; size <= SMALL; size++) for (let i = 0; i < size; i++) checkInclusion(i, size);
});

test(`consistency proofs match the reference for every pair of sizes up to ${SMALL}`, () => {
  for (let size2 = 0; size2 <= SMALL; size2++) for (let size1 = 0; size1 <= size2; size1++) checkConsistency(size1, size2);
});

test('seeded random larger trees agree with the reference', () => {
  const random = seededRandom(6962);
  for (let round = 0; round < 300; round++) {
    const size = 1 + Math.floor(random() * 4099);
    checkInclusion(Math.floor(random() * size), size);
    checkConsistency(Math.floor(random() * (size + 1)), size);
  }
});

test('a tampered inclusion proof fails for every hash position', () => {
  const random = seededRandom(9162);
  for (let round = 0; round < 200; round++) {
    const size = 2 + Math.floor(random() * 300);
    const index = Math.floor(random() * size);
    const proof = tree.inclusionProof(index, size);
    proof.forEach((_, j) => {
      const bad = proof.map((h, k) => (k === j ? flip(h) : h));
      assert.throws(() => verifyInclusion(index, size, tree.leafHash(index), bad, tree.root(size)), { code: 'ERR_MERKLE_INCLUSION_PROOF' });
    });
    if (index + 1 < size) {
      assert.throws(() => verifyInclusion(index + 1, size, tree.leafHash(index), proof, tree.root(size)), { code: 'ERR_MERKLE_INCLUSION_PROOF' });
    }
  }
});

test('a tampered consistency proof fails for every hash position', () => {
  const random = seededRandom(6963);
  for (let round = 0; round < 200; round++) {
    const size2 = 2 + Math.floor(random() * 300);
    const size1 = 1 + Math.floor(random() * (size2 - 1));
    const proof = tree.consistencyProof(size1, size2);
    proof.forEach((_, j) => {
      const bad = proof.map((h, k) => (k === j ? flip(h) : h));
      assert.throws(() => verifyConsistency(size1, size2, bad, tree.root(size1), tree.root(size2)), { code: 'ERR_MERKLE_CONSISTENCY_PROOF' });
    });
    assert.throws(() => verifyConsistency(size1, size2, proof, tree.root(size1 + 1), tree.root(size2)), { code: 'ERR_MERKLE_CONSISTENCY_PROOF' });
  }
});

function flip(h: Uint8Array): Uint8Array {
  const out = new Uint8Array(h);
  out[0] = (out[0] as number) ^ 1;
  return out;
}

test('node ids work for uint64 indices far beyond 2^53', () => {
  const size = (1n << 63n) + 12345n;
  const index = (1n << 62n) + 7n;
  const nodes = inclusionNodes(index, size);
  const { inner, border } = decompInclProof(index, size);
  assert.equal(rehashProof(nodes, nodes.ids.map(() => new Uint8Array(32))).length, inner + border);
  for (const id of nodes.ids) assert.ok(nodeEnd(id) <= size && nodeBegin(id) >= 0n);
  const consistency = consistencyNodes(size - 1000n, size);
  assert.ok(consistency.ids.length > 0);
});

// A tree whose leaves are all equal has one hash per level, so proofs and roots of trees far
// beyond what the reference can build are still computable from node ids alone.
function uniformTree(): (level: number) => Uint8Array {
  const levels = [hashLeaf(new Uint8Array([7]))];
  for (let l = 1; l <= 64; l++) levels.push(hashChildren(levels[l - 1] as Uint8Array, levels[l - 1] as Uint8Array));
  return (level) => levels[level] as Uint8Array;
}

test('inclusion and consistency verify at uint64 scale in a uniform tree', () => {
  const at = uniformTree();
  const rootOf = (size: bigint): Uint8Array => compactRangeRoot(toCompactRange(0n, size, compactRangeNodes(0n, size).map((id) => at(id.level))));
  const random = seededRandom(64);
  for (let round = 0; round < 50; round++) {
    const size = BigInt(Math.floor(random() * 2 ** 32)) * BigInt(Math.floor(random() * 2 ** 31)) + 2n;
    const index = size - 1n - BigInt(Math.floor(random() * 1000));
    const size1 = size - BigInt(Math.floor(random() * 5000)) - 1n;
    const incl = inclusionNodes(index, size);
    verifyInclusion(index, size, at(0), rehashProof(incl, incl.ids.map((id) => at(id.level))), rootOf(size));
    const cons = consistencyNodes(size1, size);
    verifyConsistency(size1, size, rehashProof(cons, cons.ids.map((id) => at(id.level))), rootOf(size1), rootOf(size));
  }
});

test('rehashProof refuses a hash count that differs from the ids', () => {
  assert.throws(() => rehashProof(inclusionNodes(0, 5), []), { code: 'ERR_INPUT_INVALID' });
});
