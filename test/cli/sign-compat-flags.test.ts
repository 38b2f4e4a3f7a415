// cosign's signing flags on sigil sign / attest / sign-blob: --sign-container-identity,
// --payload, --record-creation-timestamp, -r, --predicate -, --b64=false and
// --oidc-disable-ambient-providers, against a real registry (distribution 2.8) and real keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';
import { runSigil } from '../support/peers.ts';
import { run } from '../../src/cli/main.ts';

const PASSWORD = 'sign-flags';
let registry: Distribution;
let dir = '';
let key = '';
const env = (): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD });
const images = { identity: buildImage([101]), payload: buildImage([102]), created: buildImage([103]), attest: buildImage([104]) };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-flags-'));
  registry = await startDistribution();
  const client = createTestClient().client;
  for (const [name, image] of Object.entries(images)) await pushImage(client, { registry: registry.host, repository: name }, image, 'v1');
  key = join(dir, 'k');
  const g = await runCliIn(['generate-key-pair', '--output-key-prefix', key], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
  assert.equal(g.code, 0, g.stderr);
});
after(async () => { await registry.stop(); rmSync(dir, { recursive: true, force: true }); });

async function blob(repo: string, digest: string): Promise<Buffer> {
  const response = await fetch(`http://${registry.host}/v2/${repo}/blobs/${digest}`);
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

/** The config and layer payloads of the image's `.sig` (or `.att`) manifest. */
async function signatureImage(repo: string, digest: string, suffix = 'sig'): Promise<{ config: { created: string; history: { created: string }[] }; payloads: Buffer[] }> {
  const tag = `${digest.replace(':', '-')}.${suffix}`;
  const response = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  assert.equal(response.status, 200, tag);
  const manifest = await response.json() as { config: { digest: string }; layers: { digest: string }[] };
  const config = JSON.parse((await blob(repo, manifest.config.digest)).toString('utf8')) as { created: string; history: { created: string }[] };
  return { config, payloads: await Promise.all(manifest.layers.map((l) => blob(repo, l.digest))) };
}

test('--sign-container-identity is the docker-reference signed; without --record-creation-timestamp created is Go\'s zero time', async () => {
  const ref = `${registry.host}/identity:v1`;
  const r = await runCli(['sign', '--key', `${key}.key`, '--tlog-upload=false', '--sign-container-identity', 'mirror.example/team/app', ref], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const { config, payloads } = await signatureImage('identity', images.identity.digest);
  const payload = JSON.parse(payloads[0]?.toString('utf8') ?? '') as { critical: { identity: { 'docker-reference': string }; image: { 'docker-manifest-digest': string } } };
  assert.equal(payload.critical.identity['docker-reference'], 'mirror.example/team/app');
  assert.equal(payload.critical.image['docker-manifest-digest'], images.identity.digest);
  assert.equal(config.created, '0001-01-01T00:00:00Z');
});

test('--payload signs the file\'s bytes as they are; -r is --recursive', async () => {
  const file = join(dir, 'payload.json');
  const bytes = `{"critical":{"identity":{"docker-reference":"x"},"image":{"docker-manifest-digest":"${images.payload.digest}"},"type":"cosign container image signature"},"optional":{"by":"hand"}}`;
  writeFileSync(file, bytes);
  const ref = `${registry.host}/payload@${images.payload.digest}`;
  const r = await runCli(['sign', '--key', `${key}.key`, '--tlog-upload=false', '-r', '--payload', file, ref], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const { payloads } = await signatureImage('payload', images.payload.digest);
  assert.equal(payloads[0]?.toString('utf8'), bytes);
  const v = await runCli(['verify', '--key', `${key}.pub`, '--insecure-ignore-tlog', '-a', 'by=hand', ref], { env: env() });
  assert.equal(v.code, 0, v.stderr);
  const missing = await runCli(['sign', '--key', `${key}.key`, '--payload', join(dir, 'none.json'), ref], { env: env() });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /\(ERR_FILE_NOT_FOUND\)\n$/);
  const both = await runCli(['sign', '--key', `${key}.key`, '--payload', file, '--sign-container-identity', 'x', ref], { env: env() });
  assert.equal(both.code, 2, both.stderr);
});

test('--record-creation-timestamp sets the signature and attestation configs\' created time to now', async () => {
  const before = Date.now();
  const ref = `${registry.host}/created:v1`;
  const r = await runCli(['sign', '--key', `${key}.key`, '--tlog-upload=false', '--record-creation-timestamp', ref], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const { config } = await signatureImage('created', images.created.digest);
  assert.match(config.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
  const at = Date.parse(config.created);
  assert.ok(at >= before - 1000 && at <= Date.now() + 1000, config.created);
  assert.equal(config.history[0]?.created, '0001-01-01T00:00:00Z');
});

test('attest --predicate - reads standard input; --record-creation-timestamp applies to the .att image', async () => {
  const ref = `${registry.host}/attest@${images.attest.digest}`;
  const r = await runSigil(['attest', '--key', `${key}.key`, '--tlog-upload=false', '--type', 'custom', '--predicate', '-', '--record-creation-timestamp', ref], {
    env: env(), input: '{"from":"stdin"}',
  });
  assert.equal(r.code, 0, r.stderr);
  const { config, payloads } = await signatureImage('attest', images.attest.digest, 'att');
  assert.notEqual(config.created, '0001-01-01T00:00:00Z');
  const envelope = JSON.parse(payloads[0]?.toString('utf8') ?? '') as { payload: string };
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { data?: unknown } };
  assert.match(JSON.stringify(statement.predicate), /stdin/);
});

test('sign-blob --b64=false writes the raw signature (file and stdout, no newline), which verifies over the file', async () => {
  const file = join(dir, 'raw.txt');
  writeFileSync(file, 'raw signature please\n');
  const sigFile = join(dir, 'raw.sig');
  const r = await runCli(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', '--b64=false', '--output-signature', sigFile, file], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const raw = readFileSync(sigFile);
  const publicKey = createPublicKey(readFileSync(`${key}.pub`));
  assert.ok(verifySignature('sha256', readFileSync(file), publicKey, raw), 'the file holds the DER signature itself');
  const chunks: Buffer[] = [];
  const code = await run(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', '--b64', 'false', file], {
    stdout: { write: (s: string | Uint8Array) => { chunks.push(Buffer.from(s)); } }, stderr: { write: () => undefined }, env: env(), cwd: dir,
  });
  assert.equal(code, 0);
  const out = Buffer.concat(chunks);
  assert.ok(verifySignature('sha256', readFileSync(file), publicKey, out), 'stdout is the raw signature with nothing after it');
  const b64 = await runCli(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', file], { env: env() });
  assert.ok(verifySignature('sha256', readFileSync(file), publicKey, Buffer.from(b64.stdout.trim(), 'base64')));
  assert.ok(b64.stdout.endsWith('\n'));
});

test('--oidc-disable-ambient-providers ignores SIGSTORE_ID_TOKEN, as cosign does', async () => {
  const file = join(dir, 'ambient.txt');
  writeFileSync(file, 'ambient\n');
  const e = isolatedEnv({ SIGSTORE_ID_TOKEN: 'not.a.jwt' });
  const used = await runCli(['sign-blob', '--fulcio-url', 'http://127.0.0.1:9', '--rekor-url', 'http://127.0.0.1:9', file], { env: e });
  assert.notEqual(used.code, 0);
  assert.doesNotMatch(used.stderr, /ERR_KEYLESS_TOKEN_MISSING/);
  const disabled = await runCli(['sign-blob', '--oidc-disable-ambient-providers', '--fulcio-url', 'http://127.0.0.1:9', '--rekor-url', 'http://127.0.0.1:9', file], { env: e });
  assert.equal(disabled.code, 5, disabled.stderr);
  assert.match(disabled.stderr, /\(ERR_KEYLESS_TOKEN_MISSING\)\n$/);
});

test('verify-blob takes the signature as cosign does: a raw signature file, the base64 text itself, and the blob on stdin (-)', async () => {
  const file = join(dir, 'forms.txt');
  writeFileSync(file, 'signature forms\n');
  const rawFile = join(dir, 'forms.raw');
  const b64File = join(dir, 'forms.b64');
  assert.equal((await runCli(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', '--b64=false', '--output-signature', rawFile, file], { env: env() })).code, 0);
  assert.equal((await runCli(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', '--output-signature', b64File, file], { env: env() })).code, 0);
  const verify = (signature: string, blobArg = file, input?: string) => runSigil(['verify-blob', '--key', `${key}.pub`, '--signature', signature, '--insecure-ignore-tlog', blobArg], { env: env(), ...(input === undefined ? {} : { input }) });
  const raw = await verify(rawFile);
  assert.equal(raw.code, 0, raw.stderr);
  const literal = await verify(readFileSync(b64File, 'utf8'));
  assert.equal(literal.code, 0, literal.stderr);
  const stdin = await verify(b64File, '-', 'signature forms\n');
  assert.equal(stdin.code, 0, stdin.stderr);
  const tampered = await verify(b64File, '-', 'other bytes\n');
  assert.equal(tampered.code, 12, tampered.stderr);
});

test('sign-blob - signs standard input', async () => {
  const r = await runSigil(['sign-blob', '--key', `${key}.key`, '--tlog-upload=false', '-'], { env: env(), input: 'from a pipe\n' });
  assert.equal(r.code, 0, r.stderr);
  const publicKey = createPublicKey(readFileSync(`${key}.pub`));
  assert.ok(verifySignature('sha256', Buffer.from('from a pipe\n'), publicKey, Buffer.from(r.stdout.trim(), 'base64')));
});
