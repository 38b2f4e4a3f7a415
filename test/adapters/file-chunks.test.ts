// readFileChunks over a shared buffer pool: whole files and ranges come out byte for byte,
// concurrent reads never see each other's bytes, a reader stopped early gives its buffers back,
// and the pool keeps no more than its idle limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChunkPool, readFileChunks, type ChunkPool } from '../../src/adapters/fs/file-chunks.ts';
import { makeTempDir } from '../support/temp.ts';

const dir = makeTempDir('chunks');

function fileOf(name: string, size: number, seed: number): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) bytes.writeUInt32BE((i * 2654435761 + seed) >>> 0, i);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Reads all chunks, copying each (a chunk is valid only until the next is requested). */
async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) {
    out.push(Buffer.from(c));
    await new Promise((r) => setImmediate(r));
  }
  return Buffer.concat(out);
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A pool that counts what it hands out and gets back. */
function countingPool(chunkBytes: number, maxIdle = 4): ChunkPool & { out: () => number; made: () => number } {
  const inner = createChunkPool(chunkBytes, maxIdle);
  let out = 0;
  let made = 0;
  const seen = new Set<Buffer>();
  return {
    chunkBytes,
    take() { const b = inner.take(); if (!seen.has(b)) { seen.add(b); made += 1; } out += 1; return b; },
    give(b) { out -= 1; inner.give(b); },
    out: () => out,
    made: () => made,
  };
}

const cases = [
  { name: 'empty file', size: 0 },
  { name: 'smaller than a chunk', size: 1000 },
  { name: 'exactly one chunk', size: 65536 },
  { name: 'several chunks and a tail', size: 5 * 65536 + 123 },
];
for (const c of cases) {
  test(`whole file and ranges byte for byte: ${c.name}`, async () => {
    const pool = countingPool(65536);
    const { path, bytes } = fileOf(`f-${c.size}`, c.size, c.size);
    assert.equal(sha(await collect(readFileChunks(path, pool))), sha(bytes));
    if (c.size > 0) {
      for (const [start, end] of [[0, 0], [c.size - 1, c.size - 1], [Math.floor(c.size / 3), c.size - 1], [1, Math.min(c.size - 1, 65536)]] as const) {
        assert.equal(sha(await collect(readFileChunks(path, pool, { start, end }))), sha(bytes.subarray(start, end + 1)), `${start}-${end}`);
      }
    }
    assert.equal(pool.out(), 0);
    assert.ok(pool.made() <= 2, `made ${pool.made()} buffers for one reader at a time`);
  });
}

test('concurrent readers on one pool never see each other\'s bytes', async () => {
  const pool = countingPool(65536, 2);
  const files = Array.from({ length: 6 }, (_, i) => fileOf(`c-${i}`, 7 * 65536 + i * 1000, 100 + i));
  const got = await Promise.all(files.map((f) => collect(readFileChunks(f.path, pool))));
  for (let i = 0; i < files.length; i++) assert.equal(sha(got[i] ?? Buffer.alloc(0)), sha(files[i]?.bytes ?? Buffer.alloc(0)));
  assert.equal(pool.out(), 0);
  // the next reader reuses idle buffers rather than allocating
  const before = pool.made();
  await collect(readFileChunks(files[0]?.path ?? '', pool));
  assert.equal(pool.made(), before);
});

test('a reader stopped after its first chunk gives its buffers back; a missing file rejects', async () => {
  const pool = countingPool(65536);
  const { path } = fileOf('stop', 10 * 65536, 7);
  for await (const chunk of readFileChunks(path, pool)) {
    assert.equal(chunk.byteLength, 65536);
    break;
  }
  assert.equal(pool.out(), 0);
  await assert.rejects(collect(readFileChunks(join(dir, 'missing'), pool)), { code: 'ENOENT' });
  assert.equal(pool.out(), 0);
});
