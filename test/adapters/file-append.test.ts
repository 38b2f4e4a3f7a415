// appendChunks: gathers chunks into few writes, keeps their order and bytes, appends after what
// the file holds, syncs in the background, and on a failing source closes the file having
// appended only whole chunks it received.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendChunks } from '../../src/adapters/fs/file-append.ts';
import { makeTempDir } from '../support/temp.ts';

/** Deterministic chunks of varied sizes (1 byte to 100 KiB), yielding to the event loop now and then. */
async function* chunksOf(sizes: readonly number[], failAfter?: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < sizes.length; i++) {
    if (failAfter === i) throw new Error('client went away');
    const chunk = new Uint8Array(sizes[i] ?? 0).fill((i * 31) & 255);
    if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    yield chunk;
  }
}

function expected(sizes: readonly number[]): Buffer {
  return Buffer.concat(sizes.map((n, i) => Buffer.alloc(n, (i * 31) & 255)));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const sizes = Array.from({ length: 700 }, (_, i) => [1, 65536, 17, 102400, 4096, 0][i % 6] ?? 1);

const cases: { name: string; options: Parameters<typeof appendChunks>[2] }[] = [
  { name: 'defaults', options: {} },
  { name: 'tiny batches and a sync every 64 KiB', options: { maxBatchBytes: 1, syncEveryBytes: 65536 } },
  { name: 'no background sync', options: { syncEveryBytes: 0 } },
];
for (const c of cases) {
  test(`appended bytes equal the chunks in order (${c.name})`, async () => {
    const file = join(makeTempDir('append'), 'data');
    writeFileSync(file, 'head');
    const n = await appendChunks(file, chunksOf(sizes), c.options);
    const want = Buffer.concat([Buffer.from('head'), expected(sizes)]);
    assert.equal(n, want.length - 4);
    assert.equal(sha256(readFileSync(file)), sha256(want));
  });
}

test('an empty source creates the file and appends nothing', async () => {
  const file = join(makeTempDir('append'), 'data');
  assert.equal(await appendChunks(file, chunksOf([])), 0);
  assert.equal(readFileSync(file).length, 0);
});

test('a failing source rejects with its error after appending every chunk it yielded', async () => {
  const file = join(makeTempDir('append'), 'data');
  await assert.rejects(appendChunks(file, chunksOf(sizes, 300)), /client went away/);
  assert.equal(sha256(readFileSync(file)), sha256(expected(sizes.slice(0, 300))));
});

test('a file that cannot be opened rejects with the system error', async () => {
  const missing = join(makeTempDir('append'), 'no-such-dir', 'data');
  await assert.rejects(appendChunks(missing, chunksOf([1, 2])), { code: 'ENOENT' });
});

test('while the source stalls, every chunk it yielded is already on disk', async () => {
  const file = join(makeTempDir('append'), 'data');
  let release: () => void = () => undefined;
  const stalled = new Promise<void>((r) => { release = r; });
  async function* source(): AsyncGenerator<Uint8Array> {
    // a burst: most chunks arrive while the first write is still in flight
    for (let i = 0; i < 64; i++) yield new Uint8Array(65536).fill(i);
    await stalled;
    yield new Uint8Array(10).fill(1);
  }
  const done = appendChunks(file, source(), { syncEveryBytes: 0 });
  let size = 0;
  for (let i = 0; i < 200 && size < 64 * 65536; i++) {
    await new Promise((r) => setTimeout(r, 10));
    size = statSync(file).size;
  }
  assert.equal(size, 64 * 65536);
  release();
  assert.equal(await done, 64 * 65536 + 10);
});

test('handed-over chunks are freed once written; views of a shared buffer and kept chunks are not', async () => {
  const file = join(makeTempDir('append'), 'data');
  const shared = new Uint8Array(300).fill(9);
  const own = [new Uint8Array(65536).fill(1), new Uint8Array(100).fill(2)];
  const views = [shared.subarray(0, 100), shared.subarray(100)];
  async function* source(): AsyncGenerator<Uint8Array> {
    yield own[0] as Uint8Array;
    yield views[0] as Uint8Array;
    yield own[1] as Uint8Array;
    yield views[1] as Uint8Array;
  }
  assert.equal(await appendChunks(file, source(), { releaseWritten: true }), 65536 + 100 + 300);
  assert.equal(sha256(readFileSync(file)), sha256(Buffer.concat([Buffer.alloc(65536, 1), Buffer.alloc(100, 9), Buffer.alloc(100, 2), Buffer.alloc(200, 9)])));
  assert.ok(own.every((c) => c.buffer.detached && c.byteLength === 0), 'chunks owning their buffer are freed');
  assert.ok(!shared.buffer.detached && shared.every((b) => b === 9), 'a buffer shared by two views is left alone');

  const kept = [new Uint8Array(4096).fill(3)];
  await appendChunks(file, (async function* () { yield* kept; })());
  assert.ok(!kept[0]?.buffer.detached && kept[0]?.[0] === 3, 'without releaseWritten the caller keeps its chunks');
});
