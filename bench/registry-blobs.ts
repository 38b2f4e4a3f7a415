// Blob push and pull throughput against a registry: pushes `count` distinct blobs of `sizeMiB`
// (POST, then PUT with the whole body, which every registry accepts), then pulls them back.
// usage: node bench/registry-blobs.ts <base-url> <sizeMiB> <count> [concurrency=4]
import { createHash, randomBytes } from 'node:crypto';

const [base = '', sizeText = '1', countText = '16', concurrencyText = '4'] = process.argv.slice(2);
const size = Number(sizeText) * 1024 * 1024;
const count = Number(countText);
const concurrency = Number(concurrencyText);
const seed = randomBytes(size);
const repo = `bench/blobs${Date.now()}`;

function blob(i: number): { data: Buffer; digest: string } {
  const data = Buffer.from(seed);
  data.writeUInt32BE(i, 0);
  return { data, digest: `sha256:${createHash('sha256').update(data).digest('hex')}` };
}

async function push(i: number): Promise<string> {
  const { data, digest } = blob(i);
  const post = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await post.arrayBuffer();
  const location = new URL(post.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`push ${put.status}`);
  return digest;
}

async function pull(digest: string): Promise<void> {
  const res = await fetch(`${base}/v2/${repo}/blobs/${digest}`);
  let n = 0;
  for await (const chunk of res.body ?? []) n += (chunk as Uint8Array).byteLength;
  if (n !== size) throw new Error(`pull got ${n} bytes`);
}

async function pool<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await fn(items[next++] as T); }));
  return (performance.now() - start) / 1000;
}

const indexes = Array.from({ length: count }, (_, i) => i);
const digests: string[] = [];
const pushSeconds = await pool(indexes, async (i) => { digests.push(await push(i)); });
const pullSeconds = await pool(digests, pull);
const mb = (size * count) / 1e6;
process.stdout.write(`${base} ${sizeText} MiB x ${count}: push ${(mb / pushSeconds).toFixed(0)} MB/s, pull ${(mb / pullSeconds).toFixed(0)} MB/s\n`);
