// The Bearer token flow against distribution's own `auth: token` mode: the registry sends the
// challenge and verifies the JWTs; a small in-test server issues them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesBlobSource } from '../../../src/adapters/registry-client/index.ts';
import { startDistribution, type Distribution } from '../../support/distribution.ts';
import { createSelfSigned } from '../../support/tls.ts';
import { startTokenServer, type TokenServer } from '../../support/token-server.ts';
import { createTestClient } from '../../support/client.ts';
import { buildImage, pushImage } from '../../support/images.ts';

const user = { username: 'carol', password: 'pw' };
let tokens: TokenServer;
let registry: Distribution;

before(async () => {
  const key = createSelfSigned();
  tokens = await startTokenServer(key, user);
  registry = await startDistribution({ token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: key.certPath } });
});
after(async () => { await registry?.stop(); await tokens?.stop(); });

test('pushes, pulls and mounts with tokens the registry verifies', async () => {
  const { client } = createTestClient({ credential: user });
  const repo = { registry: registry.host, repository: 'token/app' };
  const image = buildImage([100, 200]);
  await pushImage(client, repo, image, 'v1');
  assert.equal((await client.getManifest(repo, 'v1')).digest, image.digest);
  const layer = image.blobs[1];
  assert.ok(layer);
  const mounted = await client.pushBlob({ registry: registry.host, repository: 'token/other' }, bytesBlobSource(layer.digest, layer.bytes), { mountFrom: repo });
  assert.equal(mounted, 'mounted');
  assert.ok(tokens.requests.every((r) => r.authenticated));
  assert.ok(tokens.requests.some((r) => r.scopes.sort().join(' ') === 'repository:token/app:pull repository:token/other:pull,push'));
});

test('anonymous and wrong credentials are unauthorized', async () => {
  const repo = { registry: registry.host, repository: 'token/app' };
  await assert.rejects(createTestClient().client.getManifest(repo, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
  await assert.rejects(createTestClient({ credential: { username: 'carol', password: 'no' } }).client.getManifest(repo, 'v1'), { code: 'ERR_OCI_UNAUTHORIZED' });
});
