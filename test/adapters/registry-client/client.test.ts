// The registry client against a real CNCF distribution 2.8 registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bytesBlobSource } from '../../../src/adapters/registry-client/index.ts';
import { collectBytes, encodeUtf8, sha256Digest } from '../../../src/core/index.ts';
import { OCI_EMPTY, OCI_EMPTY_DIGEST, OCI_INDEX, OCI_MANIFEST, referrersTag, signatureTag } from '../../../src/oci/index.ts';
import { startDistribution, type Distribution } from '../../support/distribution.ts';
import { createTestClient } from '../../support/client.ts';
import { startProxy } from '../../support/proxy.ts';
import { buildImage, pushImage } from '../../support/images.ts';

let registry: Distribution;
before(async () => { registry = await startDistribution(); });
after(async () => { await registry?.stop(); });

const repo = (repository: string) => ({ registry: registry.host, repository });

test('pushes an image and reads back exact bytes, digest and media type', async () => {
  const { client } = createTestClient();
  const image = buildImage();
  await pushImage(client, repo('roundtrip/app'), image, 'v1');
  const byTag = await client.getManifest(repo('roundtrip/app'), 'v1');
  assert.deepEqual(byTag.bytes, image.manifest);
  assert.equal(byTag.digest, image.digest);
  assert.equal(byTag.mediaType, OCI_MANIFEST);
  const byDigest = await client.getManifest(repo('roundtrip/app'), image.digest);
  assert.deepEqual(byDigest.bytes, image.manifest);
  const head = await client.headManifest(repo('roundtrip/app'), 'v1');
  assert.deepEqual(head, { digest: image.digest, mediaType: OCI_MANIFEST, sizeBytes: image.manifest.byteLength });
  const config = image.blobs[0];
  assert.ok(config);
  const stream = await client.getBlob(repo('roundtrip/app'), { digest: config.digest, size: config.bytes.byteLength });
  assert.deepEqual(await collectBytes(stream.body, 1 << 20), config.bytes);
  assert.equal(await client.hasBlob(repo('roundtrip/app'), config.digest), true);
  assert.equal(await client.hasManifest(repo('roundtrip/app'), 'nope'), false);
});

test('skips blobs the registry has and mounts across repositories', async () => {
  const { client } = createTestClient();
  const bytes = encodeUtf8('shared blob');
  const digest = sha256Digest(bytes);
  assert.equal(await client.pushBlob(repo('mount/a'), bytesBlobSource(digest, bytes)), 'uploaded');
  assert.equal(await client.pushBlob(repo('mount/a'), bytesBlobSource(digest, bytes)), 'skipped');
  assert.equal(await client.pushBlob(repo('mount/b'), bytesBlobSource(digest, bytes), { mountFrom: repo('mount/a') }), 'mounted');
  assert.equal(await client.hasBlob(repo('mount/b'), digest), true);
  // a mount from a repository without the blob falls back to an upload (202)
  const other = encodeUtf8('not in a');
  assert.equal(await client.pushBlob(repo('mount/c'), bytesBlobSource(sha256Digest(other), other), { mountFrom: repo('mount/a') }), 'uploaded');
});

test('uploads big blobs in chunks that follow each Location', async () => {
  const { client } = createTestClient({ chunkSizeBytes: 256 * 1024 });
  const bytes = new Uint8Array(randomBytes(1024 * 1024 + 12345));
  const digest = sha256Digest(bytes);
  const progress: number[] = [];
  const source = {
    digest, size: bytes.byteLength,
    open: async () => (async function* () { for (let i = 0; i < bytes.byteLength; i += 100_000) yield bytes.subarray(i, i + 100_000); })(),
  };
  assert.equal(await client.pushBlob(repo('chunked/app'), source, { onProgress: (n) => progress.push(n) }), 'uploaded');
  assert.ok(progress.length >= 4, `progress ${progress.join(',')}`);
  assert.equal(progress.at(-1), bytes.byteLength);
  const stream = await client.getBlob(repo('chunked/app'), { digest, size: bytes.byteLength });
  assert.deepEqual(await collectBytes(stream.body, 4 << 20), bytes);
});

test('a source that does not match its digest is never committed', async () => {
  const { client } = createTestClient();
  const bytes = encodeUtf8('claimed');
  const digest = sha256Digest(encodeUtf8('something else'));
  await assert.rejects(client.pushBlob(repo('bad/app'), bytesBlobSource(digest, bytes)), { code: 'ERR_OCI_DIGEST_INVALID' });
  assert.equal(await client.hasBlob(repo('bad/app'), digest), false);
});

test('lists tags and the catalog across Link pages', async () => {
  const { client } = createTestClient();
  const image = buildImage([10]);
  for (const tag of ['a', 'b', 'c']) await pushImage(client, repo('tags/app'), image, tag);
  assert.deepEqual((await client.listTags(repo('tags/app'))).sort(), ['a', 'b', 'c']);
  assert.deepEqual((await client.listTags(repo('tags/app'), 1)).sort(), ['a', 'b', 'c']);
  await pushImage(client, repo('tags/other'), image, 'a');
  const catalog = await client.listCatalog(registry.host, 1);
  assert.ok(catalog.includes('tags/app') && catalog.includes('tags/other'), catalog.join(','));
  assert.deepEqual(catalog, [...new Set(catalog)]);
  await assert.rejects(client.listTags(repo('tags/missing')), { code: 'ERR_OCI_NAME_UNKNOWN' });
});

test('missing manifests and blobs map to not-found codes', async () => {
  const { client } = createTestClient();
  await pushImage(client, repo('missing/app'), buildImage([10]), 'v1');
  await assert.rejects(client.getManifest(repo('missing/app'), 'nope'), { code: 'ERR_OCI_MANIFEST_UNKNOWN' });
  await assert.rejects(client.headManifest(repo('missing/app'), 'nope'), { code: 'ERR_OCI_MANIFEST_UNKNOWN' });
  await assert.rejects(client.getBlob(repo('missing/app'), { digest: sha256Digest('x') }), { code: 'ERR_OCI_BLOB_UNKNOWN' });
});

test('findManifest answers undefined for a missing tag and the exact manifest for an existing one', async () => {
  const { client } = createTestClient();
  const image = buildImage([10]);
  await pushImage(client, repo('find/app'), image, 'v1');
  assert.equal(await client.findManifest(repo('find/app'), 'nope'), undefined);
  assert.equal(await client.findManifest(repo('find/none'), 'v1'), undefined);
  assert.deepEqual(await client.findManifest(repo('find/app'), 'v1'), await client.getManifest(repo('find/app'), 'v1'));
  assert.equal((await client.findManifest(repo('find/app'), image.digest))?.digest, image.digest);
});

test('referrers fall back to the sha256-<hex> tag schema on a registry without the API', async () => {
  const { client } = createTestClient();
  const subject = buildImage([10]);
  await pushImage(client, repo('refs/app'), subject, 'v1');
  assert.deepEqual(await client.listReferrers(repo('refs/app'), subject.digest), { manifests: [], source: 'tag-schema' });
  await client.pushBlob(repo('refs/app'), bytesBlobSource(OCI_EMPTY_DIGEST, encodeUtf8('{}')));
  const referrer = encodeUtf8(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: 'application/vnd.example.sig',
    config: { mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 }, layers: [{ mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.manifest.byteLength },
  }));
  const referrerDigest = await client.putManifest(repo('refs/app'), sha256Digest(referrer), referrer, OCI_MANIFEST);
  const fallback = encodeUtf8(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [
    { mediaType: OCI_MANIFEST, digest: referrerDigest, size: referrer.byteLength, artifactType: 'application/vnd.example.sig' },
  ] }));
  await client.putManifest(repo('refs/app'), referrersTag(subject.digest), fallback, OCI_INDEX);
  const all = await client.listReferrers(repo('refs/app'), subject.digest);
  assert.equal(all.source, 'tag-schema');
  assert.deepEqual(all.manifests.map((d) => d.digest), [referrerDigest]);
  assert.equal((await client.listReferrers(repo('refs/app'), subject.digest, 'application/vnd.example.sig')).manifests.length, 1);
  assert.equal((await client.listReferrers(repo('refs/app'), subject.digest, 'other/type')).manifests.length, 0);
  assert.match(signatureTag(subject.digest), /^sha256-[0-9a-f]{64}\.sig$/);
});

test('deletes manifests by digest', async () => {
  const { client } = createTestClient();
  const image = buildImage([10]);
  await pushImage(client, repo('delete/app'), image, 'v1');
  await client.deleteManifest(repo('delete/app'), image.digest);
  await assert.rejects(client.getManifest(repo('delete/app'), image.digest), { code: 'ERR_OCI_MANIFEST_UNKNOWN' });
});

test('a chunked upload that fails midway is retried whole from a fresh source', async () => {
  let patches = 0;
  const proxy = await startProxy({
    target: registry.url,
    intercept: (req, res) => {
      if (req.method !== 'PATCH') return false;
      patches += 1;
      if (patches !== 2) return false;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"try again"}]}');
      return true;
    },
  });
  try {
    const { client, sleeps } = createTestClient({ chunkSizeBytes: 64 * 1024 });
    const bytes = new Uint8Array(randomBytes(300 * 1024));
    let opened = 0;
    const source = { digest: sha256Digest(bytes), size: bytes.byteLength, open: async () => { opened += 1; return bytesBlobSource('', bytes).open(); } };
    assert.equal(await client.pushBlob({ registry: proxy.host, repository: 'retry/app' }, source), 'uploaded');
    assert.equal(opened, 2);
    assert.equal(sleeps.length, 1);
    const stream = await client.getBlob(repo('retry/app'), { digest: source.digest, size: bytes.byteLength });
    assert.deepEqual(await collectBytes(stream.body, 1 << 20), bytes);
  } finally { await proxy.stop(); }
});

test('relative Location headers and existing query strings are followed', async () => {
  // distribution answers absolute Locations with a _state query; rewrite them to relative ones
  const proxy = await startProxy({
    target: registry.url,
    rewriteHeaders: (headers) => {
      const location = headers['location'];
      if (typeof location === 'string' && location.startsWith('http')) headers['location'] = new URL(location).pathname + new URL(location).search;
    },
  });
  try {
    const { client } = createTestClient({ chunkSizeBytes: 32 * 1024 });
    const bytes = new Uint8Array(randomBytes(100 * 1024));
    const digest = sha256Digest(bytes);
    assert.equal(await client.pushBlob({ registry: proxy.host, repository: 'relative/app' }, bytesBlobSource(digest, bytes)), 'uploaded');
    assert.equal(await client.hasBlob(repo('relative/app'), digest), true);
    assert.ok(proxy.log.some((l) => l.startsWith('PATCH /v2/relative/app/blobs/uploads/') && l.includes('_state=')), proxy.log.join('\n'));
  } finally { await proxy.stop(); }
});

test('referrers come from the OCI 1.1 API when the registry has one', async () => {
  const subject = sha256Digest('subject');
  const listed = [
    { mediaType: OCI_MANIFEST, digest: sha256Digest('a'), size: 10, artifactType: 'application/vnd.example.sig' },
    { mediaType: OCI_MANIFEST, digest: sha256Digest('b'), size: 11, artifactType: 'application/vnd.example.sbom' },
  ];
  const proxy = await startProxy({
    target: registry.url,
    intercept: (req, res) => {
      if (!req.url?.startsWith(`/v2/api/app/referrers/${subject}`)) return false;
      res.writeHead(200, { 'content-type': OCI_INDEX });
      // this registry ignores the artifactType filter: the client applies it
      res.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: listed }));
      return true;
    },
  });
  try {
    const { client } = createTestClient();
    const all = await client.listReferrers({ registry: proxy.host, repository: 'api/app' }, subject);
    assert.deepEqual(all, { manifests: listed, source: 'api' });
    const sigs = await client.listReferrers({ registry: proxy.host, repository: 'api/app' }, subject, 'application/vnd.example.sig');
    assert.deepEqual(sigs.manifests, [listed[0]]);
    assert.ok(proxy.log.includes(`GET /v2/api/app/referrers/${subject}?artifactType=application%2Fvnd.example.sig`), proxy.log.join('\n'));
  } finally { await proxy.stop(); }
});
