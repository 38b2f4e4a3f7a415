// `sigil scan repo --verify --trusted-root` over keyless Sigstore bundle referrers (cosign's new
// bundle format) in sigil's registry, verified on the scanner's worker pool: verified for the
// image's own bundles, failed for a bundle signed for another image or under another root.
// (test/scan/repo-bundle-pool.test.ts checks that pooled rows equal the scanner thread's.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { makeTempDir } from '../support/temp.ts';
import { runCli } from '../support/cli.ts';
import { createKeylessAuthority } from '../support/keyless-authority.ts';
import { signImageBundle } from '../support/keyless-signatures.ts';
import { bytesBlobSource } from '../../src/adapters/registry-client/index.ts';
import { encodeUtf8, sha256Digest } from '../../src/core/index.ts';
import { OCI_MANIFEST } from '../../src/oci/index.ts';
import type { JsonRepoDocument } from '../../src/scan/index.ts';

const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const identity = { san: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' };
let dir = '';
let sigil: SigilServerProcess;

before(async () => {
  dir = makeTempDir('scan-keyless-bundles');
  sigil = await startSigilServer(join(dir, 'data'));
});
after(async () => { await sigil.stop(); });

async function attachBundle(repository: string, image: TestImage, bundle: Uint8Array): Promise<void> {
  const { client } = createTestClient();
  const repo = { registry: sigil.host, repository };
  const config = encodeUtf8('{}');
  for (const b of [config, bundle]) await client.pushBlob(repo, bytesBlobSource(sha256Digest(b), b));
  const manifest = encodeUtf8(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE_TYPE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256Digest(config), size: config.byteLength },
    layers: [{ mediaType: BUNDLE_TYPE, digest: sha256Digest(bundle), size: bundle.byteLength }],
    subject: { mediaType: image.mediaType, digest: image.digest, size: image.manifest.byteLength },
  }));
  await client.putManifest(repo, sha256Digest(manifest), manifest, OCI_MANIFEST);
}

test('keyless bundle referrers are verified (on the worker pool) against the trusted root: their own image passes, another image and another root fail', async () => {
  const authority = await createKeylessAuthority();
  const rootFile = join(dir, 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(authority.trustedRoot));
  const { client } = createTestClient();
  const images = [buildImage([64]), buildImage([65]), buildImage([66])];
  for (const [i, image] of images.entries()) await pushImage(client, { registry: sigil.host, repository: 'keyless/app' }, image, `v${i}`);
  // v0 and v1 carry their own bundles; v2 carries a bundle made for v0
  await attachBundle('keyless/app', images[0]!, await signImageBundle(authority, identity, images[0]!.digest));
  await attachBundle('keyless/app', images[1]!, await signImageBundle(authority, identity, images[1]!.digest));
  await attachBundle('keyless/app', images[2]!, await signImageBundle(authority, identity, images[0]!.digest));
  const r = await runCli(['scan', 'repo', `${sigil.host}/keyless`, '--verify', '--trusted-root', rootFile, '--output', 'json']);
  const doc = JSON.parse(r.stdout) as JsonRepoDocument;
  const rows = doc.registry.signatures.map((s) => [s.path, s.kind, s.status]).sort();
  assert.deepEqual(rows, [
    ['keyless/app:v0', 'sigstore-bundle', 'verified'],
    ['keyless/app:v1', 'sigstore-bundle', 'verified'],
    ['keyless/app:v2', 'sigstore-bundle', 'failed'],
  ], r.stderr);
  const failed = doc.registry.signatures.find((s) => s.path === 'keyless/app:v2');
  assert.match(JSON.stringify(failed), /ERR_VERIFY_/);
  // another trust root verifies none of them
  const stranger = await createKeylessAuthority();
  const otherRoot = join(dir, 'other_root.json');
  writeFileSync(otherRoot, JSON.stringify(stranger.trustedRoot));
  const other = JSON.parse((await runCli(['scan', 'repo', `${sigil.host}/keyless`, '--verify', '--trusted-root', otherRoot, '--output', 'json'])).stdout) as JsonRepoDocument;
  assert.deepEqual(other.registry.signatures.map((s) => s.status), ['failed', 'failed', 'failed']);
});
