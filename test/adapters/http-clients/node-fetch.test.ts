// createNodeFetch against real loopback servers: the fetch behaviour the HTTP clients rely on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createNodeFetch } from '../../../src/adapters/http-clients/node-fetch.ts';
import { createSelfSigned } from '../../support/tls.ts';
import { PROJECT_ROOT, runProgram } from '../../support/peers.ts';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

/** A server whose answers the test sets per path; counts connections and records requests. */
interface TestServer { readonly url: string; readonly seen: string[]; connections: number; readonly routes: Map<string, Handler>; readonly server: Server }

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startServer(make: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server = createServer, scheme = 'http'): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const seen: string[] = [];
  const server = make((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? '-'} body=${body.toString()}`);
      const handler = routes.get(req.url ?? '') ?? ((_q: IncomingMessage, _b: Buffer, r: ServerResponse) => { r.writeHead(404); r.end('nope'); });
      handler(req, body, res);
    });
  });
  const t: TestServer = { url: '', seen, connections: 0, routes, server };
  server.on('connection', () => { t.connections += 1; });
  return Object.assign(t, { url: `${scheme}://${await listen(server)}` });
}

let a: TestServer;
let b: TestServer;
const fetch = createNodeFetch();

before(async () => { [a, b] = await Promise.all([startServer(), startServer()]); });
after(() => { for (const s of [a, b]) { s.server.closeAllConnections(); s.server.close(); } });

test('answers status, headers (duplicates joined), the final url and the body as text', async () => {
  a.routes.set('/hello', (_q, _b, r) => { r.writeHead(200, [['content-type', 'text/plain'], ['link', '<a>'], ['link', '<b>']]); r.end('\ufeffhéllo'); });
  const response = await fetch(`${a.url}/hello`);
  assert.equal(response.status, 200);
  assert.equal(response.ok, true);
  assert.equal(response.url, `${a.url}/hello`);
  assert.equal(response.headers.get('Content-Type'), 'text/plain');
  assert.equal(response.headers.get('link'), '<a>, <b>');
  assert.equal(response.headers.get('x-missing'), null);
  assert.equal(await response.text(), 'héllo');
});

test('a HEAD and a 204 have no body, and requests reuse one keep-alive connection', async () => {
  a.routes.set('/head', (_q, _b, r) => { r.writeHead(200, { 'content-length': '5' }); r.end(); });
  a.routes.set('/empty', (_q, _b, r) => { r.writeHead(204); r.end(); });
  const own = createNodeFetch();
  const before = a.connections;
  const head = await own(`${a.url}/head`, { method: 'HEAD' });
  assert.equal(head.body, null);
  assert.equal(head.headers.get('content-length'), '5');
  assert.equal((await own(`${a.url}/empty`, { method: 'DELETE' })).body, null);
  const missing = await own(`${a.url}/missing`);
  assert.equal(missing.ok, false);
  assert.equal(await missing.text(), 'nope');
  assert.equal(a.connections - before, 1);
});

test('sends byte and string bodies with their length, and an empty POST with content-length 0', async () => {
  let lengths: (string | undefined)[] = [];
  a.routes.set('/echo', (q, body, r) => { lengths.push(q.headers['content-length']); r.end(body); });
  lengths = [];
  assert.equal(await (await fetch(`${a.url}/echo`, { method: 'PUT', body: new Uint8Array([104, 105]) })).text(), 'hi');
  assert.equal(await (await fetch(`${a.url}/echo`, { method: 'POST', body: 'ü' })).text(), 'ü');
  assert.equal(await (await fetch(`${a.url}/echo`, { method: 'POST' })).text(), '');
  assert.deepEqual(lengths, ['2', '2', '0']);
});

test('follows redirects as fetch does: 303 and 302-after-POST become GET, 307 keeps method and body', async () => {
  a.routes.set('/see-other', (_q, _b, r) => { r.writeHead(303, { location: '/echo-method' }); r.end(); });
  a.routes.set('/found', (_q, _b, r) => { r.writeHead(302, { location: '/echo-method' }); r.end(); });
  a.routes.set('/temporary', (_q, _b, r) => { r.writeHead(307, { location: '/echo-method' }); r.end(); });
  a.routes.set('/echo-method', (q, body, r) => { r.end(`${q.method} ${body.toString()}`); });
  for (const [path, want] of [['/see-other', 'GET '], ['/found', 'GET '], ['/temporary', 'POST data']] as const) {
    const response = await fetch(`${a.url}${path}`, { method: 'POST', body: 'data' });
    assert.equal(await response.text(), want, path);
    assert.equal(response.url, `${a.url}/echo-method`);
  }
  const manual = await fetch(`${a.url}/found`, { redirect: 'manual' });
  assert.equal(manual.status, 302);
  assert.equal(manual.headers.get('location'), '/echo-method');
  await manual.body?.cancel();
});

test('drops Authorization on a redirect to another origin, keeps it on the same origin', async () => {
  a.routes.set('/elsewhere', (_q, _b, r) => { r.writeHead(307, { location: `${b.url}/target` }); r.end(); });
  a.routes.set('/here', (_q, _b, r) => { r.writeHead(307, { location: '/target' }); r.end(); });
  a.routes.set('/target', (_q, _b, r) => { r.end('a'); });
  b.routes.set('/target', (_q, _b, r) => { r.end('b'); });
  assert.equal(await (await fetch(`${a.url}/elsewhere`, { headers: { authorization: 'Bearer secret' } })).text(), 'b');
  assert.equal(await (await fetch(`${a.url}/here`, { headers: { authorization: 'Bearer secret' } })).text(), 'a');
  assert.ok(b.seen.includes('GET /target auth=- body='), b.seen.join('\n'));
  assert.ok(a.seen.includes('GET /target auth=Bearer secret body='), a.seen.join('\n'));
});

test('a redirect loop fails after 20 hops', async () => {
  a.routes.set('/loop', (_q, _b, r) => { r.writeHead(302, { location: '/loop' }); r.end(); });
  await assert.rejects(fetch(`${a.url}/loop`), (e: Error) => e instanceof TypeError && /redirect count/.test(String(e.cause)));
});

test('network errors reject with TypeError("fetch failed") and the cause code', async () => {
  const closed = createServer();
  const host = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  await assert.rejects(fetch(`http://${host}/`), (e: Error) => e instanceof TypeError && e.message === 'fetch failed' && (e.cause as { code?: string }).code === 'ECONNREFUSED');
  await assert.rejects(fetch('ftp://127.0.0.1/'), TypeError);
});

test('aborting rejects with the signal\'s reason, before the head and while the body is read', async () => {
  a.routes.set('/never', () => undefined);
  await assert.rejects(fetch(`${a.url}/never`, { signal: AbortSignal.timeout(50) }), { name: 'TimeoutError' });
  a.routes.set('/stall', (_q, _b, r) => { r.writeHead(200, { 'content-length': '10' }); r.write('12345'); });
  const controller = new AbortController();
  const response = await fetch(`${a.url}/stall`, { signal: controller.signal });
  const reason = new Error('stalled');
  setTimeout(() => controller.abort(reason), 30);
  await assert.rejects(response.text(), (e) => e === reason);
});

test('a connection cut mid-body rejects the read with the reset as cause', async () => {
  a.routes.set('/cut', (_q, _b, r) => { r.writeHead(200, { 'content-length': '10' }); r.write('12345', () => r.socket?.destroy()); });
  const response = await fetch(`${a.url}/cut`);
  await assert.rejects(response.text(), TypeError);
});

test('https verifies certificates unless told not to', async () => {
  const { certPath, keyPath } = createSelfSigned();
  const tls = await startServer((h) => createTlsServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, h), 'https');
  tls.routes.set('/v2/', (_q, _b, r) => { r.end('{}'); });
  try {
    await assert.rejects(fetch(`${tls.url}/v2/`), (e: Error) => e instanceof TypeError && /SELF_SIGNED|UNABLE_TO_VERIFY/.test(String((e.cause as { code?: string }).code)));
    assert.equal(await (await createNodeFetch({ rejectUnauthorized: false })(`${tls.url}/v2/`)).text(), '{}');
  } finally {
    tls.server.closeAllConnections();
    tls.server.close();
  }
});

test('a response body left unread does not keep the process alive, and a read one completes', async () => {
  a.routes.set('/created', (_q, _b, r) => { r.writeHead(201, { 'content-length': '7' }); r.end('created'); });
  // the server keeps idle connections open far longer than the child may take
  a.server.keepAliveTimeout = 60_000;
  const module = join(PROJECT_ROOT, 'src', 'adapters', 'http-clients', 'node-fetch.ts');
  const script = `const { createNodeFetch } = await import(${JSON.stringify(module)});
    const fetch = createNodeFetch();
    const unread = await fetch('${a.url}/created', { method: 'PUT', body: 'x' });
    const read = await fetch('${a.url}/created');
    process.stdout.write(unread.status + ' ' + await read.text());`;
  const started = Date.now();
  const r = await runProgram(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '201 created');
  assert.ok(Date.now() - started < 10_000, `the child took ${Date.now() - started} ms to exit`);
});
