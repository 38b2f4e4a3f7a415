// sigil attest and sigil verify-attestation with a key against a real registry (distribution 2.8):
// statements, type filtering, --replace, --recursive, --no-upload, concurrent attesters, and bad
// input (missing or malformed predicates, bad --type, missing images, garbage .att layers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, buildIndex, pushImage, pushIndex } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { decodeBase64, decodeUtf8, encodeUtf8 } from '../../src/core/index.ts';
import { DSSE_ENVELOPE_MEDIA_TYPE, buildSignatureImage, signatureTag } from '../../src/oci/index.ts';
import { bytesBlobSource } from '../../src/adapters/registry-client/index.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';

const PASSWORD = 'attest-test';
let registry: Distribution;
let dir = '';
const client = createTestClient().client;
const images = { app: buildImage([512]), bare: buildImage([600]), bad: buildImage([640]), replace: buildImage([660]), busy: buildImage([680]), garbage: buildImage([700]) };
const index = buildIndex([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });
const ref = (repo: string): string => `${registry.host}/${repo}:v1`;
const repoOf = (name: string) => ({ registry: registry.host, repository: name });
const at = (name: string): string => join(dir, name);
const attLayers = async (repo: string, digest: string) => (await readTaggedSignatures(client, repoOf(repo), digest, 'att')).layers;
const statementOf = (payload: Uint8Array): Record<string, unknown> =>
  JSON.parse(decodeUtf8(decodeBase64((JSON.parse(decodeUtf8(payload)) as { payload: string }).payload))) as Record<string, unknown>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-attest-'));
  registry = await startDistribution();
  for (const [name, image] of Object.entries(images)) await pushImage(client, repoOf(name), image, 'v1');
  await pushIndex(client, repoOf('multi'), index, 'v1');
  for (const k of ['a', 'b']) assert.equal((await runCli(['generate-key-pair', '--output-key-prefix', at(k)], { env: env() })).code, 0);
  writeFileSync(at('slsa.json'), JSON.stringify({ builder: { id: 'https://ci.example/builder' }, buildType: 'https://example.com/build' }));
  writeFileSync(at('notes.txt'), 'plain text, not json\n');
  writeFileSync(at('sbom.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'app' }));
});
after(async () => { await registry.stop(); rmSync(dir, { recursive: true, force: true }); });

const attest = (repo: string, ...extra: string[]) => runCli(['attest', '--key', at('a.key'), '--tlog-upload=false', ...extra, ref(repo)], { env: env() });
const verifyAtt = (repo: string, ...extra: string[]) => runCli(['verify-attestation', '--key', at('a.pub'), '--insecure-ignore-tlog', ...extra, ref(repo)], { env: env() });

describe('attest and verify-attestation with a key', () => {
  test('an attestation is stored as cosign does and verifies, with cosign\'s output', async () => {
    const a = await attest('app', '--predicate', at('slsa.json'), '--type', 'slsaprovenance', '--output', 'json');
    assert.equal(a.code, 0, a.stderr);
    const out = JSON.parse(a.stdout) as { attestations: { digest: string; location: string; predicateType: string }[] };
    assert.equal(out.attestations[0]?.location, signatureTag(images.app.digest, 'att'));
    const layers = await attLayers('app', images.app.digest);
    assert.equal(layers.length, 1);
    assert.equal(layers[0]?.mediaType, DSSE_ENVELOPE_MEDIA_TYPE);
    assert.deepEqual(layers[0]?.annotations, { 'dev.cosignproject.cosign/signature': '', predicateType: 'https://slsa.dev/provenance/v0.2' });
    const statement = statementOf(layers[0]!.payload);
    assert.equal(statement['_type'], 'https://in-toto.io/Statement/v0.1');
    assert.deepEqual(statement['subject'], [{ name: `${registry.host}/app`, digest: { sha256: images.app.digest.slice(7) } }]);
    const v = await verifyAtt('app', '--type', 'slsaprovenance');
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /Verification for .*\/app:v1 --\nThe following checks were performed on each of these signatures:\n {2}- The cosign claims were validated\n {2}- The signatures were verified against the specified public key\n/);
    const lines = v.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(lines[0], decodeUtf8(layers[0]!.payload));
    const json = await verifyAtt('app', '--type', 'https://slsa.dev/provenance/v0.2', '--output', 'json');
    assert.equal((JSON.parse(json.stdout) as { verified: { predicateType: string }[] }).verified[0]?.predicateType, 'https://slsa.dev/provenance/v0.2');
  });

  test('another --type, a wrong key, and the log required: each refused with exit 12 and its code', async () => {
    const type = await verifyAtt('app');
    assert.equal(type.code, 12);
    assert.match(type.stderr, /none of the attestations matched the predicate type: custom, found: https:\/\/slsa\.dev\/provenance\/v0\.2 \(ERR_VERIFY_PREDICATE_TYPE\)/);
    const key = await runCli(['verify-attestation', '--key', at('b.pub'), '--insecure-ignore-tlog', '--type', 'slsaprovenance', ref('app')], { env: env() });
    assert.equal(key.code, 12);
    assert.match(key.stderr, /no matching attestations: .*ERR_CRYPTO_SIGNATURE_INVALID/);
    const tlog = await runCli(['verify-attestation', '--key', at('a.pub'), '--type', 'slsaprovenance', ref('app')], { env: env() });
    assert.equal(tlog.code, 12);
    assert.match(tlog.stderr, /ERR_VERIFY_TLOG_MISSING/);
  });

  test('no attestations is exit 10, a missing image exit 11 (for both commands, nothing written)', async () => {
    const none = await verifyAtt('bare');
    assert.equal(none.code, 10);
    assert.match(none.stderr, /^error: no attestations found \(ERR_VERIFY_NO_ATTESTATIONS\)/m);
    assert.equal((await verifyAtt('nothing-here')).code, 11);
    assert.equal((await attest('nothing-here', '--predicate', at('slsa.json'))).code, 11);
  });

  test('--replace drops the attestations of the same type only; plain attest appends', async () => {
    const d = images.replace.digest;
    assert.equal((await attest('replace', '--predicate', at('slsa.json'), '--type', 'slsaprovenance')).code, 0);
    assert.equal((await attest('replace', '--predicate', at('slsa.json'), '--type', 'slsaprovenance')).code, 0);
    assert.equal((await attest('replace', '--predicate', at('sbom.json'), '--type', 'spdxjson')).code, 0);
    assert.equal((await attLayers('replace', d)).length, 3);
    const r = await attest('replace', '--predicate', at('slsa.json'), '--type', 'slsaprovenance', '--replace');
    assert.equal(r.code, 0, r.stderr);
    const types = (await attLayers('replace', d)).map((l) => l.annotations['predicateType']);
    assert.deepEqual(types.sort(), ['https://slsa.dev/provenance/v0.2', 'https://spdx.dev/Document']);
  });

  test('concurrent attesters all keep their attestation', async () => {
    for (const i of [0, 1, 2]) writeFileSync(at(`busy-${i}.txt`), `note ${i}\n`);
    // real sleeps: the append loop's re-reads must wait to see (and repair) another writer's overwrite
    const realSleep = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
    const results = await Promise.all([0, 1, 2].map((i) => runCli(['attest', '--key', at('a.key'), '--tlog-upload=false', '--predicate', at(`busy-${i}.txt`), ref('busy')], { env: env(), deps: realSleep })));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal((await attLayers('busy', images.busy.digest)).length, 3);
    const v = await verifyAtt('busy');
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout.trim().split('\n').length, 3);
  });

  test('--recursive attests the index and every platform manifest', async () => {
    const r = await attest('multi', '--predicate', at('notes.txt'), '--recursive');
    assert.equal(r.code, 0, r.stderr);
    for (const digest of [index.digest, ...index.children.map((c) => c.digest)]) assert.equal((await attLayers('multi', digest)).length, 1);
  });

  test('--no-upload and --upload=false write nothing', async () => {
    for (const flag of ['--no-upload', '--upload=false']) {
      const r = await attest('bad', '--predicate', at('slsa.json'), '--type', 'slsaprovenance', flag, '--output', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { attestations: { uploaded: boolean }[] }).attestations[0]?.uploaded, false);
    }
    assert.equal((await attLayers('bad', images.bad.digest)).length, 0);
  });
});

describe('bad input', () => {
  const cases: { name: string; args: string[]; exit: number; code: string }[] = [
    { name: 'a missing predicate file', args: ['--predicate', 'no-such-file.json'], exit: 2, code: 'ERR_FILE_NOT_FOUND' },
    { name: 'a predicate that is not JSON for spdxjson', args: ['--type', 'spdxjson'], exit: 2, code: 'ERR_ATTEST_PREDICATE_INVALID' },
    { name: 'a predicate that is not JSON for a URI type', args: ['--type', 'https://example.com/t'], exit: 2, code: 'ERR_ATTEST_PREDICATE_INVALID' },
    { name: 'a provenance predicate missing builder', args: ['--predicate', 'sbom.json', '--type', 'slsaprovenance'], exit: 2, code: 'ERR_ATTEST_PREDICATE_INVALID' },
    { name: 'an empty --type', args: ['--type', ''], exit: 2, code: 'ERR_ATTEST_PREDICATE_TYPE_INVALID' },
    { name: 'a --type that is neither a name nor a URI', args: ['--type', 'not a uri'], exit: 2, code: 'ERR_ATTEST_PREDICATE_TYPE_INVALID' },
    { name: 'an unknown --rekor-entry-type', args: ['--rekor-entry-type', 'hashedrekord'], exit: 2, code: 'ERR_USAGE' },
    { name: '--new-bundle-format without a log', args: ['--new-bundle-format'], exit: 2, code: 'ERR_USAGE' },
    { name: '--new-bundle-format with --replace', args: ['--new-bundle-format', '--replace'], exit: 2, code: 'ERR_USAGE' },
  ];
  for (const c of cases) {
    test(`${c.name}: exit ${c.exit} (${c.code}), nothing written`, async () => {
      const args = c.args.includes('--predicate') ? c.args.map((a) => (a.endsWith('.json') && a !== 'no-such-file.json' ? at(a) : a)) : ['--predicate', at('notes.txt'), ...c.args];
      const r = await attest('bad', ...args);
      assert.equal(r.code, c.exit, r.stderr);
      assert.match(r.stderr, new RegExp(`\\(${c.code}\\)\\n$`));
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
      assert.equal((await attLayers('bad', images.bad.digest)).length, 0);
    });
  }

  test('an unknown URI --type is allowed', async () => {
    const r = await runCli(['attest', '--key', at('a.key'), '--tlog-upload=false', '--no-upload', '--predicate', at('sbom.json'), '--type', 'https://example.com/custom/v9', ref('bad')], { env: env() });
    assert.equal(r.code, 0, r.stderr);
  });

  test('verify-attestation: --policy and a bad --type are usage errors', async () => {
    writeFileSync(at('policy.cue'), 'x: 1\n');
    assert.equal((await verifyAtt('app', '--policy', at('policy.cue'))).code, 2);
    const bad = await verifyAtt('app', '--type', '');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ERR_ATTEST_PREDICATE_TYPE_INVALID/);
  });

  test('garbage .att layers are each refused with a reason; a good layer beside them still verifies', async () => {
    const repo = repoOf('garbage');
    const d = images.garbage.digest;
    assert.equal((await attest('garbage', '--predicate', at('notes.txt'))).code, 0);
    const good = (await attLayers('garbage', d))[0]!;
    const junk = [
      { mediaType: DSSE_ENVELOPE_MEDIA_TYPE, payload: encodeUtf8('not json'), annotations: { 'dev.cosignproject.cosign/signature': '' } },
      { mediaType: DSSE_ENVELOPE_MEDIA_TYPE, payload: encodeUtf8('{"payloadType":"x","payload":"%%%","signatures":[]}'), annotations: {} },
    ];
    const push = async (layers: typeof junk): Promise<void> => {
      const image = buildSignatureImage(layers);
      for (const [digest, bytes] of [[image.configDigest, image.config] as const, ...image.blobs]) await client.pushBlob(repo, bytesBlobSource(digest, bytes));
      await client.putManifest(repo, signatureTag(d, 'att'), image.manifest, image.mediaType);
    };
    await push(junk);
    const bad = await verifyAtt('garbage');
    assert.equal(bad.code, 12);
    assert.equal(bad.stderr.match(/ERR_VERIFY_ATTESTATION_INVALID/g)?.length, 2);
    await push([...junk, good]);
    const ok = await verifyAtt('garbage');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim().split('\n').length, 1);
  });
});
