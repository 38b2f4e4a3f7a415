import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExistingFiles, writeFilesAtomically } from '../../src/adapters/key-files.ts';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'sigil-key-files-'));
const files = (dir: string) => [
  { path: join(dir, 'a.key'), shown: 'a.key', text: 'secret', mode: 0o600 },
  { path: join(dir, 'a.pub'), shown: 'a.pub', text: 'public', mode: 0o644 },
];

test('writes every file with its mode and leaves no temporary files', async () => {
  const dir = fresh();
  await writeFilesAtomically(files(dir), { overwrite: false });
  assert.equal(readFileSync(join(dir, 'a.key'), 'utf8'), 'secret');
  assert.equal(statSync(join(dir, 'a.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'a.pub')).mode & 0o777 & ~0o022, 0o644 & ~0o022);
  assert.deepEqual(readdirSync(dir).sort(), ['a.key', 'a.pub']);
  assert.deepEqual(await findExistingFiles(files(dir).map((f) => f.path)), files(dir).map((f) => f.path));
});

test('without overwrite, an existing second file fails the call and the first is not left behind', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'a.pub'), 'old');
  await assert.rejects(writeFilesAtomically(files(dir), { overwrite: false }), { code: 'ERR_KEY_FILE_EXISTS' });
  assert.deepEqual(readdirSync(dir), ['a.pub']);
  assert.equal(readFileSync(join(dir, 'a.pub'), 'utf8'), 'old');
});

test('with overwrite, existing files are replaced', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'a.key'), 'old', { mode: 0o644 });
  await writeFilesAtomically(files(dir), { overwrite: true });
  assert.equal(readFileSync(join(dir, 'a.key'), 'utf8'), 'secret');
  assert.equal(statSync(join(dir, 'a.key')).mode & 0o777, 0o600);
});

test('a missing folder is ERR_FILE_NOT_FOUND and a failed write leaves nothing', async () => {
  const dir = fresh();
  await assert.rejects(writeFilesAtomically(files(join(dir, 'nope')), { overwrite: false }), { code: 'ERR_FILE_NOT_FOUND' });
  mkdirSync(join(dir, 'a.pub'));
  await assert.rejects(writeFilesAtomically(files(dir), { overwrite: false }), { code: 'ERR_KEY_FILE_EXISTS' });
  assert.deepEqual(readdirSync(dir), ['a.pub']);
});
