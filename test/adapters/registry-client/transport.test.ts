// Transport decisions with an injected fetch: what is retried, what is not, and how often.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeUtf8, sha256Digest } from '../../../src/core/index.ts';
import { OCI_MANIFEST } from '../../../src/oci/index.ts';
import { createTestClient } from '../../support/client.ts';

const manifest = encodeUtf8(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'a/b', digest: sha256Digest('c'), size: 1 }, layers: [] }));
// not loopback: no https probe, so each scripted answer meets the request under test
const repo = { registry: 'registry.test', repository: 'app' };

function networkError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

/** A fetch that plays `script` in order, then answers the manifest. */
function scripted(script: (() => Response | Error)[]): { fetch: typeof globalThis.fetch; calls: string[] } {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    const next = script.shift();
    const answer = next ? next() : new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

test('a reset connection is retried; a refused one is not', async () => {
  const reset = scripted([() => networkError('ECONNRESET'), () => networkError('EPIPE')]);
  const { client, sleeps } = createTestClient({ fetch: reset.fetch });
  assert.equal((await client.getManifest(repo, 'v1')).digest, sha256Digest(manifest));
  assert.equal(sleeps.length, 2);
  const refused = scripted([() => networkError('ECONNREFUSED')]);
  const second = createTestClient({ fetch: refused.fetch });
  await assert.rejects(second.client.getManifest(repo, 'v1'), { code: 'ERR_NETWORK' });
  assert.equal(second.sleeps.length, 0);
});

test('backoff stops after the policy\'s attempts', async () => {
  const failing = scripted(Array.from({ length: 10 }, () => () => new Response('', { status: 503 })));
  const { client, sleeps } = createTestClient({ fetch: failing.fetch, retryPolicy: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 1000 } });
  await assert.rejects(client.getManifest(repo, 'v1'), { code: 'ERR_HTTP_STATUS' });
  assert.deepEqual(sleeps, [75, 150]);
  assert.equal(failing.calls.length, 3);
});

test('a 401 without a challenge, and a 401 after answering one, are unauthorized', async () => {
  const bare = scripted([() => new Response('', { status: 401 })]);
  await assert.rejects(createTestClient({ fetch: bare.fetch }).client.getManifest(repo, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
  const basic = () => new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } });
  const twice = scripted([basic, basic]);
  const { client } = createTestClient({ fetch: twice.fetch, credential: { username: 'u', password: 'p' } });
  await assert.rejects(client.getManifest(repo, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
  assert.equal(twice.calls.length, 2);
});

test('a digest reference whose bytes hash differently is a mismatch', async () => {
  const ok = scripted([]);
  const { client } = createTestClient({ fetch: ok.fetch });
  await assert.rejects(client.getManifest(repo, sha256Digest('other')), { code: 'ERR_OCI_DIGEST_MISMATCH' });
  const lying = scripted([() => new Response(manifest, { headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': sha256Digest('x') } })]);
  await assert.rejects(createTestClient({ fetch: lying.fetch }).client.getManifest(repo, 'v1'), { code: 'ERR_OCI_DIGEST_MISMATCH' });
});

test('a HEAD without Docker-Content-Digest falls back to GET', async () => {
  const head = scripted([() => new Response(null, { headers: { 'content-type': OCI_MANIFEST } })]);
  const { client } = createTestClient({ fetch: head.fetch });
  assert.equal((await client.headManifest(repo, 'v1')).digest, sha256Digest(manifest));
  assert.deepEqual(head.calls.map((c) => c.split(' ')[0]), ['HEAD', 'GET']);
});

test('a loopback host:port answering plain GET /v2/ as a registry is spoken to in http, with no tls attempt', async () => {
  for (const answer of [() => new Response('{}'), () => new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } })]) {
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      calls.push(String(input));
      if (String(input).startsWith('https:')) throw networkError('ECONNRESET');
      return String(input).endsWith('/v2/') ? answer() : new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } });
    };
    const { client } = createTestClient({ fetch });
    await client.getManifest({ registry: '127.0.0.1:5000', repository: 'app' }, 'v1');
    await client.getManifest({ registry: '127.0.0.1:5000', repository: 'app' }, 'v2');
    assert.deepEqual(calls, ['http://127.0.0.1:5000/v2/', 'http://127.0.0.1:5000/v2/app/manifests/v1', 'http://127.0.0.1:5000/v2/app/manifests/v2']);
  }
});

test('otherwise loopback registries probe https first and fall back to plain http', async () => {
  // a plain answer that is no registry's (what a TLS port may say to plaintext), then no answer at all
  for (const plainProbe of [() => new Response('Client sent an HTTP request to an HTTPS server.', { status: 400 }), () => networkError('ECONNRESET')]) {
    const calls: string[] = [];
    let probed = false;
    const fetch: typeof globalThis.fetch = async (input) => {
      calls.push(String(input));
      if (String(input).startsWith('https:')) throw networkError('ECONNRESET');
      if (!probed) {
        probed = true;
        const probe = plainProbe();
        if (probe instanceof Error) throw probe;
        return probe;
      }
      return new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } });
    };
    const { client } = createTestClient({ fetch });
    await client.getManifest({ registry: 'localhost:5000', repository: 'app' }, 'v1');
    await client.getManifest({ registry: 'localhost:5000', repository: 'app' }, 'v2');
    assert.deepEqual(calls, ['http://localhost:5000/v2/', 'https://localhost:5000/v2/', 'http://localhost:5000/v2/app/manifests/v1', 'http://localhost:5000/v2/app/manifests/v2']);
  }
  // without a port, http and https are different ports: https first, as before
  const calls: string[] = [];
  const noPort = createTestClient({ fetch: async (input) => { calls.push(String(input)); return new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } }); } });
  await noPort.client.getManifest({ registry: 'localhost', repository: 'app' }, 'v1');
  assert.deepEqual(calls, ['https://localhost/v2/', 'https://localhost/v2/app/manifests/v1']);
  const remote: string[] = [];
  const direct = createTestClient({ fetch: async (input) => { remote.push(String(input)); return new Response(manifest, { headers: { 'content-type': OCI_MANIFEST } }); } });
  await direct.client.getManifest({ registry: 'docker.io', repository: 'library/app' }, 'v1');
  assert.deepEqual(remote, ['https://registry-1.docker.io/v2/library/app/manifests/v1']);
});
