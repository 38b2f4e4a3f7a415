import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpServer, drainServer } from '../../src/http/serve.ts';
import type { Route } from '../../src/http/types.ts';
import { InputError, InternalError } from '../../src/core/errors.ts';

let server: Server;
let base = '';
let release: () => void = () => undefined;

const routes: Route[] = [
  { methods: ['GET', 'HEAD'], pattern: /^\/v2\/(?<name>.+)\/things\/(?<id>[^/]+)$/, dialect: 'oci', handle: async (req) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: `${req.params['name']}|${req.params['id']}` }) },
  { methods: ['GET'], pattern: /^\/v2\/bad$/, dialect: 'oci', handle: async () => { throw new InputError('ERR_OCI_DIGEST_INVALID', 'digest sha256:zz is malformed'); } },
  { methods: ['GET'], pattern: /^\/api\/v1\/boom$/, dialect: 'rekor', handle: async () => { throw new InternalError('ERR_INTERNAL', 'secret internal detail'); } },
  { methods: ['GET'], pattern: /^\/stream$/, dialect: 'plain', handle: async () => ({ status: 200, body: (async function* () { yield new Uint8Array([1, 2]); yield new Uint8Array([3]); })() }) },
  { methods: ['POST'], pattern: /^\/echo$/, dialect: 'plain', handle: async (req) => { const chunks: Uint8Array[] = []; for await (const c of req.body) chunks.push(c); return { status: 201, body: Buffer.concat(chunks) }; } },
  { methods: ['POST'], pattern: /^\/chunks$/, dialect: 'plain', handle: async (req) => {
    // what bodyChunksOwned promises: every chunk is a whole ArrayBuffer no other chunk shares
    const buffers = new Set<ArrayBufferLike>();
    let count = 0;
    let bytes = 0;
    for await (const c of req.body) {
      if (c.byteOffset !== 0 || c.byteLength !== c.buffer.byteLength || buffers.has(c.buffer)) return { status: 500, body: 'shared chunk' };
      buffers.add(c.buffer);
      count += 1;
      bytes += c.byteLength;
    }
    return { status: 200, body: JSON.stringify({ owned: req.bodyChunksOwned, count, bytes }) };
  } },
  { methods: ['GET'], pattern: /^\/slow$/, dialect: 'plain', handle: async () => { await new Promise<void>((r) => { release = r; }); return { status: 200, body: 'done' }; } },
];

before(async () => {
  server = createHttpServer({ routes, baseUrl: () => base, fallbackDialect: 'oci', onInternalError: () => undefined });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => { await drainServer(server, 1000); });

test('named groups reach the handler, names with slashes included', async () => {
  const res = await fetch(`${base}/v2/a/b/c/things/x1`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'a/b/c|x1');
});

test('HEAD sends headers with the GET length and no body', async () => {
  const res = await fetch(`${base}/v2/a/things/x`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), String('a|x'.length));
  assert.equal(await res.text(), '');
});

test('unknown path is a 404 in the fallback dialect; wrong method a 405', async () => {
  const r404 = await fetch(`${base}/nowhere`);
  assert.equal(r404.status, 404);
  assert.equal(((await r404.json()) as { errors: { code: string }[] }).errors[0]?.code, 'NOT_FOUND');
  const r405 = await fetch(`${base}/v2/a/things/x`, { method: 'DELETE' });
  assert.equal(r405.status, 405);
  assert.equal(((await r405.json()) as { errors: { code: string }[] }).errors[0]?.code, 'UNSUPPORTED');
});

test('an AppError maps to the distribution-spec body with the sigil code in detail', async () => {
  const res = await fetch(`${base}/v2/bad`);
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { errors: [{ code: 'DIGEST_INVALID', message: 'digest sha256:zz is malformed', detail: { code: 'ERR_OCI_DIGEST_INVALID' } }] });
});

test('a 5xx never echoes internal text, in the rekor dialect', async () => {
  const res = await fetch(`${base}/api/v1/boom`);
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { code: 500, message: 'internal server error' });
});

test('streamed bodies in both directions', async () => {
  assert.deepEqual(new Uint8Array(await (await fetch(`${base}/stream`)).arrayBuffer()), new Uint8Array([1, 2, 3]));
  const res = await fetch(`${base}/echo`, { method: 'POST', body: 'payload' });
  assert.equal(res.status, 201);
  assert.equal(await res.text(), 'payload');
});

test('draining lets an in-flight request finish', async () => {
  const extra = createHttpServer({ routes, baseUrl: () => '' });
  await new Promise<void>((r) => extra.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(extra.address() as AddressInfo).port}/slow`;
  const pending = fetch(url);
  await new Promise((r) => setTimeout(r, 50));
  const drained = drainServer(extra, 5000);
  release();
  const res = await pending;
  assert.equal(await res.text(), 'done');
  await drained;
});

test('request body chunks are buffers of their own, as bodyChunksOwned tells routes', async () => {
  const body = new Uint8Array(3 * 1024 * 1024).fill(5);
  const res = await fetch(`${base}/chunks`, { method: 'POST', body });
  assert.equal(res.status, 200);
  const got = (await res.json()) as { owned: boolean; count: number; bytes: number };
  assert.equal(got.owned, true);
  assert.equal(got.bytes, body.byteLength);
  assert.ok(got.count > 1, `one chunk only: ${got.count}`);
});
