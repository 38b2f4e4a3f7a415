// Interop of key-based blob signatures with cosign 2.5: what cosign sign-blob writes, sigil
// verify-blob accepts, and the reverse; tampered files are rejected by both. With sigil's log,
// cosign verify-blob accepts sigil's legacy --bundle and sigil accepts cosign's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runSigil, type RunResult, expectSuccess } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';

const PASSWORD = 'blob-interop';
let dir = '';
let sigil: SigilServerProcess;
let logPub = '';
const at = (name: string): string => join(dir, name);
const env = (extra: Record<string, string> = {}): Record<string, string> => ({ COSIGN_PASSWORD: PASSWORD, HOME: dir, ...extra });

const ok = expectSuccess;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-blob-interop-'));
  sigil = await startSigilServer(join(dir, 'data'));
  logPub = at('log.pub');
  writeFileSync(logPub, await (await fetch(`${sigil.url}/api/v1/log/publicKey`)).text());
  await ok(runSigil(['generate-key-pair', '--output-key-prefix', at('sigil')], { env: env() }), 'sigil keys');
  await ok(runPeer('cosign', ['generate-key-pair', '--output-key-prefix', at('cosign')], { env: env(), cwd: dir }), 'cosign keys');
});
after(async () => { await sigil.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('blob signatures with cosign 2.5', () => {
  test('cosign sign-blob --output-signature → sigil verify-blob; a tampered file is rejected', async () => {
    writeFileSync(at('c.txt'), 'signed by cosign');
    await ok(runPeer('cosign', ['sign-blob', '--key', at('cosign.key'), '--tlog-upload=false', '--output-signature', at('c.sig'), '-y', at('c.txt')], { env: env() }), 'cosign sign-blob');
    await ok(runSigil(['verify-blob', '--key', at('cosign.pub'), '--signature', at('c.sig'), '--insecure-ignore-tlog', at('c.txt')], { env: env() }), 'sigil verify-blob');
    writeFileSync(at('c.txt'), 'signed by cosign, then changed');
    const r = await runSigil(['verify-blob', '--key', at('cosign.pub'), '--signature', at('c.sig'), '--insecure-ignore-tlog', at('c.txt')], { env: env() });
    assert.equal(r.code, 12, r.stderr);
  });

  test('sigil sign-blob → cosign verify-blob; a tampered file is rejected', async () => {
    writeFileSync(at('s.txt'), 'signed by sigil');
    await ok(runSigil(['sign-blob', '--key', at('sigil.key'), '--tlog-upload=false', '--output-signature', at('s.sig'), at('s.txt')], { env: env() }), 'sigil sign-blob');
    await ok(runPeer('cosign', ['verify-blob', '--key', at('sigil.pub'), '--signature', at('s.sig'), '--insecure-ignore-tlog', at('s.txt')], { env: env() }), 'cosign verify-blob');
    writeFileSync(at('s.txt'), 'signed by sigil, then changed');
    const r = await runPeer('cosign', ['verify-blob', '--key', at('sigil.pub'), '--signature', at('s.sig'), '--insecure-ignore-tlog', at('s.txt')], { env: env() });
    assert.notEqual(r.code, 0, r.stderr);
  });

  test('sigil sign-blob --rekor-url --bundle → cosign verify-blob --bundle with the log key', async () => {
    writeFileSync(at('sb.txt'), 'bundled by sigil');
    await ok(runSigil(['sign-blob', '--key', at('sigil.key'), '--rekor-url', sigil.url, '--bundle', at('sb.bundle'), at('sb.txt')], { env: env() }), 'sigil sign-blob');
    await ok(runPeer('cosign', ['verify-blob', '--key', at('sigil.pub'), '--bundle', at('sb.bundle'), '--rekor-url', sigil.url, at('sb.txt')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) }), 'cosign verify-blob --bundle');
  });

  test('cosign sign-blob --rekor-url --bundle → sigil verify-blob --bundle, and by searching the log', async () => {
    writeFileSync(at('cb.txt'), 'bundled by cosign');
    await ok(runPeer('cosign', ['sign-blob', '--key', at('cosign.key'), '--rekor-url', sigil.url, '--bundle', at('cb.bundle'), '--output-signature', at('cb.sig'), '-y', at('cb.txt')], { env: env() }), 'cosign sign-blob');
    const logged = env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub });
    await ok(runSigil(['verify-blob', '--key', at('cosign.pub'), '--bundle', at('cb.bundle'), at('cb.txt')], { env: logged }), 'sigil verify-blob --bundle');
    await ok(runSigil(['verify-blob', '--key', at('cosign.pub'), '--signature', at('cb.sig'), '--rekor-url', sigil.url, at('cb.txt')], { env: logged }), 'sigil verify-blob by search');
  });
});
