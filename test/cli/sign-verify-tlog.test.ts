// sigil sign --rekor-url logs each signature and stores cosign's bundle annotation; sigil verify
// checks it offline against the trusted log key. Registry and log: one `sigil server` on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';
import { readTaggedSignatures } from '../../src/adapters/signature-store/index.ts';
import { encodePem } from '../../src/core/index.ts';
import { makeLogKey } from '../tlog/support.ts';

const PASSWORD = 'tlog-test';
let server: SigilServerProcess;
let dir = '';
let logPub = '';
let otherPub = '';
const client = createTestClient().client;
const image = buildImage([300]);
const env = (extra: Record<string, string> = {}): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD, ...extra });
const ref = (repo: string): string => `${server.host}/${repo}:v1`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-tlog-'));
  server = await startSigilServer(join(dir, 'data'));
  await pushImage(client, { registry: server.host, repository: 'app' }, image, 'v1');
  await pushImage(client, { registry: server.host, repository: 'nolog' }, image, 'v1');
  const r = await runCliIn(['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  logPub = join(dir, 'log.pub');
  writeFileSync(logPub, await (await fetch(`${server.url}/api/v1/log/publicKey`)).text());
  otherPub = join(dir, 'other-log.pub');
  writeFileSync(otherPub, encodePem('PUBLIC KEY', makeLogKey().spkiDer));
});
after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('signing with the transparency log', () => {
  test('sign --rekor-url writes the bundle annotation as cosign does; verify checks it offline', async () => {
    const s = await runCli(['sign', '--key', join(dir, 'cosign.key'), '--rekor-url', server.url, ref('app'), '--output', 'json'], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /tlog entry created with index: \d+/);
    const signed = JSON.parse(s.stdout) as { signatures: { tlogEntry: { logIndex: number; uuid: string } }[] };
    const tlogEntry = signed.signatures[0]?.tlogEntry;
    assert.ok(tlogEntry);
    const { layers } = await readTaggedSignatures(client, { registry: server.host, repository: 'app' }, image.digest);
    const bundle = layers[0]?.annotations['dev.sigstore.cosign/bundle'] ?? '';
    assert.match(bundle, /^\{"SignedEntryTimestamp":"[A-Za-z0-9+/=]+","Payload":\{"body":"[A-Za-z0-9+/=]+","integratedTime":\d+,"logIndex":\d+,"logID":"[0-9a-f]{64}"\}\}$/);
    const v = await runCli(['verify', '--key', join(dir, 'cosign.pub'), ref('app')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /Existence of the claims in the transparency log was verified offline/);
    const entry = await runCli(['log', 'get', '--rekor-url', server.url, '--log-index', String(tlogEntry.logIndex)], { env: env() });
    assert.equal(entry.code, 0, entry.stderr);
    assert.ok(entry.stdout.includes(tlogEntry.uuid));
  });

  test('verify --rekor-url without SIGSTORE_REKOR_PUBLIC_KEY trusts the served key, and says so', async () => {
    const v = await runCli(['verify', '--key', join(dir, 'cosign.pub'), '--rekor-url', server.url, ref('app')], { env: env() });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /note: trusting the public key served by/);
  });

  test('a bundle from a log other than the trusted one is rejected (exit 12)', async () => {
    const v = await runCli(['verify', '--key', join(dir, 'cosign.pub'), ref('app')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: otherPub }) });
    assert.equal(v.code, 12, v.stderr);
    assert.match(v.stderr, /ERR_TLOG_LOG_ID_MISMATCH/);
  });

  test('--tlog-upload=false logs nothing; verify then needs --insecure-ignore-tlog', async () => {
    const s = await runCli(['sign', '--key', join(dir, 'cosign.key'), '--rekor-url', server.url, '--tlog-upload=false', ref('nolog')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const { layers } = await readTaggedSignatures(client, { registry: server.host, repository: 'nolog' }, image.digest);
    assert.equal(layers[0]?.annotations['dev.sigstore.cosign/bundle'], undefined);
    const strict = await runCli(['verify', '--key', join(dir, 'cosign.pub'), ref('nolog')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) });
    assert.equal(strict.code, 12);
    const lax = await runCli(['verify', '--key', join(dir, 'cosign.pub'), '--insecure-ignore-tlog', ref('nolog')], { env: env() });
    assert.equal(lax.code, 0, lax.stderr);
  });

  test('sign with an unreachable log fails with ERR_NETWORK (exit 4) before pushing anything', async () => {
    const s = await runCli(['sign', '--key', join(dir, 'cosign.key'), '--rekor-url', 'http://127.0.0.1:1', ref('app')], { env: env() });
    assert.equal(s.code, 4, s.stderr);
    assert.match(s.stderr, /ERR_NETWORK/);
  });
});
