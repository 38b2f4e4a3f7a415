// The registry scanner's buffered fetch against a real loopback HTTP server: statuses, headers,
// bodies read whole, HEAD, redirects, the body cap and network failures.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBufferedFetch } from '../../../src/adapters/registry-scan/index.ts';
import { collectBytes } from '../../../src/core/index.ts';

const server = createServer((req, res) => {
  if (req.url === '/json') {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(200, { 'content-type': 'application/json', 'docker-content-digest': 'sha256:abc' });
    res.end('\ufeff{"x":"é"}');
  } else if (req.url === '/echo') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${req.method} ${req.headers['accept'] ?? '-'} ${req.headers['x-two'] ?? '-'}`);
  } else if (req.url === '/moved') {
    res.writeHead(307, { location: '/json' });
    res.end('moved');
  } else if (req.url === '/see-other') {
    res.writeHead(303, { location: '/echo' });
    res.end();
  } else if (req.url === '/loop') {
    res.writeHead(302, { location: '/loop' });
    res.end();
  } else if (req.url?.startsWith('/away?to=')) {
    res.writeHead(307, { location: decodeURIComponent(req.url.slice('/away?to='.length)) });
    res.end();
  } else if (req.url === '/big') {
    res.writeHead(200);
    res.end(Buffer.alloc(2048, 1));
  } else if (req.url === '/empty') {
    res.writeHead(204);
    res.end();
  } else {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

const fetch = createBufferedFetch({ maxBodyBytes: 1024, connections: 4, insecure: false });

test('a GET answers status, headers (repeated ones joined) and the whole body, as fetch would', async () => {
  const res = await fetch(`${base}/json`, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200);
  assert.equal(res.ok, true);
  assert.equal(res.url, `${base}/json`);
  assert.equal(res.headers.get('Docker-Content-Digest'), 'sha256:abc');
  assert.equal(res.headers.get('set-cookie'), 'a=1, b=2');
  assert.equal(res.headers.get('x-absent'), null);
  assert.ok(res.body);
  const bytes = await collectBytes(res.body, 1024, () => new Error('too large'));
  assert.equal(Buffer.from(bytes).toString('utf8'), '\ufeff{"x":"é"}');
  // text() decodes as fetch does: the BOM is dropped
  assert.equal(await res.text(), '{"x":"é"}');
});

test('request headers are sent from a record, a Headers or a list of pairs', async () => {
  for (const headers of [{ Accept: 'a/b', 'X-Two': '2' }, new Headers({ accept: 'a/b', 'x-two': '2' }), [['accept', 'a/b'], ['x-two', '2']] as [string, string][]]) {
    assert.equal(await (await fetch(`${base}/echo`, { headers })).text(), 'GET a/b 2');
  }
});

test('HEAD and 204 have no body; a 404 is a response, not an error', async () => {
  const head = await fetch(`${base}/json`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
  assert.equal(head.headers.get('content-type'), 'application/json');
  assert.equal((await fetch(`${base}/empty`)).body, null);
  const missing = await fetch(`${base}/nothing`);
  assert.equal(missing.status, 404);
  assert.equal(missing.ok, false);
  assert.match(await missing.text(), /NAME_UNKNOWN/);
});

// a second origin, to see what a cross-origin redirect carries
const other = createServer((req, res) => { res.writeHead(200); res.end(`auth=${req.headers['authorization'] ?? 'none'}`); });
await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
const otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
after(() => other.close());

test('redirects are followed and the response names the URL that answered', async () => {
  const res = await fetch(`${base}/moved`);
  assert.equal(res.status, 200);
  assert.equal(res.url, `${base}/json`);
  assert.equal(res.headers.get('docker-content-digest'), 'sha256:abc');
  // 303 turns a POST into a GET without its body
  assert.equal(await (await fetch(`${base}/see-other`, { method: 'POST', body: 'x', headers: { accept: 'a/b' } })).text(), 'GET a/b -');
});

test('credentials do not follow a redirect to another origin; the same origin keeps them', async () => {
  const away = await fetch(`${base}/away?to=${encodeURIComponent(`${otherBase}/blob`)}`, { headers: { authorization: 'Bearer secret' } });
  assert.equal(await away.text(), 'auth=none');
  const direct = await fetch(`${otherBase}/blob`, { headers: { authorization: 'Bearer secret' } });
  assert.equal(await direct.text(), 'auth=Bearer secret');
});

test('redirect: manual hands the 3xx back; a redirect loop fails', async () => {
  const manual = await fetch(`${base}/moved`, { redirect: 'manual' });
  assert.equal(manual.status, 307);
  assert.equal(manual.headers.get('location'), '/json');
  await assert.rejects(fetch(`${base}/loop`), TypeError);
});

test('a body over the cap fails with ERR_HTTP_BODY_TOO_LARGE and the next request still works', async () => {
  await assert.rejects(fetch(`${base}/big`), { code: 'ERR_HTTP_BODY_TOO_LARGE' });
  assert.equal((await fetch(`${base}/json`)).status, 200);
});

test('a refused connection rejects (for the transport to map), it does not hang', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await assert.rejects(fetch(`http://127.0.0.1:${port}/v2/`));
});
