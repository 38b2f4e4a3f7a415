// Tag lists, the catalog and the referrers API against the in-process registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf, ociCode, pushBlob, pushImage, useTestServer } from '../helpers/registry-server.ts';

const ctx = useTestServer();

test('tags list paginates with n, last and a Link header', async () => {
  for (const tag of ['c', 'a', 'e', 'b', 'd']) await pushImage(ctx.srv.url, 'paged/repo', tag, tag);
  const all = await fetch(`${ctx.srv.url}/v2/paged/repo/tags/list`);
  assert.deepEqual(await all.json(), { name: 'paged/repo', tags: ['a', 'b', 'c', 'd', 'e'] });
  assert.equal(all.headers.get('link'), null);
  const first = await fetch(`${ctx.srv.url}/v2/paged/repo/tags/list?n=2`);
  assert.deepEqual(await first.json(), { name: 'paged/repo', tags: ['a', 'b'] });
  assert.equal(first.headers.get('link'), '</v2/paged/repo/tags/list?n=2&last=b>; rel="next"');
  const second = await fetch(`${ctx.srv.url}/v2/paged/repo/tags/list?n=2&last=b`);
  assert.deepEqual(await second.json(), { name: 'paged/repo', tags: ['c', 'd'] });
  const last = await fetch(`${ctx.srv.url}/v2/paged/repo/tags/list?n=2&last=d`);
  assert.deepEqual(await last.json(), { name: 'paged/repo', tags: ['e'] });
  assert.equal(last.headers.get('link'), null);
  const unknown = await fetch(`${ctx.srv.url}/v2/no/such/repo/tags/list`);
  assert.equal(unknown.status, 404);
  assert.equal(await ociCode(unknown), 'NAME_UNKNOWN');
});

test('catalog lists repositories with manifests, paginated', async () => {
  await pushImage(ctx.srv.url, 'cat/one', 'v1', 'x');
  await pushImage(ctx.srv.url, 'cat/two/deep', 'v1', 'y');
  await pushBlob(ctx.srv.url, 'cat/blobs-only', 'z');
  const res = await fetch(`${ctx.srv.url}/v2/_catalog`);
  const body = (await res.json()) as { repositories: string[] };
  assert.ok(body.repositories.includes('cat/one'));
  assert.ok(body.repositories.includes('cat/two/deep'));
  assert.ok(!body.repositories.includes('cat/blobs-only'));
  const page = await fetch(`${ctx.srv.url}/v2/_catalog?n=1`);
  assert.equal(((await page.json()) as { repositories: string[] }).repositories.length, 1);
  assert.match(page.headers.get('link') ?? '', /^<\/v2\/_catalog\?n=1&last=[^>]+>; rel="next"$/);
});

test('referrers lists manifests whose subject is the digest, with an artifactType filter', async () => {
  const subject = await pushImage(ctx.srv.url, 'refs', 'app', 'subject');
  const subjectDescriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject.digest, size: Buffer.byteLength(subject.body) };
  const sig = await pushImage(ctx.srv.url, 'refs', 'sig', 'sig', { artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', subject: subjectDescriptor, annotations: { kind: 'sig' } });
  const put = await fetch(`${ctx.srv.url}/v2/refs/manifests/${sig.digest}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: sig.body });
  assert.equal(put.headers.get('oci-subject'), subject.digest);
  const sbom = await pushImage(ctx.srv.url, 'refs', 'sbom', 'sbom', { artifactType: 'application/spdx+json', subject: subjectDescriptor });
  const all = await fetch(`${ctx.srv.url}/v2/refs/referrers/${subject.digest}`);
  assert.equal(all.status, 200);
  assert.equal(all.headers.get('content-type'), 'application/vnd.oci.image.index.v1+json');
  assert.equal(all.headers.get('oci-filters-applied'), null);
  const index = (await all.json()) as { schemaVersion: number; mediaType: string; manifests: { digest: string; artifactType: string; size: number; annotations?: Record<string, string> }[] };
  assert.equal(index.schemaVersion, 2);
  assert.deepEqual(index.manifests.map((m) => m.digest).sort(), [sig.digest, sbom.digest].sort());
  const sigEntry = index.manifests.find((m) => m.digest === sig.digest);
  assert.deepEqual(sigEntry, { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sig.digest, size: Buffer.byteLength(sig.body), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', annotations: { kind: 'sig' } });
  const filtered = await fetch(`${ctx.srv.url}/v2/refs/referrers/${subject.digest}?artifactType=application/spdx%2Bjson`);
  assert.equal(filtered.headers.get('oci-filters-applied'), 'artifactType');
  assert.deepEqual(((await filtered.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest), [sbom.digest]);
  // deleting a referrer removes it from the listing
  assert.equal((await fetch(`${ctx.srv.url}/v2/refs/manifests/${sbom.digest}`, { method: 'DELETE' })).status, 202);
  const after = (await (await fetch(`${ctx.srv.url}/v2/refs/referrers/${subject.digest}`)).json()) as { manifests: unknown[] };
  assert.equal(after.manifests.length, 1);
});

test('referrers of an unknown subject is an empty index', async () => {
  const res = await fetch(`${ctx.srv.url}/v2/nothing/here/referrers/${digestOf('absent')}`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
  const bad = await fetch(`${ctx.srv.url}/v2/nothing/referrers/sha256:zz`);
  assert.equal(await ociCode(bad), 'DIGEST_INVALID');
});

test('a referrers listing read before a push or a delete is not served stale afterwards', async () => {
  const subject = await pushImage(ctx.srv.url, 'refs/fresh', 'app', 'fresh-subject');
  const subjectDescriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: subject.digest, size: Buffer.byteLength(subject.body) };
  const list = async (): Promise<string[]> => {
    const res = await fetch(`${ctx.srv.url}/v2/refs/fresh/referrers/${subject.digest}`);
    return ((await res.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
  };
  assert.deepEqual(await list(), []);
  assert.deepEqual(await list(), []);
  const sig = await pushImage(ctx.srv.url, 'refs/fresh', 'sig', 'fresh-sig', { artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', subject: subjectDescriptor });
  assert.deepEqual(await list(), [sig.digest]);
  const filtered = await fetch(`${ctx.srv.url}/v2/refs/fresh/referrers/${subject.digest}?artifactType=application/spdx%2Bjson`);
  assert.deepEqual(((await filtered.json()) as { manifests: unknown[] }).manifests, []);
  assert.equal((await fetch(`${ctx.srv.url}/v2/refs/fresh/manifests/${sig.digest}`, { method: 'DELETE' })).status, 202);
  assert.deepEqual(await list(), []);
  // the listing of another repository's same digest is its own
  assert.deepEqual((await (await fetch(`${ctx.srv.url}/v2/refs/other/referrers/${subject.digest}`)).json() as { manifests: unknown[] }).manifests, []);
});
