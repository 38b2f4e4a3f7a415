// Manifest push, pull and delete against the in-process registry, with every validation rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf, imageManifest, rawGet, ociCode, pushBlob, pushImage, putManifest, useTestServer } from '../helpers/registry-server.ts';

const ctx = useTestServer();

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

test('push by tag, pull by tag and by digest, with exact headers', async () => {
  const { digest, body } = await pushImage(ctx.srv.url, 'team/app/web', 'v1', 'one');
  for (const ref of ['v1', digest]) {
    const res = await fetch(`${ctx.srv.url}/v2/team/app/web/manifests/${ref}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), OCI_MANIFEST);
    assert.equal(res.headers.get('docker-content-digest'), digest);
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(body)));
    assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0');
    assert.equal(await res.text(), body);
    const head = await fetch(`${ctx.srv.url}/v2/team/app/web/manifests/${ref}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('docker-content-digest'), digest);
  }
});

test('PUT answers 201 with Location and digest; re-tagging moves the tag', async () => {
  const first = await pushImage(ctx.srv.url, 'retag', 'latest', 'a');
  const second = await pushImage(ctx.srv.url, 'retag', 'latest', 'b');
  const res = await fetch(`${ctx.srv.url}/v2/retag/manifests/latest`);
  assert.equal(res.headers.get('docker-content-digest'), second.digest);
  await res.arrayBuffer();
  assert.equal((await fetch(`${ctx.srv.url}/v2/retag/manifests/${first.digest}`, { method: 'HEAD' })).status, 200);
  const put = await putManifest(ctx.srv.url, 'retag', first.digest, first.body);
  assert.equal(put.status, 201);
  assert.equal(put.headers.get('location'), `/v2/retag/manifests/${first.digest}`);
});

test('a manifest naming blobs the repository lacks answers MANIFEST_BLOB_UNKNOWN', async () => {
  const config = '{}';
  const cfg = await pushBlob(ctx.srv.url, 'other/repo', config);
  const body = imageManifest(cfg, config, []);
  const res = await putManifest(ctx.srv.url, 'lacking', 'v1', body);
  assert.equal(res.status, 400);
  assert.equal(await ociCode(res), 'MANIFEST_BLOB_UNKNOWN');
  assert.equal((await fetch(`${ctx.srv.url}/v2/lacking/manifests/v1`, { method: 'HEAD' })).status, 404);
});

test('an index needs its child manifests in the repository', async () => {
  const child = await pushImage(ctx.srv.url, 'idx', 'child', 'c');
  const index = (digest: string): string => JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest, size: 10, platform: { os: 'linux', architecture: 'amd64' } }] });
  const bad = await putManifest(ctx.srv.url, 'idx', 'multi', index(digestOf('missing')), OCI_INDEX);
  assert.equal(await ociCode(bad), 'MANIFEST_BLOB_UNKNOWN');
  const ok = await putManifest(ctx.srv.url, 'idx', 'multi', index(child.digest), OCI_INDEX);
  assert.equal(ok.status, 201);
  const got = await fetch(`${ctx.srv.url}/v2/idx/manifests/multi`);
  assert.equal(got.headers.get('content-type'), OCI_INDEX);
});

test('invalid, oversized and mismatched manifests are refused', async () => {
  const notJson = await putManifest(ctx.srv.url, 'bad', 'v1', '{not json');
  assert.equal(notJson.status, 400);
  assert.equal(await ociCode(notJson), 'MANIFEST_INVALID');
  const unknownType = await putManifest(ctx.srv.url, 'bad', 'v1', JSON.stringify({ schemaVersion: 2, mediaType: 'text/plain' }), 'text/plain');
  assert.equal(await ociCode(unknownType), 'MANIFEST_INVALID');
  const huge = await putManifest(ctx.srv.url, 'bad', 'v1', `{"schemaVersion":2,"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`);
  assert.equal(huge.status, 413);
  assert.equal(await ociCode(huge), 'MANIFEST_INVALID');
  const { body } = await pushImage(ctx.srv.url, 'bad', 'ok', 'm');
  const wrongDigest = await putManifest(ctx.srv.url, 'bad', digestOf('other'), body);
  assert.equal(wrongDigest.status, 400);
  assert.equal(await ociCode(wrongDigest), 'DIGEST_INVALID');
});

test('invalid repository names and tags are refused before touching storage', async () => {
  const cases: [string, string][] = [
    ['/v2/Upper/manifests/latest', 'NAME_INVALID'],
    ['/v2/a/%2e%2e/b/manifests/latest', 'NAME_INVALID'],
    ['/v2/..%2fx/manifests/latest', 'NAME_INVALID'],
    ['/v2/a//b/manifests/latest', 'NAME_INVALID'],
    ['/v2/a/../../etc/manifests/latest', 'NAME_INVALID'],
    ['/v2/a/manifests/-bad-tag', 'TAG_INVALID'],
    ['/v2/a/tags/list?n=-1', 'PAGINATION_NUMBER_INVALID'],
  ];
  for (const [path, code] of cases) {
    const res = await rawGet(ctx.srv.url, path);
    assert.equal(res.status, 400, path);
    assert.equal((JSON.parse(res.body) as { errors: { code: string }[] }).errors[0]?.code, code, path);
  }
  const missing = await fetch(`${ctx.srv.url}/v2/nothere/manifests/latest`);
  assert.equal(missing.status, 404);
  assert.equal(await ociCode(missing), 'MANIFEST_UNKNOWN');
});

test('DELETE by tag removes the tag; by digest removes the manifest and its tags', async () => {
  const { digest } = await pushImage(ctx.srv.url, 'gone', 'v1', 'g');
  await (await putManifest(ctx.srv.url, 'gone', 'v2', (await (await fetch(`${ctx.srv.url}/v2/gone/manifests/v1`)).text()))).arrayBuffer();
  assert.equal((await fetch(`${ctx.srv.url}/v2/gone/manifests/v1`, { method: 'DELETE' })).status, 202);
  assert.equal((await fetch(`${ctx.srv.url}/v2/gone/manifests/v1`, { method: 'HEAD' })).status, 404);
  assert.equal((await fetch(`${ctx.srv.url}/v2/gone/manifests/v2`, { method: 'HEAD' })).status, 200);
  assert.equal((await fetch(`${ctx.srv.url}/v2/gone/manifests/${digest}`, { method: 'DELETE' })).status, 202);
  assert.equal((await fetch(`${ctx.srv.url}/v2/gone/manifests/v2`, { method: 'HEAD' })).status, 404);
  assert.equal((await fetch(`${ctx.srv.url}/v2/gone/manifests/${digest}`, { method: 'HEAD' })).status, 404);
  const again = await fetch(`${ctx.srv.url}/v2/gone/manifests/${digest}`, { method: 'DELETE' });
  assert.equal(await ociCode(again), 'MANIFEST_UNKNOWN');
});

test('unsupported methods and unknown /v2 paths answer in the OCI dialect', async () => {
  const res = await fetch(`${ctx.srv.url}/v2/a/manifests/latest`, { method: 'POST' });
  assert.equal(res.status, 405);
  assert.equal(await ociCode(res), 'UNSUPPORTED');
  const unknown = await fetch(`${ctx.srv.url}/v2/a/nothing`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('docker-distribution-api-version'), 'registry/2.0');
});
