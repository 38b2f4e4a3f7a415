// The client follows a paginated referrers listing (distribution-spec 1.1: `Link: <…>;
// rel="next"`). sigil's registry answers in one page and no registry on this machine pages its
// referrers, so a loopback proxy in front of sigil's real registry serves the real listing two
// descriptors per page; a later page that fails is an error, never a shorter list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bytesBlobSource } from '../../../src/adapters/registry-client/index.ts';
import { encodeUtf8, sha256Digest } from '../../../src/core/index.ts';
import { OCI_EMPTY, OCI_EMPTY_DIGEST, OCI_MANIFEST } from '../../../src/oci/index.ts';
import { createTestClient } from '../../support/client.ts';
import { startProxy, type Proxy } from '../../support/proxy.ts';
import { buildImage, pushImage } from '../../support/images.ts';
import { startSigilServer, type SigilServerProcess } from '../../support/sigil-server.ts';
import { makeTempDir } from '../../support/temp.ts';

const PAGE = 2;
let server: SigilServerProcess;
let proxy: Proxy;
let brokenPage = 0;

/** Serves the real listing of `/v2/<name>/referrers/<digest>` page by page (`?page=N`, from 1). */
async function pagedReferrers(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://proxy');
  if (req.method !== 'GET' || !/\/referrers\/sha256:[0-9a-f]{64}$/.test(url.pathname)) return false;
  const page = Number(url.searchParams.get('page') ?? '1');
  if (page === brokenPage) { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"errors":[{"code":"UNKNOWN"}]}'); return true; }
  const upstream = new URL(url.pathname, server.url);
  const filter = url.searchParams.get('artifactType');
  if (filter !== null) upstream.searchParams.set('artifactType', filter);
  const whole = (await (await fetch(upstream)).json()) as { manifests: unknown[] } & Record<string, unknown>;
  const slice = whole.manifests.slice((page - 1) * PAGE, page * PAGE);
  const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
  if (page * PAGE < whole.manifests.length) {
    const next = new URL(url.pathname, 'http://proxy');
    if (filter !== null) next.searchParams.set('artifactType', filter);
    next.searchParams.set('page', String(page + 1));
    headers['link'] = `<${next.pathname}${next.search}>; rel="next"`;
  }
  res.writeHead(200, headers);
  res.end(JSON.stringify({ ...whole, manifests: slice }));
  return true;
}

before(async () => {
  server = await startSigilServer(makeTempDir('referrers-pages'), ['--only', 'registry']);
  proxy = await startProxy({ target: server.url, intercept: pagedReferrers });
});
after(async () => { await proxy.stop(); await server.stop(); });

async function pushReferrers(registry: string, count: number): Promise<{ subject: string; digests: string[]; types: string[] }> {
  const { client } = createTestClient();
  const repo = { registry, repository: 'paged/app' };
  const subject = buildImage([16]);
  await pushImage(client, repo, subject, 'v1');
  await client.pushBlob(repo, bytesBlobSource(OCI_EMPTY_DIGEST, encodeUtf8('{}')));
  const digests: string[] = [];
  const types: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const artifactType = i % 2 === 0 ? 'application/vnd.example.sig' : 'application/vnd.example.sbom';
    const bytes = encodeUtf8(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType,
      config: { mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 }, layers: [{ mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.manifest.byteLength },
      annotations: { n: String(i) },
    }));
    digests.push(await client.putManifest(repo, sha256Digest(bytes), bytes, OCI_MANIFEST));
    types.push(artifactType);
  }
  return { subject: subject.digest, digests, types };
}

test('every referrer on every page is listed, with the artifactType filter carried to later pages', async () => {
  const { subject, digests, types } = await pushReferrers(server.host, 5);
  const { client } = createTestClient();
  const direct = await client.listReferrers({ registry: server.host, repository: 'paged/app' }, subject);
  assert.deepEqual(new Set(direct.manifests.map((d) => d.digest)), new Set(digests));
  const before = proxy.log.length;
  const paged = await client.listReferrers({ registry: proxy.host, repository: 'paged/app' }, subject);
  assert.equal(paged.source, 'api');
  assert.deepEqual(paged.manifests.map((d) => d.digest), direct.manifests.map((d) => d.digest));
  assert.equal(proxy.log.slice(before).filter((l) => l.includes('/referrers/')).length, 3);
  const sigs = await client.listReferrers({ registry: proxy.host, repository: 'paged/app' }, subject, 'application/vnd.example.sig');
  assert.deepEqual(new Set(sigs.manifests.map((d) => d.digest)), new Set(digests.filter((_, i) => types[i] === 'application/vnd.example.sig')));
  assert.equal(sigs.manifests.length, 3);
});

test('a later page that fails is an error, not a shorter list', async () => {
  const { client } = createTestClient();
  const listed = await client.listReferrers({ registry: server.host, repository: 'paged/app' }, (await client.headManifest({ registry: server.host, repository: 'paged/app' }, 'v1')).digest);
  assert.ok(listed.manifests.length > PAGE);
  brokenPage = 2;
  try {
    await assert.rejects(client.listReferrers({ registry: proxy.host, repository: 'paged/app' }, (await client.headManifest({ registry: proxy.host, repository: 'paged/app' }, 'v1')).digest),
      (e: Error & { code?: string }) => typeof e.code === 'string' && e.code.startsWith('ERR_'));
  } finally {
    brokenPage = 0;
  }
});
