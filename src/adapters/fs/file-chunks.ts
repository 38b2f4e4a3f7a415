/**
 * Streams a file (or a byte range of it) through two reused buffers: while the consumer holds
 * one chunk, the next is read into the other. No per-chunk allocation, so serving large blobs
 * does not pile garbage buffers up ahead of the collector.
 */
import { open } from 'node:fs/promises';
import type { ByteRange } from '../../registry/ports.ts';

/**
 * Yields the bytes of `path` from `range.start` to `range.end` (inclusive), or all of it.
 * Requires the consumer to be done with a chunk before it asks for the next one.
 */
export async function* readFileChunks(path: string, range?: ByteRange, chunkBytes = 256 * 1024): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    let position = range?.start ?? 0;
    const end = range === undefined ? (await handle.stat()).size : range.end + 1;
    const buffers = [Buffer.allocUnsafeSlow(chunkBytes), Buffer.allocUnsafeSlow(chunkBytes)] as const;
    const readInto = (i: 0 | 1): Promise<number> => {
      const length = Math.min(chunkBytes, end - position);
      if (length <= 0) return Promise.resolve(0);
      const at = position;
      position += length;
      return handle.read(buffers[i], 0, length, at).then((r) => r.bytesRead);
    };
    let current: 0 | 1 = 0;
    let pending = readInto(current);
    for (;;) {
      const bytesRead = await pending;
      if (bytesRead === 0) return;
      const next: 0 | 1 = current === 0 ? 1 : 0;
      pending = readInto(next);
      yield buffers[current].subarray(0, bytesRead);
      current = next;
    }
  } finally {
    await handle.close();
  }
}
