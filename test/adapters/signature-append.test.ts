// The `.sig` append's two defences against a concurrent signer, each provoked deterministically
// against a real registry (distribution): a write between our read and our PUT is seen by the
// check before the PUT; an overwrite after our PUT is seen by the one re-read and repaired.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { appendTaggedSignature, pushSignatureBlobs, readTaggedSignatures, type AppendDeps } from '../../src/adapters/signature-store/index.ts';
import { buildSignatureImage, SIMPLE_SIGNING_MEDIA_TYPE, signatureTag, type SignatureLayer } from '../../src/oci/index.ts';

let registry: Distribution;
before(async () => { registry = await startDistribution(); });
after(async () => { await registry.stop(); });

const layer = (name: string): SignatureLayer => ({ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload: new TextEncoder().encode(`{"signer":"${name}"}`), annotations: { 'dev.cosignproject.cosign/signature': name } });
const names = (layers: readonly SignatureLayer[]): string[] => layers.map((l) => l.annotations['dev.cosignproject.cosign/signature'] ?? '?').sort();

function deps(sleep: AppendDeps['sleep'] = async () => undefined): AppendDeps {
  let t = 0;
  return { sleep, jitter: () => 0.5, monotonicMs: () => (t += 1) };
}

async function setUp(repository: string) {
  const repo = { registry: registry.host, repository };
  const { client } = createTestClient();
  const image = buildImage([100]);
  await pushImage(client, repo, image, 'v1');
  await appendTaggedSignature(client, repo, image.digest, layer('first'), deps());
  return { repo, client, digest: image.digest, tagPath: `/manifests/${signatureTag(image.digest)}` };
}

test('a signer writing between our read and our PUT is seen by the check before the PUT: we merge again, nothing is lost', async () => {
  const { repo, client, digest, tagPath } = await setUp('between');
  let tagGets = 0;
  let ourPuts = 0;
  const { client: ours } = createTestClient({
    fetch: async (input, init) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      if (url.endsWith(tagPath) && method === 'GET' && ++tagGets === 2) {
        // our check before the PUT: another signer gets there first
        await appendTaggedSignature(client, repo, digest, layer('other'), deps());
      }
      if (url.endsWith(tagPath) && method === 'PUT') ourPuts += 1;
      return globalThis.fetch(input, init);
    },
  });
  const written = await appendTaggedSignature(ours, repo, digest, layer('ours'), deps());
  assert.equal(written.layerCount, 3);
  assert.equal(ourPuts, 1, 'the stale merge was never written');
  assert.deepEqual(names((await readTaggedSignatures(client, repo, digest)).layers), ['first', 'other', 'ours']);
});

test('an overwrite landing after our PUT is seen by the re-read and repaired', async () => {
  const { repo, client, digest } = await setUp('after');
  const stale = (await readTaggedSignatures(client, repo, digest)).layers;
  const waits: number[] = [];
  const written = await appendTaggedSignature(client, repo, digest, layer('ours'), deps(async (ms) => {
    waits.push(ms);
    if (waits.length > 1) return;
    // during our post-write wait, a signer that read before our PUT writes without our layer
    const image = buildSignatureImage([...stale, layer('late')]);
    await pushSignatureBlobs(client, repo, image);
    await client.putManifest(repo, signatureTag(digest), image.manifest, image.mediaType);
  }));
  assert.equal(written.alreadyPresent, false);
  assert.deepEqual(names((await readTaggedSignatures(client, repo, digest)).layers), ['first', 'late', 'ours']);
  assert.ok((waits[0] ?? 0) >= 20, `the post-write wait has a floor of 20 ms, got ${waits[0]}`);
});
