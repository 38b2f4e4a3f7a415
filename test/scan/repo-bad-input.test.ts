// `sigil scan repo` against a hostile registry: a loopback proxy in front of sigil's registry
// answers 500, garbage, 429 with Retry-After, never, or corrupted blobs for some requests. The
// scan goes on, each failure is on its entry (or repository) with a stable code, nothing hangs,
// and --fail-on unverified exits 13.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startProxy, type Proxy } from '../support/proxy.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { makeTempDir } from '../support/temp.ts';
import { runCli } from '../support/cli.ts';
import type { JsonRepoDocument } from '../../src/scan/index.ts';

const PASSWORD = 'bad-input';
let dir = '';
let sigil: SigilServerProcess;
let proxy: Proxy;
const hung: ServerResponse[] = [];
let rateLimited = 0;

function intercept(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '';
  if (url.startsWith('/v2/bad/a/manifests/err500')) { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"errors":[{"code":"UNKNOWN","message":"boom"}]}'); return true; }
  if (url.startsWith('/v2/bad/a/manifests/garbage')) { res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }); res.end(req.method === 'HEAD' ? undefined : '\u0000{not json'); return true; }
  if (url.startsWith('/v2/bad/a/manifests/hang')) { hung.push(res); return true; }
  if (url.startsWith('/v2/bad/a/manifests/huge')) { res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }); res.end(Buffer.alloc(20 * 1024 * 1024, 0x20)); return true; }
  if (url.startsWith('/v2/bad/a/manifests/slow') && rateLimited < 2) { rateLimited += 1; res.writeHead(429, { 'retry-after': '1' }); res.end(); return true; }
  if (url.startsWith('/v2/bad/b/tags/list')) { res.writeHead(503, { 'content-type': 'text/html' }); res.end('<html>down</html>'); return true; }
  if (url.startsWith('/v2/bad/c/blobs/') && req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end('garbage instead of the payload'); return true; }
  return false;
}

before(async () => {
  dir = makeTempDir('scan-bad');
  sigil = await startSigilServer(join(dir, 'data'));
  proxy = await startProxy({ target: sigil.url, intercept });
  const { client } = createTestClient();
  for (const tag of ['ok', 'err500', 'garbage', 'hang', 'slow', 'huge']) await pushImage(client, { registry: sigil.host, repository: 'bad/a' }, buildImage([32]), tag);
  await pushImage(client, { registry: sigil.host, repository: 'bad/b' }, buildImage([32]), 'v1');
  await pushImage(client, { registry: sigil.host, repository: 'bad/c' }, buildImage([32]), 'signed');
  const env = { COSIGN_PASSWORD: PASSWORD };
  assert.equal((await runCli(['generate-key-pair', '--output-key-prefix', join(dir, 'k')], { env })).code, 0);
  for (const ref of ['bad/a:ok', 'bad/c:signed']) assert.equal((await runCli(['sign', '--key', join(dir, 'k.key'), `${sigil.host}/${ref}`], { env })).code, 0);
});
after(async () => {
  for (const res of hung) res.destroy();
  await proxy.stop();
  await sigil.stop();
});

test('failures are reported per entry and per repository; the rest of the scan is complete', async () => {
  rateLimited = 0;
  const sleeps: number[] = [];
  const started = performance.now();
  const r = await runCli(['scan', 'repo', `${proxy.host}/bad`, '--output', 'json', '--verify', '--key', join(dir, 'k.pub'), '--concurrency', '4'],
    { sleeps, deps: { registryTimeoutMs: 1500 } });
  assert.ok(performance.now() - started < 15_000, 'nothing hangs');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as JsonRepoDocument;
  const entry = (path: string) => doc.entries.find((e) => e.path === path);
  const codes = (path: string) => entry(path)?.problems.map((p) => p.code);
  assert.deepEqual(codes('bad/a:err500'), ['ERR_HTTP_STATUS']);
  assert.ok(codes('bad/a:garbage')?.length === 1, JSON.stringify(entry('bad/a:garbage')));
  assert.deepEqual(codes('bad/a:hang'), ['ERR_HTTP_TIMEOUT']);
  assert.deepEqual(codes('bad/a:huge'), ['ERR_HTTP_BODY_TOO_LARGE'], 'a 20 MiB answer is cut off, not buffered');
  assert.deepEqual(codes('bad/a:slow'), [], 'a 429 with Retry-After is waited out and retried');
  assert.ok(sleeps.includes(1000), `Retry-After honoured: ${sleeps.join(',')}`);
  assert.equal(entry('bad/a:ok')?.signatureCount, 1);
  assert.equal(doc.registry.signatures.find((s) => s.path === 'bad/a:ok')?.status, 'verified');
  const corrupted = doc.registry.signatures.find((s) => s.path === 'bad/c:signed');
  assert.equal(corrupted?.status, 'failed');
  assert.deepEqual(corrupted?.problems.map((p) => p.code), ['ERR_OCI_DIGEST_MISMATCH']);
  assert.deepEqual(doc.problems.map((p) => [p.repository, p.code]), [['bad/b', 'ERR_HTTP_STATUS']]);
  assert.equal(doc.entries.length, 7);
});

test('--fail-on unverified exits 13 after printing the report; pretty output lists every problem', async () => {
  rateLimited = 0;
  const r = await runCli(['scan', 'repo', `${proxy.host}/bad`, '--fail-on', 'unverified'], { deps: { registryTimeoutMs: 1500 } });
  assert.equal(r.code, 13);
  assert.match(r.stderr, /ERR_SCAN_FINDINGS/);
  assert.match(r.stdout, /bad\/b: .*\(ERR_HTTP_STATUS\)/);
  assert.match(r.stdout, /bad\/a:hang: .*\(ERR_HTTP_TIMEOUT\)/);
  assert.match(r.stdout, /Found 2 signatures out of 7 entries\n$/);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
});

test('a catalog that answers garbage is one problem and an empty report, not a crash', async () => {
  const broken = await startProxy({
    target: sigil.url,
    intercept: (req, res) => {
      if (!(req.url ?? '').startsWith('/v2/_catalog')) return false;
      res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"repositories": 12}'); return true;
    },
  });
  try {
    const r = await runCli(['scan', 'repo', broken.host, '--output', 'json', '--fail-on', 'unverified']);
    assert.equal(r.code, 13);
    const doc = JSON.parse(r.stdout) as JsonRepoDocument;
    assert.deepEqual(doc.problems.map((p) => [p.repository, p.code]), [[null, 'ERR_HTTP_RESPONSE_INVALID']]);
    assert.equal(doc.entries.length, 0);
  } finally { await broken.stop(); }
});

test('usage errors exit 2: a tag in the target, -u without -p, --key without --verify, --verify alone', async () => {
  for (const argv of [['h:5000/repo:tag'], ['h:5000', '-u', 'me'], ['h:5000', '--key', 'k.pub'], ['h:5000', '--verify'], ['h:5000', '--token', 't', '-u', 'a', '-p', 'b'], ['h:5000', '--output', 'xml']]) {
    const r = await runCli(['scan', 'repo', ...argv]);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /ERR_USAGE/);
  }
});
