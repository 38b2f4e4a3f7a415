import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRepositoryName, parseTag, isRepositoryName, isTag } from '../../src/oci/names.ts';

const names: [string, boolean][] = [
  ['library/alpine', true], ['a', true], ['a/b/c/d', true], ['my-org/my_app', true], ['a__b', true], ['a.b/c--d', true],
  ['', false], ['A/b', false], ['../x', false], ['a/../b', false], ['a//b', false], ['/a', false], ['a/', false],
  ['a_/b', false], ['-a', false], ['a b', false], ['a%2fb', false], [`${'a'.repeat(256)}`, false],
];
for (const [name, ok] of names) {
  test(`repository name ${JSON.stringify(name.slice(0, 20))} is ${ok ? 'valid' : 'invalid'}`, () => {
    assert.equal(isRepositoryName(name), ok);
    if (ok) assert.equal(parseRepositoryName(name), name);
    else assert.throws(() => parseRepositoryName(name), { code: 'ERR_OCI_NAME_INVALID' });
  });
}

const tags: [string, boolean][] = [
  ['latest', true], ['v1.2.3', true], ['_x', true], [`sha256-${'a'.repeat(64)}.sig`, true], ['A-b_c.d', true], ['a'.repeat(128), true],
  ['', false], ['.x', false], ['-x', false], ['a'.repeat(129), false], ['a/b', false], ['a:b', false],
];
for (const [tag, ok] of tags) {
  test(`tag ${JSON.stringify(tag.slice(0, 20))} is ${ok ? 'valid' : 'invalid'}`, () => {
    assert.equal(isTag(tag), ok);
    if (ok) assert.equal(parseTag(tag), tag);
    else assert.throws(() => parseTag(tag), { code: 'ERR_OCI_TAG_INVALID' });
  });
}
