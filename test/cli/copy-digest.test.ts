// `sigil digest` and `sigil copy` against real distribution registries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OCI_INDEX, OCI_MANIFEST } from '../../src/oci/index.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, buildIndex, pushImage, pushIndex, type TestIndex } from '../support/images.ts';
import { runCli } from '../support/cli.ts';

let one: Distribution;
let two: Distribution;
let index: TestIndex;
const PLATFORMS = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }];

before(async () => {
  [one, two] = await Promise.all([startDistribution(), startDistribution()]);
  index = buildIndex(PLATFORMS);
  await pushIndex(createTestClient().client, { registry: one.host, repository: 'src/multi' }, index, 'v1');
});
after(async () => { await Promise.all([one?.stop(), two?.stop()]); });

async function assertSameIndex(registry: string, repository: string, identifier: string): Promise<void> {
  const { client } = createTestClient();
  const got = await client.getManifest({ registry, repository }, identifier);
  assert.deepEqual(got.bytes, index.manifest);
  assert.equal(got.digest, index.digest);
  for (const child of index.children) {
    const c = await client.getManifest({ registry, repository }, child.digest);
    assert.deepEqual(c.bytes, child.manifest);
    for (const b of child.blobs) assert.ok(await client.hasBlob({ registry, repository }, b.digest), b.digest);
  }
}

test('digest prints the manifest digest like crane digest', async () => {
  const r = await runCli(['digest', `${one.host}/src/multi:v1`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${index.digest}\n`);
  const json = await runCli(['digest', `${one.host}/src/multi:v1`, '--output', 'json']);
  assert.deepEqual(JSON.parse(json.stdout), { reference: `${one.host}/src/multi:v1`, digest: index.digest, mediaType: OCI_INDEX });
  const byDigest = await runCli(['digest', `${one.host}/src/multi@${index.digest}`]);
  assert.equal(byDigest.stdout, `${index.digest}\n`);
});

test('digest --platform prints the platform manifest digest', async () => {
  const r = await runCli(['digest', `${one.host}/src/multi:v1`, '--platform', 'linux/arm64']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${index.children[1]?.digest}\n`);
  const missing = await runCli(['digest', `${one.host}/src/multi:v1`, '--platform', 'windows/amd64']);
  assert.equal(missing.code, 11);
  assert.match(missing.stderr, /\(ERR_OCI_PLATFORM_NOT_FOUND\)\n$/);
});

test('copies a whole index within a registry, mounting blobs, digests preserved', async () => {
  const r = await runCli(['copy', `${one.host}/src/multi:v1`, `${one.host}/dst/mounted`, '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report, {
    source: `${one.host}/src/multi:v1`, destination: `${one.host}/dst/mounted:v1`, digest: index.digest, mediaType: OCI_INDEX,
    manifests: 3, blobs: { copied: 0, skipped: 0, mounted: 4 }, bytes: 0, carried: [],
  });
  await assertSameIndex(one.host, 'dst/mounted', 'v1');
});

test('copies a whole index between two registries byte for byte, then skips what is there', async () => {
  const r = await runCli(['copy', `${one.host}/src/multi:v1`, `${two.host}/mirror/multi:copied`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${two.host}/mirror/multi@${index.digest}\n`);
  await assertSameIndex(two.host, 'mirror/multi', 'copied');
  const again = await runCli(['copy', `${one.host}/src/multi@${index.digest}`, `${two.host}/mirror/multi:again`, '--output', 'json', '--concurrency', '1']);
  assert.equal(again.code, 0, again.stderr);
  const report = JSON.parse(again.stdout);
  assert.equal(report.digest, index.digest);
  assert.deepEqual(report.blobs, { copied: 0, skipped: 0, mounted: 0 });
  assert.equal(report.manifests, 1);
});

test('copy by digest to a bare repository pushes by digest', async () => {
  const r = await runCli(['copy', `${one.host}/src/multi@${index.digest}`, `${two.host}/bydigest/multi`, '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).destination, `${two.host}/bydigest/multi@${index.digest}`);
  await assertSameIndex(two.host, 'bydigest/multi', index.digest);
});

test('copy --platform copies just that platform\'s manifest', async () => {
  const child = index.children[1];
  assert.ok(child);
  const r = await runCli(['copy', `${one.host}/src/multi:v1`, `${two.host}/single/arm:v1`, '--platform', 'linux/arm64/v8', '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.digest, child.digest);
  assert.equal(report.mediaType, OCI_MANIFEST);
  assert.deepEqual(report.blobs, { copied: 2, skipped: 0, mounted: 0 });
  const { client } = createTestClient();
  const got = await client.getManifest({ registry: two.host, repository: 'single/arm' }, 'v1');
  assert.deepEqual(got.bytes, child.manifest);
  assert.equal(await client.hasManifest({ registry: two.host, repository: 'single/arm' }, index.children[0]?.digest ?? ''), false);
});

test('copies a single image, streaming big blobs with progress only on a tty', async () => {
  const image = buildImage([17 * 1024 * 1024, 100]);
  await pushImage(createTestClient().client, { registry: one.host, repository: 'src/big' }, image, 'v1');
  const quiet = await runCli(['copy', `${one.host}/src/big:v1`, `${two.host}/big/quiet`], { deps: { chunkSizeBytes: 1024 * 1024 } });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
  const tty = await runCli(['copy', `${one.host}/src/big:v1`, `${two.host}/big/tty`], { stderrIsTty: true, deps: { chunkSizeBytes: 4 * 1024 * 1024 } });
  assert.equal(tty.code, 0, tty.stderr);
  assert.match(tty.stderr, /\r\x1b\[2K[0-9a-f]{12} 16\.0\/17\.0 MiB 94%/);
  assert.ok(tty.stderr.endsWith('\r\x1b[2K'));
  assert.equal(tty.stdout, `${two.host}/big/tty@${image.digest}\n`);
});

test('usage and lookup failures exit with the catalogue status', async () => {
  const cases = [
    { argv: ['digest', 'Upper/Case'], code: 2, error: 'ERR_OCI_REFERENCE_INVALID' },
    { argv: ['digest', `${one.host}/app:bad+tag`], code: 2, error: 'ERR_OCI_REFERENCE_INVALID' },
    { argv: ['copy', `${one.host}/src/multi:v1`, 'https://x/y'], code: 2, error: 'ERR_OCI_REFERENCE_INVALID' },
    { argv: ['copy', `${one.host}/src/multi:v1`, `${two.host}/x`, '--concurrency', '0'], code: 2, error: 'ERR_USAGE' },
    { argv: ['digest', `${one.host}/src/multi:v1`, '--platform', 'linux'], code: 2, error: 'ERR_INPUT_INVALID' },
    { argv: ['digest', `${one.host}/src/multi:nope`], code: 11, error: 'ERR_OCI_MANIFEST_UNKNOWN' },
    { argv: ['digest', `${one.host}/no/such/repo:v1`], code: 11, error: 'ERR_OCI_MANIFEST_UNKNOWN' },
    { argv: ['copy', `${one.host}/no/such/repo:v1`, `${two.host}/x`], code: 11, error: 'ERR_OCI_MANIFEST_UNKNOWN' },
    { argv: ['copy', `${one.host}/src/multi:nope`, `${two.host}/x`], code: 11, error: 'ERR_OCI_MANIFEST_UNKNOWN' },
    { argv: ['digest'], code: 2, error: 'ERR_USAGE' },
  ];
  for (const c of cases) {
    const r = await runCli(c.argv);
    assert.equal(r.code, c.code, `${c.argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^error: .*\\(${c.error}\\)\\n$`), c.argv.join(' '));
    assert.equal(r.stdout, '');
  }
});

test('copy --platform from an index digest to a bare repository pushes by the platform digest', async () => {
  const child = index.children[0];
  assert.ok(child);
  const r = await runCli(['copy', `${one.host}/src/multi@${index.digest}`, `${two.host}/platform/bydigest`, '--platform', 'linux/amd64', '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.destination, `${two.host}/platform/bydigest@${child.digest}`);
  assert.equal(report.digest, child.digest);
  const pinned = await runCli(['copy', `${one.host}/src/multi:v1`, `${two.host}/platform/pinned@${index.digest}`, '--platform', 'linux/amd64']);
  assert.equal(pinned.code, 2, pinned.stderr);
  assert.match(pinned.stderr, /\(ERR_INPUT_INVALID\)\n$/);
});
