import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHex, encodeHex } from '../../src/core/index.ts';
import { emptyRoot, hashChildren, hashLeaf } from '../../src/merkle/index.ts';
import { ReferenceTree } from './reference-tree.ts';

// RFC 6962 test data as used by Certificate Transparency's merkle tree tests: eight leaves
// and the root of every prefix of them.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

test('empty root is SHA-256 of the empty string', () => {
  assert.equal(encodeHex(emptyRoot()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('leaf hash is domain separated with 0x00', () => {
  assert.equal(encodeHex(hashLeaf(new Uint8Array(0))), ROOTS[0]);
});

test('reference tree reproduces the RFC 6962 roots', () => {
  const tree = new ReferenceTree(LEAVES.map(decodeHex));
  ROOTS.forEach((root, i) => assert.equal(encodeHex(tree.root(i + 1)), root, `size ${i + 1}`));
});

test('hashChildren combines two leaf hashes as the size-2 root', () => {
  const [a, b] = LEAVES.map(decodeHex).map(hashLeaf);
  assert.equal(encodeHex(hashChildren(a as Uint8Array, b as Uint8Array)), ROOTS[1]);
});

test('hashChildren refuses hashes of the wrong size', () => {
  assert.throws(() => hashChildren(new Uint8Array(31), new Uint8Array(32)), { code: 'ERR_INPUT_INVALID' });
});
