// Authentication against real registries: htpasswd basic auth on distribution, and the Bearer
// token flow through a token front in front of distribution.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesBlobSource } from '../../../src/adapters/registry-client/index.ts';
import { startDistribution, type Distribution } from '../../support/distribution.ts';
import { createTestClient } from '../../support/client.ts';
import { buildImage, pushImage } from '../../support/images.ts';
import { startTokenProxy, type TokenProxy } from '../../support/token-proxy.ts';

const user = { username: 'alice', password: 's3cret:with:colons' };
let basic: Distribution;
let open: Distribution;
let bearer: TokenProxy;

before(async () => {
  [basic, open] = await Promise.all([startDistribution({ users: [user] }), startDistribution()]);
  bearer = await startTokenProxy(open.url, user);
});
after(async () => { await bearer?.stop(); await Promise.all([basic?.stop(), open?.stop()]); });

test('basic auth: pushes and pulls with credentials', async () => {
  const { client } = createTestClient({ credential: user });
  const image = buildImage([100]);
  await pushImage(client, { registry: basic.host, repository: 'basic/app' }, image, 'v1');
  assert.equal((await client.getManifest({ registry: basic.host, repository: 'basic/app' }, 'v1')).digest, image.digest);
});

test('basic auth: no credentials or wrong ones are unauthorized', async () => {
  await assert.rejects(createTestClient().client.getManifest({ registry: basic.host, repository: 'basic/app' }, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
  const wrong = createTestClient({ credential: { username: 'alice', password: 'nope' } }).client;
  await assert.rejects(wrong.getManifest({ registry: basic.host, repository: 'basic/app' }, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
});

test('bearer: fetches one token per scope set with basic credentials, and caches it', async () => {
  const { client } = createTestClient({ credential: user });
  const repo = { registry: bearer.host, repository: 'bearer/app' };
  const image = buildImage([100, 200]);
  await pushImage(client, repo, image, 'v1');
  assert.equal((await client.getManifest(repo, 'v1')).digest, image.digest);
  assert.equal((await client.headManifest(repo, 'v1')).digest, image.digest);
  assert.ok(bearer.tokenRequests.every((r) => r.authenticated && r.method === 'GET'));
  const scopes = bearer.tokenRequests.map((r) => r.scopes.join(' '));
  assert.deepEqual([...new Set(scopes)].sort(), ['repository:bearer/app:pull', 'repository:bearer/app:pull,push']);
  assert.equal(scopes.length, 2, scopes.join(' | '));
});

test('bearer: a mount asks for pull on the source repository too', async () => {
  const { client } = createTestClient({ credential: user });
  const image = buildImage([50]);
  await pushImage(client, { registry: bearer.host, repository: 'bearer/from' }, image, 'v1');
  const before = bearer.tokenRequests.length;
  const layer = image.blobs[1];
  assert.ok(layer);
  const result = await client.pushBlob({ registry: bearer.host, repository: 'bearer/to' }, bytesBlobSource(layer.digest, layer.bytes), { mountFrom: { registry: bearer.host, repository: 'bearer/from' } });
  assert.equal(result, 'mounted');
  const asked = bearer.tokenRequests.slice(before).map((r) => r.scopes.sort().join(' '));
  assert.ok(asked.includes('repository:bearer/from:pull repository:bearer/to:pull,push'), asked.join(' | '));
});

test('bearer: access_token answers work too', async () => {
  const other = await startTokenProxy(open.url, user, 'access_token');
  try {
    const { client } = createTestClient({ credential: user });
    const image = buildImage([10]);
    await pushImage(client, { registry: other.host, repository: 'oauth/app' }, image, 'v1');
    assert.equal((await client.headManifest({ registry: other.host, repository: 'oauth/app' }, 'v1')).digest, image.digest);
  } finally { await other.stop(); }
});

test('bearer: anonymous tokens without access and wrong passwords are unauthorized', async () => {
  await assert.rejects(createTestClient().client.getManifest({ registry: bearer.host, repository: 'bearer/app' }, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
  const wrong = createTestClient({ credential: { username: 'alice', password: 'bad' } }).client;
  await assert.rejects(wrong.getManifest({ registry: bearer.host, repository: 'bearer/app' }, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
});

test('bearer: an identity token is exchanged with the refresh_token grant', async () => {
  const other = await startTokenProxy(open.url, user, 'access_token', 'refresh-me');
  try {
    const { client } = createTestClient({ credential: { identityToken: 'refresh-me' } });
    const image = buildImage([10]);
    await pushImage(client, { registry: other.host, repository: 'identity/app' }, image, 'v1');
    assert.ok(other.tokenRequests.length > 0 && other.tokenRequests.every((r) => r.method === 'POST' && r.authenticated));
    const wrong = createTestClient({ credential: { identityToken: 'stale' } }).client;
    await assert.rejects(wrong.headManifest({ registry: other.host, repository: 'identity/app' }, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
  } finally { await other.stop(); }
});

test('bearer: a registry token from the docker config is sent as is', async () => {
  const { client } = createTestClient({ credential: { registryToken: 'not-issued-here' } });
  await assert.rejects(client.headManifest({ registry: bearer.host, repository: 'bearer/app' }, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
});

test('bearer: a cached token is renewed once expires_in has passed', async () => {
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const { client } = createTestClient({ credential: user, now: () => new Date(nowMs) });
  const repo = { registry: bearer.host, repository: 'bearer/expiry' };
  await pushImage(client, repo, buildImage([10]), 'v1');
  const count = () => bearer.tokenRequests.filter((r) => r.scopes.includes('repository:bearer/expiry:pull')).length;
  await client.headManifest(repo, 'v1');
  const before = count();
  await client.headManifest(repo, 'v1');
  assert.equal(count(), before);
  nowMs += 301_000; // the proxy's tokens live 300 s
  await client.headManifest(repo, 'v1');
  assert.equal(count(), before + 1);
});
