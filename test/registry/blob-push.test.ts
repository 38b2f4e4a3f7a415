// Blob push and pull against the in-process registry: monolithic, chunked, streamed, resumable,
// and every way an upload can go wrong leaving nothing stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf, ociCode, pushBlob, useTestServer } from '../helpers/registry-server.ts';

const ctx = useTestServer();

async function startUpload(name: string): Promise<string> {
  const res = await fetch(`${ctx.srv.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  assert.equal(res.status, 202);
  assert.ok(res.headers.get('docker-upload-uuid'));
  assert.equal(res.headers.get('range'), '0-0');
  return new URL(res.headers.get('location') ?? '', ctx.srv.url).toString();
}

test('GET /v2/ answers {} with the API version header', async () => {
  const res = await fetch(`${ctx.srv.url}/v2/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0');
  assert.deepEqual(await res.json(), {});
});

test('monolithic POST stores a blob that HEAD and GET return', async () => {
  const digest = await pushBlob(ctx.srv.url, 'mono/repo', 'hello world');
  const head = await fetch(`${ctx.srv.url}/v2/mono/repo/blobs/${digest}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), '11');
  assert.equal(head.headers.get('docker-content-digest'), digest);
  const get = await fetch(`${ctx.srv.url}/v2/mono/repo/blobs/${digest}`);
  assert.equal(await get.text(), 'hello world');
  const ranged = await fetch(`${ctx.srv.url}/v2/mono/repo/blobs/${digest}`, { headers: { range: 'bytes=6-' } });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers.get('content-range'), 'bytes 6-10/11');
  assert.equal(await ranged.text(), 'world');
});

test('chunked upload with Content-Range, status, then PUT with a final chunk', async () => {
  const data = Buffer.alloc(300_000, 7);
  data.write('end', 299_990);
  const location = await startUpload('chunked');
  let res = await fetch(location, { method: 'PATCH', headers: { 'content-range': '0-99999', 'content-type': 'application/octet-stream' }, body: data.subarray(0, 100_000) });
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('range'), '0-99999');
  const next = new URL(res.headers.get('location') ?? '', ctx.srv.url).toString();
  res = await fetch(next, { method: 'PATCH', headers: { 'content-range': '100000-199999' }, body: data.subarray(100_000, 200_000) });
  assert.equal(res.status, 202);
  const status = await fetch(next);
  assert.equal(status.status, 204);
  assert.equal(status.headers.get('range'), '0-199999');
  const digest = digestOf(data);
  res = await fetch(`${next}?digest=${digest}`, { method: 'PUT', body: data.subarray(200_000) });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('docker-content-digest'), digest);
  const got = Buffer.from(await (await fetch(`${ctx.srv.url}/v2/chunked/blobs/${digest}`)).arrayBuffer());
  assert.ok(got.equals(data));
});

test('an out-of-order chunk answers 416 with the current Range', async () => {
  const location = await startUpload('order');
  await (await fetch(location, { method: 'PATCH', headers: { 'content-range': '0-9' }, body: 'abcdefghij' })).arrayBuffer();
  const res = await fetch(location, { method: 'PATCH', headers: { 'content-range': '20-29' }, body: 'klmnopqrst' });
  assert.equal(res.status, 416);
  assert.equal(res.headers.get('range'), '0-9');
  assert.equal(await ociCode(res), 'BLOB_UPLOAD_INVALID');
});

test('streamed PATCH without Content-Range, then PUT without a body', async () => {
  const location = await startUpload('streamed');
  const chunks = ['part one;', 'part two;', 'part three'];
  const body = new ReadableStream<Uint8Array>({
    start(c) { for (const s of chunks) c.enqueue(new TextEncoder().encode(s)); c.close(); },
  });
  const res = await fetch(location, { method: 'PATCH', body, duplex: 'half' } as RequestInit);
  assert.equal(res.status, 202);
  const digest = digestOf(chunks.join(''));
  const put = await fetch(`${location}?digest=${digest}`, { method: 'PUT' });
  assert.equal(put.status, 201);
  assert.equal(await (await fetch(`${ctx.srv.url}/v2/streamed/blobs/${digest}`)).text(), chunks.join(''));
});

const uploadsDir = (): Promise<string[]> => readdir(join(ctx.srv.dataDir, 'registry', 'uploads'));

test('a digest mismatch answers DIGEST_INVALID and stores nothing', async () => {
  const sessionsBefore = await uploadsDir();
  const wrong = digestOf('something else');
  const res = await fetch(`${ctx.srv.url}/v2/mismatch/blobs/uploads/?digest=${wrong}`, { method: 'POST', body: 'actual content' });
  assert.equal(res.status, 400);
  assert.equal(await ociCode(res), 'DIGEST_INVALID');
  for (const d of [wrong, digestOf('actual content')]) {
    assert.equal((await fetch(`${ctx.srv.url}/v2/mismatch/blobs/${d}`, { method: 'HEAD' })).status, 404);
  }
  assert.deepEqual(await uploadsDir(), sessionsBefore);
});

test('a truncated upload (client disconnects early) stores nothing', async () => {
  const sessionsBefore = await uploadsDir();
  const data = Buffer.alloc(10_000, 1);
  const digest = digestOf(data);
  const { port } = new URL(ctx.srv.url);
  await new Promise<void>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /v2/trunc/blobs/uploads/?digest=${digest} HTTP/1.1\r\nHost: x\r\nContent-Length: ${data.length}\r\n\r\n`);
      socket.write(data.subarray(0, 4000), () => setTimeout(() => { socket.destroy(); resolve(); }, 50));
    });
  });
  let left: string[] = [];
  for (let i = 0; i < 50; i += 1) {
    left = await uploadsDir();
    if (left.length === sessionsBefore.length) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.deepEqual(left, sessionsBefore);
  assert.equal((await fetch(`${ctx.srv.url}/v2/trunc/blobs/${digest}`, { method: 'HEAD' })).status, 404);
});

test('unknown and cancelled uploads answer BLOB_UPLOAD_UNKNOWN', async () => {
  const location = await startUpload('cancel');
  assert.equal((await fetch(location, { method: 'DELETE' })).status, 204);
  const res = await fetch(location);
  assert.equal(res.status, 404);
  assert.equal(await ociCode(res), 'BLOB_UPLOAD_UNKNOWN');
  const bogus = await fetch(`${ctx.srv.url}/v2/cancel/blobs/uploads/../../x`, { method: 'PATCH', body: 'x' });
  assert.equal(bogus.status, 404);
});

test('blobs are isolated per repository until mounted', async () => {
  const digest = await pushBlob(ctx.srv.url, 'iso/a', 'isolated bytes');
  assert.equal((await fetch(`${ctx.srv.url}/v2/iso/b/blobs/${digest}`, { method: 'HEAD' })).status, 404);
  const res = await fetch(`${ctx.srv.url}/v2/iso/b/blobs/${digest}`);
  assert.equal(await ociCode(res), 'BLOB_UNKNOWN');
  const mount = await fetch(`${ctx.srv.url}/v2/iso/b/blobs/uploads/?mount=${digest}&from=iso/a`, { method: 'POST' });
  assert.equal(mount.status, 201);
  assert.equal(mount.headers.get('location'), `/v2/iso/b/blobs/${digest}`);
  assert.equal(await (await fetch(`${ctx.srv.url}/v2/iso/b/blobs/${digest}`)).text(), 'isolated bytes');
  // mounting from a repository that lacks the blob falls back to a plain upload session
  const miss = await fetch(`${ctx.srv.url}/v2/iso/c/blobs/uploads/?mount=${digestOf('nope')}&from=iso/a`, { method: 'POST' });
  assert.equal(miss.status, 202);
});

test('DELETE unlinks a blob from one repository only', async () => {
  const digest = await pushBlob(ctx.srv.url, 'del/a', 'shared');
  await pushBlob(ctx.srv.url, 'del/b', 'shared');
  assert.equal((await fetch(`${ctx.srv.url}/v2/del/a/blobs/${digest}`, { method: 'DELETE' })).status, 202);
  assert.equal((await fetch(`${ctx.srv.url}/v2/del/a/blobs/${digest}`, { method: 'HEAD' })).status, 404);
  assert.equal((await fetch(`${ctx.srv.url}/v2/del/b/blobs/${digest}`, { method: 'HEAD' })).status, 200);
  assert.equal((await fetch(`${ctx.srv.url}/v2/del/a/blobs/${digest}`, { method: 'DELETE' })).status, 404);
});

test('a malformed digest answers DIGEST_INVALID', async () => {
  const res = await fetch(`${ctx.srv.url}/v2/x/blobs/sha256:nothex`);
  assert.equal(res.status, 400);
  assert.equal(await ociCode(res), 'DIGEST_INVALID');
});

test('a client that drops a blob download mid-stream leaks no file handle', async () => {
  const data = Buffer.alloc(8 * 1024 * 1024, 5);
  const digest = await pushBlob(ctx.srv.url, 'abort/dl', data);
  const fds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
  const before = await fds();
  await new Promise<void>((resolve, reject) => {
    const req = request(`${ctx.srv.url}/v2/abort/dl/blobs/${digest}`, { agent: false }, (res) => {
      res.once('data', () => { req.destroy(); resolve(); });
    });
    req.on('error', (e: Error) => { if (!req.destroyed) reject(e); });
    req.end();
  });
  let after = await fds();
  for (let i = 0; i < 100 && after > before; i += 1) {
    await new Promise((r) => setTimeout(r, 20));
    after = await fds();
  }
  assert.ok(after <= before, `fds ${before} -> ${after}`);
  const whole = Buffer.from(await (await fetch(`${ctx.srv.url}/v2/abort/dl/blobs/${digest}`)).arrayBuffer());
  assert.ok(whole.equals(data));
});
