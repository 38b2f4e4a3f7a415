// Interop of signatures logged in sigil's transparency log with cosign: what `sigil sign --rekor-url`
// writes, `cosign verify` accepts offline with the log key; what `cosign sign --rekor-url` writes
// against sigil's log and registry, `sigil verify` accepts. One `sigil server` is registry and log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runProgram, runSigil, PROJECT_ROOT, type RunResult, expectSuccess } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { encodePem } from '../../src/core/index.ts';
import { makeLogKey } from '../tlog/support.ts';

const PASSWORD = 'tlog-interop';
let dir = '';
let sigil: SigilServerProcess;
let logPub = '';
let otherPub = '';
const env = (logKey: string): Record<string, string> => ({ COSIGN_PASSWORD: PASSWORD, SIGSTORE_REKOR_PUBLIC_KEY: logKey, TUF_ROOT: join(dir, 'tuf'), HOME: dir });

const ok = expectSuccess;

async function pushImage(repo: string, text: string): Promise<string> {
  const layout = join(dir, `layout-${repo}`);
  const made = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), '--text', text, layout]);
  assert.equal(made.code, 0, made.stderr);
  await ok(runPeer('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${sigil.host}/${repo}:v1`]), 'skopeo push');
  return `${sigil.host}/${repo}:v1`;
}

const cosignVerify = (ref: string, pub: string, logKey: string): Promise<RunResult> =>
  runPeer('cosign', ['verify', '--key', pub, '--rekor-url', sigil.url, '--allow-insecure-registry', '--allow-http-registry', ref], { env: env(logKey) });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-tlog-interop-'));
  mkdirSync(join(dir, 'tuf'));
  sigil = await startSigilServer(join(dir, 'data'));
  logPub = join(dir, 'log.pub');
  writeFileSync(logPub, await (await fetch(`${sigil.url}/api/v1/log/publicKey`)).text());
  otherPub = join(dir, 'other-log.pub');
  writeFileSync(otherPub, encodePem('PUBLIC KEY', makeLogKey().spkiDer));
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', join(dir, 'sigil')], { env: env(logPub) }), 'sigil keys');
  await ok(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, 'cosign')], { env: env(logPub), cwd: dir }), 'cosign keys');
});
after(async () => {
  assert.equal(await sigil.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

describe('signatures logged in sigil\'s transparency log', () => {
  test('sigil signs with --rekor-url; cosign verify accepts with the log key and refuses another log\'s key', async () => {
    const ref = await pushImage('logged-by-sigil', 'a');
    await ok(runSigil(['sign', '--key', join(dir, 'sigil.key'), '--rekor-url', sigil.url, ref], { env: env(logPub) }), 'sigil sign');
    await ok(cosignVerify(ref, join(dir, 'sigil.pub'), logPub), 'cosign verify');
    assert.notEqual((await cosignVerify(ref, join(dir, 'sigil.pub'), otherPub)).code, 0);
  });

  test('cosign signs with --rekor-url against sigil\'s log; sigil verify accepts with the log key', async () => {
    const ref = await pushImage('logged-by-cosign', 'b');
    await ok(runPeer('cosign', ['sign', '--key', join(dir, 'cosign.key'), '--rekor-url', sigil.url, '--allow-insecure-registry', '--allow-http-registry', '-y', ref], { env: env(logPub) }), 'cosign sign');
    const out = await runSigil(['verify', '--key', join(dir, 'cosign.pub'), ref], { env: env(logPub) });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /Existence of the claims in the transparency log was verified offline/);
    assert.equal((await runSigil(['verify', '--key', join(dir, 'cosign.pub'), ref], { env: env(otherPub) })).code, 12);
  });
});
