// Real signals on a spawned `bin/sigil server`: kill -9 mid-upload leaves no blob and no
// garbage that is served, and SIGTERM lets a request in flight finish before exiting 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnServer } from '../helpers/child-server.ts';
import { digestOf, makeTempDir } from '../helpers/registry-server.ts';

const MiB = 1024 * 1024;

/** Starts a PATCH of `total` bytes, sends `first` bytes now; returns a writer for the rest and the response. */
function startPatch(url: string, total: number, first: Uint8Array, contentRange?: string): { rest: (data: Uint8Array) => void; response: Promise<number> } {
  let finish: (data: Uint8Array) => void = () => undefined;
  const response = new Promise<number>((resolve, reject) => {
    const headers: Record<string, string> = { 'content-length': String(total), 'content-type': 'application/octet-stream' };
    if (contentRange !== undefined) headers['content-range'] = contentRange;
    const req = request(url, { method: 'PATCH', headers, agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.write(first);
    finish = (data) => req.end(data);
  });
  return { rest: (data) => finish(data), response };
}

async function waitForSize(path: string, atLeast: number): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const size = await stat(path).then((s) => s.size, () => 0);
    if (size >= atLeast) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} never reached ${atLeast} bytes`);
}

test('kill -9 mid-upload: nothing is served after restart and a retried push succeeds', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const data = Buffer.alloc(24 * MiB);
  for (let i = 0; i < data.length; i += 4096) data.writeUInt32BE(i, i);
  const digest = digestOf(data);
  const first = await spawnServer(dir);
  t.after(() => { first.child.kill('SIGKILL'); });
  const post = await fetch(`${first.url}/v2/big/blob/blobs/uploads/`, { method: 'POST' });
  const location = post.headers.get('location') ?? '';
  const id = post.headers.get('docker-upload-uuid') ?? '';
  const chunk1 = await fetch(`${first.url}${location}`, { method: 'PATCH', headers: { 'content-range': `0-${8 * MiB - 1}` }, body: data.subarray(0, 8 * MiB) });
  assert.equal(chunk1.status, 202);
  const patch = startPatch(`${first.url}${location}`, 16 * MiB, data.subarray(8 * MiB, 12 * MiB), `${8 * MiB}-${24 * MiB - 1}`);
  patch.response.catch(() => undefined);
  await waitForSize(join(dir, 'registry', 'uploads', id, 'data'), 9 * MiB);
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, 'SIGKILL');

  const second = await spawnServer(dir);
  t.after(() => { second.child.kill('SIGKILL'); });
  assert.equal((await fetch(`${second.url}/v2/big/blob/blobs/${digest}`, { method: 'HEAD' })).status, 404);
  assert.equal((await fetch(`${second.url}/v2/big/blob/blobs/${digest}`)).status, 404);
  assert.deepEqual(await readdir(join(dir, 'registry', 'blobs')), []);
  assert.deepEqual(await readdir(join(dir, 'registry', 'tmp')), []);
  // finishing the interrupted session with the whole digest fails: its data is incomplete
  const status = await fetch(`${second.url}${location}`);
  assert.equal(status.status, 204);
  const bad = await fetch(`${second.url}${location}?digest=${digest}`, { method: 'PUT' });
  assert.equal(bad.status, 400);
  // a retried push succeeds
  const retry = await fetch(`${second.url}/v2/big/blob/blobs/uploads/?digest=${digest}`, { method: 'POST', body: data });
  assert.equal(retry.status, 201);
  const got = Buffer.from(await (await fetch(`${second.url}/v2/big/blob/blobs/${digest}`)).arrayBuffer());
  assert.ok(got.equals(data));
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('SIGTERM drains: a request in flight completes and the process exits 0', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const server = await spawnServer(dir);
  t.after(() => { server.child.kill('SIGKILL'); });
  const body = Buffer.alloc(2 * MiB, 3);
  const post = await fetch(`${server.url}/v2/drain/blobs/uploads/`, { method: 'POST' });
  const location = post.headers.get('location') ?? '';
  const patch = startPatch(`${server.url}${location}`, body.length, body.subarray(0, MiB));
  await new Promise((r) => setTimeout(r, 100));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  patch.rest(body.subarray(MiB));
  assert.equal(await patch.response, 202);
  assert.equal(await server.exited, 0);
});
