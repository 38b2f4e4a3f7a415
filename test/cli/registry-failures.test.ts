// Failure handling of registry commands: retries with Retry-After through a failing proxy,
// network errors, timeouts, and content that does not match its digest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Digest } from '../../src/core/index.ts';
import { startDistribution, freePort, type Distribution } from '../support/distribution.ts';
import { startProxy, type Proxy, type ProxyOptions } from '../support/proxy.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { runCli } from '../support/cli.ts';

let source: Distribution;
let target: Distribution;
let image: TestImage;
const proxies: Proxy[] = [];

before(async () => {
  [source, target] = await Promise.all([startDistribution(), startDistribution()]);
  image = buildImage([2000, 3000]);
  await pushImage(createTestClient().client, { registry: source.host, repository: 'src/app' }, image, 'v1');
});
after(async () => { await Promise.all(proxies.map((p) => p.stop())); await Promise.all([source?.stop(), target?.stop()]); });

async function proxy(options: Omit<ProxyOptions, 'target'>): Promise<Proxy> {
  const p = await startProxy({ target: source.url, ...options });
  proxies.push(p);
  return p;
}

/** The plain-HTTP scheme probe of a loopback registry (not a request under test). */
const PING = 'GET /v2/';

/** Fails the first `answers.length` requests after the scheme probe with the given status and headers. */
function failFirst(answers: readonly { status: number; headers?: Record<string, string> }[]): NonNullable<ProxyOptions['intercept']> {
  let seen = 0;
  return (req, res) => {
    if (`${req.method} ${req.url}` === PING) return false;
    const answer = answers[seen];
    seen += 1;
    if (!answer) return false;
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }));
    return true;
  };
}

test('retries 503 and 429, honouring Retry-After in seconds and as an http date', async () => {
  const inThreeSeconds = new Date(Date.now() + 3000).toUTCString();
  const p = await proxy({ intercept: failFirst([{ status: 503, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': inThreeSeconds } }]) });
  const sleeps: number[] = [];
  const r = await runCli(['digest', `${p.host}/src/app:v1`], { sleeps });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${image.digest}\n`);
  assert.equal(sleeps[0], 2000);
  assert.ok(sleeps.length === 2 && (sleeps[1] ?? 0) > 500 && (sleeps[1] ?? 0) <= 3000, sleeps.join(','));
});

test('retries 5xx without Retry-After with growing backoff', async () => {
  const p = await proxy({ intercept: failFirst([{ status: 502 }, { status: 500 }, { status: 504 }]) });
  const sleeps: number[] = [];
  const r = await runCli(['copy', `${p.host}/src/app:v1`, `${target.host}/retried/app`], { sleeps });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sleeps.length, 3);
  assert.ok((sleeps[0] ?? 0) < (sleeps[1] ?? 0) && (sleeps[1] ?? 0) < (sleeps[2] ?? 0), sleeps.join(','));
});

test('gives up after bounded attempts: 429 exits 4 with ERR_OCI_TOO_MANY_REQUESTS', async () => {
  const p = await proxy({ intercept: failFirst(Array.from({ length: 50 }, () => ({ status: 429, headers: { 'retry-after': '1' } }))) });
  const sleeps: number[] = [];
  const r = await runCli(['copy', `${p.host}/src/app:v1`, `${target.host}/limited/app`], { sleeps });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /TOOMANYREQUESTS: slow down \(ERR_OCI_TOO_MANY_REQUESTS\)\n$/);
  assert.deepEqual(sleeps, [1000, 1000, 1000, 1000]);
  assert.equal(p.log.filter((l) => l !== PING).length, 5);
});

test('403 exits 5 with ERR_OCI_DENIED and the registry\'s words', async () => {
  const p = await proxy({ intercept: (_req, res) => {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }));
    return true;
  } });
  const r = await runCli(['copy', `${p.host}/src/app:v1`, `${target.host}/denied/app`]);
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, /DENIED: requested access to the resource is denied \(ERR_OCI_DENIED\)\n$/);
});

test('a refused connection exits 4 with ERR_NETWORK', async () => {
  const port = await freePort();
  const r = await runCli(['digest', `127.0.0.1:${port}/app:v1`]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /connection refused \(ERR_NETWORK\)\n$/);
});

test('an unknown host exits 4 with ERR_NETWORK', async () => {
  // what undici's fetch rejects with when getaddrinfo fails; no DNS query leaves the machine
  const fetch: typeof globalThis.fetch = async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND registry.invalid'), { code: 'ENOTFOUND' }) });
  };
  const r = await runCli(['digest', 'registry.invalid/app:v1'], { deps: { fetch } });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^error: HEAD https:\/\/registry\.invalid\/v2\/app\/manifests\/v1 failed: unknown host \(ERR_NETWORK\)\n$/);
});

test('a registry that does not answer times out with ERR_HTTP_TIMEOUT', async () => {
  const p = await proxy({ intercept: () => true });
  const r = await runCli(['digest', `${p.host}/src/app:v1`], { deps: { registryTimeoutMs: 200 } });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /\(ERR_HTTP_TIMEOUT\)\n$/);
});

test('a blob body that stalls midway times out with ERR_HTTP_TIMEOUT', async () => {
  const layer = image.blobs[2];
  assert.ok(layer);
  const p = await proxy({ intercept: (req, res) => {
    if (req.method !== 'GET' || !req.url?.endsWith(`/blobs/${layer.digest}`)) return false;
    res.writeHead(200, { 'content-length': String(layer.bytes.byteLength) });
    res.write(layer.bytes.subarray(0, 100)); // and never the rest
    return true;
  } });
  const r = await runCli(['copy', `${p.host}/src/app:v1`, `${target.host}/stalled/app`], { deps: { registryTimeoutMs: 300 } });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /stalled for 300 ms \(ERR_HTTP_TIMEOUT\)\n$/);
});

test('a corrupted blob fails the copy with ERR_OCI_DIGEST_MISMATCH and writes nothing', async () => {
  const layer = image.blobs[2];
  assert.ok(layer);
  const p = await proxy({
    rewrite: (req, body) => {
      if (req.method !== 'GET' || !req.url?.endsWith(`/blobs/${layer.digest}`)) return undefined;
      const out = Buffer.from(body);
      out[10] = (out[10] ?? 0) ^ 0xff;
      return out;
    },
  });
  const r = await runCli(['copy', `${p.host}/src/app:v1`, `${target.host}/corrupt/app:v1`, '--concurrency', '1']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /\(ERR_OCI_DIGEST_MISMATCH\)\n$/);
  const { client } = createTestClient();
  const dst = { registry: target.host, repository: 'corrupt/app' };
  assert.equal(await client.hasBlob(dst, layer.digest), false);
  assert.equal(await client.hasManifest(dst, 'v1'), false);
  assert.equal(await client.hasManifest(dst, image.digest), false);
});

test('a manifest whose bytes do not match its digest is refused', async () => {
  const p = await proxy({ rewrite: (req, body) => (req.url?.includes('/manifests/') ? Buffer.concat([body, Buffer.from(' ')]) : undefined) });
  const byDigest = await runCli(['copy', `${p.host}/src/app@${image.digest}`, `${target.host}/corrupt/bydigest`]);
  assert.equal(byDigest.code, 4, byDigest.stderr);
  assert.match(byDigest.stderr, /\(ERR_OCI_DIGEST_MISMATCH\)\n$/);
  // by tag, the registry's Docker-Content-Digest header gives the change away
  const byTag = await runCli(['copy', `${p.host}/src/app:v1`, `${target.host}/corrupt/bytag`]);
  assert.equal(byTag.code, 4, byTag.stderr);
  assert.match(byTag.stderr, /\(ERR_OCI_DIGEST_MISMATCH\)\n$/);
  assert.notEqual(sha256Digest('x'), image.digest);
});
