import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKeyRef } from '../../src/adapters/key-ref.ts';

const cwd = mkdtempSync(join(tmpdir(), 'sigil-key-ref-'));
writeFileSync(join(cwd, 'k.key'), 'PEM TEXT');
writeFileSync(join(cwd, 'binary.key'), new Uint8Array([0xff, 0xfe, 0x00]));
writeFileSync(join(cwd, 'big.key'), new Uint8Array(1024 * 1024 + 1));
mkdirSync(join(cwd, 'folder'));
const env = { KEY: 'FROM ENV', EMPTY: '' };

test('a relative path is read from the working directory', async () => {
  assert.deepEqual(await readKeyRef('k.key', { env, cwd }), { text: 'PEM TEXT', source: 'k.key' });
});

test('env://VAR reads the variable, even an empty one', async () => {
  assert.deepEqual(await readKeyRef('env://KEY', { env, cwd }), { text: 'FROM ENV', source: 'env://KEY' });
  assert.equal((await readKeyRef('env://EMPTY', { env, cwd })).text, '');
});

const failures: readonly { ref: string; code: string }[] = [
  { ref: '', code: 'ERR_USAGE' },
  { ref: 'env://', code: 'ERR_USAGE' },
  { ref: 'env://NOT_SET', code: 'ERR_KEY_ENV_UNSET' },
  { ref: 'awskms:///alias/x', code: 'ERR_KEY_REF_UNSUPPORTED' },
  { ref: 'k8s://ns/secret', code: 'ERR_KEY_REF_UNSUPPORTED' },
  { ref: 'https://example.test/k.pub', code: 'ERR_KEY_REF_UNSUPPORTED' },
  { ref: 'pkcs11:token=x', code: 'ERR_KEY_REF_UNSUPPORTED' },
  { ref: 'missing.key', code: 'ERR_FILE_NOT_FOUND' },
  { ref: 'k.key/inner', code: 'ERR_FILE_NOT_FOUND' },
  { ref: 'folder', code: 'ERR_INPUT_INVALID' },
  { ref: 'binary.key', code: 'ERR_KEY_MALFORMED' },
  { ref: 'big.key', code: 'ERR_KEY_MALFORMED' },
];
for (const c of failures) {
  test(`--key ${JSON.stringify(c.ref)} fails with ${c.code}`, async () => {
    await assert.rejects(readKeyRef(c.ref, { env, cwd }), { code: c.code });
  });
}
