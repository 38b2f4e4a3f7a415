import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapBounded, openRandomAccessFile, walkFiles, type WalkItem } from '../../src/adapters/fs-walk/index.ts';

const made: string[] = [];
after(async () => { for (const dir of made) await rm(dir, { recursive: true, force: true }); });

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-walk-'));
  made.push(dir);
  return dir;
}

async function collect(roots: string[]): Promise<WalkItem[]> {
  const out: WalkItem[] = [];
  for await (const item of walkFiles(roots)) out.push(item);
  return out;
}

test('walk: sorted depth-first, symlink loops and special files reported, the walk goes on', async () => {
  const root = await tempDir();
  await mkdir(join(root, 'a', 'deep'), { recursive: true });
  await writeFile(join(root, 'a', 'deep', 'f.txt'), 'f');
  await writeFile(join(root, 'b.txt'), 'b');
  await symlink('..', join(root, 'a', 'loop'));
  await symlink('nowhere', join(root, 'dangling'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  const items = (await collect([root])).map((i) => [i.path.slice(root.length + 1), i.kind, i.kind === 'file' ? '' : i.error.code]);
  assert.deepEqual(items, [
    ['a/deep/f.txt', 'file', ''],
    ['a/loop', 'unsupported', 'ERR_SCAN_FILE_UNSUPPORTED'],
    ['b.txt', 'file', ''],
    ['dangling', 'unreadable', 'ERR_SCAN_FILE_UNREADABLE'],
    ['fifo', 'unsupported', 'ERR_SCAN_FILE_UNSUPPORTED'],
  ]);
});

test('walk: a root given twice, or a file root, is handled', async () => {
  const root = await tempDir();
  await writeFile(join(root, 'x'), 'x');
  const items = await collect([root, root, join(root, 'x')]);
  assert.deepEqual(items.map((i) => i.kind), ['file', 'file']);
});

test('random access reads clamp at the end of file and refuse non-files', async () => {
  const root = await tempDir();
  await writeFile(join(root, 'f'), 'hello');
  const f = await openRandomAccessFile(join(root, 'f'));
  assert.equal(f.sizeBytes, 5);
  assert.equal(new TextDecoder().decode(await f.read(1, 100)), 'ello');
  assert.equal((await f.read(10, 4)).byteLength, 0);
  await f.close();
  await assert.rejects(openRandomAccessFile(root), { code: 'ERR_SCAN_FILE_UNSUPPORTED' });
  await assert.rejects(openRandomAccessFile(join(root, 'missing')), { code: 'ERR_SCAN_FILE_UNREADABLE' });
});

test('mapBounded keeps order and never runs more than the limit', async () => {
  async function* numbers(): AsyncGenerator<number> { for (let i = 0; i < 20; i += 1) yield i; }
  let running = 0;
  let peak = 0;
  const out = await mapBounded(numbers(), 3, async (n) => {
    running += 1; peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, (n * 7) % 5));
    running -= 1;
    return n * 2;
  });
  assert.deepEqual(out, Array.from({ length: 20 }, (_, i) => i * 2));
  assert.ok(peak <= 3 && peak >= 2, `peak ${peak}`);
});
