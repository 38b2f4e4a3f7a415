// `sigil triangulate`, `sigil tree`, `sigil download signature` and `sigil clean` against a real
// distribution 2.8 (no referrers API, so referrers live in the tag schema).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn, scriptedTerminal } from '../support/cli-capture.ts';
import { COSIGN_SIG_ARTIFACT_TYPE, referrersTag, signatureTag } from '../../src/oci/index.ts';

const PASSWORD = 'attachments-test';
let dist: Distribution;
let dir = '';
let key = '';
const client = createTestClient().client;
const image = buildImage([128]);
const sbom = buildImage([32]);
const unsigned = buildImage([90]);
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });
const hex = image.digest.slice('sha256:'.length);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-attachments-'));
  dist = await startDistribution();
  const r = await runCliIn(['generate-key-pair', '--output-key-prefix', join(dir, 'k')], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  key = join(dir, 'k');
  const app = { registry: dist.host, repository: 'app' };
  await pushImage(client, app, image, 'v1');
  await pushImage(client, app, sbom, signatureTag(image.digest, 'sbom'));
  await pushImage(client, { registry: dist.host, repository: 'unsigned' }, unsigned, 'v1');
  for (const extra of [[], ['--registry-referrers-mode', 'oci-1-1']]) {
    const s = await runCli(['sign', '--key', `${key}.key`, ...extra, `${dist.host}/app:v1`], { env: env() });
    assert.equal(s.code, 0, s.stderr);
  }
});
after(async () => { await dist?.stop(); rmSync(dir, { recursive: true, force: true }); });

test('triangulate prints the full reference of each tag', async () => {
  const cases: [string[], string][] = [
    [[], `${dist.host}/app:sha256-${hex}.sig`],
    [['--type', 'attestation'], `${dist.host}/app:sha256-${hex}.att`],
    [['--type', 'sbom'], `${dist.host}/app:sha256-${hex}.sbom`],
    [['--type', 'digest'], `${dist.host}/app@${image.digest}`],
  ];
  for (const [flags, want] of cases) {
    const r = await runCli(['triangulate', ...flags, `${dist.host}/app:v1`], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${want}\n`);
  }
  const byDigest = await runCli(['triangulate', `${dist.host}/app@${image.digest}`], { env: env() });
  assert.equal(byDigest.stdout, `${dist.host}/app:sha256-${hex}.sig\n`);
  const bad = await runCli(['triangulate', '--type', 'blob', `${dist.host}/app:v1`], { env: env() });
  assert.equal(bad.code, 2);
  const missing = await runCli(['triangulate', `${dist.host}/app:nope`], { env: env() });
  assert.equal(missing.code, 11);
});

test('tree shows the tags with their layers and the referrer, in text and json', async () => {
  const text = await runCli(['tree', `${dist.host}/app:v1`], { env: env() });
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.equal(lines[0], `📦 Supply Chain Security Related artifacts for an image: ${dist.host}/app:v1`);
  assert.equal(lines[1], `└── 🔐 Signatures for an image tag: ${dist.host}/app:sha256-${hex}.sig`);
  assert.match(lines[2] ?? '', /^ {3}└── 🍒 sha256:[0-9a-f]{64}$/);
  assert.equal(lines[3], `└── 📦 SBOMs for an image tag: ${dist.host}/app:sha256-${hex}.sbom`);
  assert.equal(lines[4], `   └── 🍒 ${sbom.blobs.find((b) => sbom.manifest.length > 0 && b.mediaType !== 'application/vnd.oci.image.config.v1+json')?.digest}`);
  assert.match(lines[5] ?? '', new RegExp(`^└── 🔗 ${COSIGN_SIG_ARTIFACT_TYPE.replace(/[.+]/g, '\\$&')} artifacts via OCI referrer: ${dist.host}/app@sha256:`));
  const json = await runCli(['tree', `${dist.host}/app:v1`, '--output', 'json'], { env: env() });
  const tree = JSON.parse(json.stdout) as { digest: string; tags: { type: string }[]; referrers: { artifactType: string; layers: string[] }[] };
  assert.equal(tree.digest, image.digest);
  assert.deepEqual(tree.tags.map((t) => t.type), ['signature', 'sbom']);
  assert.equal(tree.referrers[0]?.artifactType, COSIGN_SIG_ARTIFACT_TYPE);
  const none = await runCli(['tree', `${dist.host}/unsigned:v1`], { env: env() });
  assert.equal(none.code, 0);
  assert.equal(none.stdout, `📦 Supply Chain Security Related artifacts for an image: ${dist.host}/unsigned:v1\nNo Supply Chain Security Related Artifacts artifacts found for image ${dist.host}/unsigned:v1\n, start creating one with simply running$ sigil sign <img>\n`);
});

test('download signature prints one cosign SignedPayload line per signature', async () => {
  const r = await runCli(['download', 'signature', `${dist.host}/app:v1`], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  for (const line of lines) {
    assert.deepEqual(Object.keys(line), ['Base64Signature', 'Payload', 'Cert', 'Chain', 'Bundle', 'RFC3161Timestamp']);
    assert.match(String(line['Base64Signature']), /^[A-Za-z0-9+/]+=*$/);
    const payload = JSON.parse(Buffer.from(String(line['Payload']), 'base64').toString()) as { critical: { image: Record<string, string> } };
    assert.equal(payload.critical.image['docker-manifest-digest'], image.digest);
    assert.equal(line['Cert'], null);
    assert.equal(line['Bundle'], null);
  }
  const none = await runCli(['download', 'signature', `${dist.host}/unsigned:v1`], { env: env() });
  assert.equal(none.code, 10);
  assert.match(none.stderr, /\(ERR_VERIFY_NO_SIGNATURES\)/);
});

test('clean refuses without -f off a terminal, keeps all on "n", then deletes by digest with -f', async () => {
  const refused = await runCli(['clean', `${dist.host}/app:v1`], { env: env() });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /\(ERR_USAGE\)/);
  const terminal = scriptedTerminal(['n']);
  const declined = await runCliIn(['clean', `${dist.host}/app:v1`], { env: env(), terminal });
  assert.equal(declined.code, 0, declined.stderr);
  assert.match(terminal.prompts[0] ?? '', /this will remove all signatures, SBOMs and attestations from the image/);
  const repo = { registry: dist.host, repository: 'app' };
  assert.ok(await client.hasManifest(repo, signatureTag(image.digest)));
  const sig = await runCli(['clean', '--type', 'signature', '-f', `${dist.host}/app:v1`], { env: env() });
  assert.equal(sig.code, 0, sig.stderr);
  assert.equal(sig.stderr, `Removed ${dist.host}/app:sha256-${hex}.sig from ${dist.host}/app:v1\n`);
  assert.equal(await client.hasManifest(repo, signatureTag(image.digest)), false);
  assert.ok(await client.hasManifest(repo, signatureTag(image.digest, 'sbom')));
  const all = await runCli(['clean', '-f', `${dist.host}/app:v1`], { env: env() });
  assert.equal(all.code, 0, all.stderr);
  assert.equal(await client.hasManifest(repo, signatureTag(image.digest, 'sbom')), false);
  assert.ok(await client.hasManifest(repo, referrersTag(image.digest)), 'clean leaves referrers');
  assert.ok(await client.hasManifest(repo, 'v1'));
  const missing = await runCli(['clean', '-f', `${dist.host}/nothing:v1`], { env: env() });
  assert.equal(missing.code, 11);
});
