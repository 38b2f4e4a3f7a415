// Merging into the sha256-<hex> referrers index of a registry without the referrers API (a real
// distribution 2.8) is a read-modify-write: concurrent writers must not drop each other's
// descriptors. Six writers at once all end up listed; an overwrite landing right after our PUT
// (injected through the re-check's sleep) is repaired.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addToReferrersTagIndex, bytesBlobSource } from '../../../src/adapters/registry-client/index.ts';
import { encodeUtf8, sha256Digest } from '../../../src/core/index.ts';
import { OCI_EMPTY, OCI_EMPTY_DIGEST, OCI_INDEX, OCI_MANIFEST, referrersTag, type Descriptor } from '../../../src/oci/index.ts';
import { startDistribution, type Distribution } from '../../support/distribution.ts';
import { createTestClient } from '../../support/client.ts';
import { buildImage, pushImage, type TestImage } from '../../support/images.ts';

let registry: Distribution;
before(async () => { registry = await startDistribution(); });
after(async () => { await registry?.stop(); });

const repo = (repository: string) => ({ registry: registry.host, repository });
const realDeps = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), monotonicMs: () => performance.now(), jitter: Math.random };

async function referrers(repository: string, subject: TestImage, count: number): Promise<Descriptor[]> {
  const { client } = createTestClient();
  await client.pushBlob(repo(repository), bytesBlobSource(OCI_EMPTY_DIGEST, encodeUtf8('{}')));
  const out: Descriptor[] = [];
  for (let i = 0; i < count; i += 1) {
    const bytes = encodeUtf8(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: 'application/vnd.example.sig',
      config: { mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 }, layers: [{ mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.manifest.byteLength }, annotations: { writer: String(i) },
    }));
    const digest = await client.putManifest(repo(repository), sha256Digest(bytes), bytes, OCI_MANIFEST);
    out.push({ mediaType: OCI_MANIFEST, digest, size: bytes.byteLength, artifactType: 'application/vnd.example.sig' });
  }
  return out;
}

test('six writers merging at once: every descriptor ends up in the index', async () => {
  const { client } = createTestClient();
  const subject = buildImage([48]);
  await pushImage(client, repo('race/app'), subject, 'v1');
  const mine = await referrers('race/app', subject, 6);
  const added = await Promise.all(mine.map((d) => addToReferrersTagIndex(createTestClient().client, repo('race/app'), subject.digest, [d], realDeps)));
  assert.deepEqual(added, [1, 1, 1, 1, 1, 1]);
  const listed = await client.listReferrers(repo('race/app'), subject.digest);
  assert.equal(listed.source, 'tag-schema');
  assert.deepEqual(new Set(listed.manifests.map((d) => d.digest)), new Set(mine.map((d) => d.digest)));
});

test('an overwrite that lands after our PUT and drops our descriptor is repaired; a writer that cannot win gives up with a conflict', async () => {
  const { client } = createTestClient();
  const subject = buildImage([49]);
  await pushImage(client, repo('repair/app'), subject, 'v1');
  const [ours, theirs] = await referrers('repair/app', subject, 2);
  assert.ok(ours && theirs);
  const tag = referrersTag(subject.digest);
  const onlyTheirs = encodeUtf8(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [theirs] }));
  let overwrites = 0;
  const overwriting = { ...realDeps, sleep: async (ms: number) => {
    // the first wait after our PUT: another writer, who read before our PUT, writes its own index
    if (overwrites === 0) { overwrites += 1; await client.putManifest(repo('repair/app'), tag, onlyTheirs, OCI_INDEX); }
    await realDeps.sleep(ms);
  } };
  assert.equal(await addToReferrersTagIndex(client, repo('repair/app'), subject.digest, [ours], overwriting), 1);
  assert.equal(overwrites, 1);
  const listed = await client.listReferrers(repo('repair/app'), subject.digest);
  assert.deepEqual(new Set(listed.manifests.map((d) => d.digest)), new Set([ours.digest, theirs.digest]));
  // a writer overwritten after every PUT gives up instead of claiming success
  const [third] = await referrers('repair/app', buildImage([50]), 1);
  assert.ok(third);
  const alwaysOverwritten = { ...realDeps, maxAttempts: 3, sleep: async (ms: number) => {
    await client.putManifest(repo('repair/app'), tag, onlyTheirs, OCI_INDEX);
    await realDeps.sleep(ms);
  } };
  await assert.rejects(addToReferrersTagIndex(client, repo('repair/app'), subject.digest, [third], alwaysOverwritten), { code: 'ERR_SIGNATURE_APPEND_CONFLICT' });
});
