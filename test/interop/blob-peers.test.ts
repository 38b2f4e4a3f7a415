// Interop of key-based blob signatures with cosign 2.5: what cosign sign-blob writes, sigil
// verify-blob accepts, and the reverse; tampered files are rejected by both. With sigil's log,
// cosign verify-blob accepts sigil's legacy --bundle and sigil accepts cosign's, and the same for
// Sigstore bundles v0.3 that name the key by its hint (--new-bundle-format).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  // after the tests above, so the log's first entry (index 0, which cosign 2.5 cannot read from a
  // new-format bundle) is not one of these
  test('Sigstore bundles with a key (--new-bundle-format): sigil → cosign and cosign → sigil against trusted_root.json; wrong key, tampered file refused', async () => {
    const trustedRoot = join(dir, 'data', 'trusted_root.json');
    writeFileSync(at('nb.txt'), 'a v0.3 bundle with a key');
    await ok(runSigil(['sign-blob', '--key', at('sigil.key'), '--rekor-url', sigil.url, '--new-bundle-format', '--bundle', at('nb-sigil.json'), at('nb.txt')], { env: env() }), 'sigil sign-blob --new-bundle-format');
    const written = JSON.parse(readFileSync(at('nb-sigil.json'), 'utf8')) as { verificationMaterial: { publicKey?: { hint: string }; certificate?: unknown; tlogEntries: unknown[] } };
    const spki = createPublicKey(readFileSync(at('sigil.pub'), 'utf8')).export({ type: 'spki', format: 'der' });
    assert.equal(written.verificationMaterial.publicKey?.hint, createHash('sha256').update(spki).digest('base64'));
    assert.equal(written.verificationMaterial.certificate, undefined);
    assert.equal(written.verificationMaterial.tlogEntries.length, 1);
    await ok(runPeer('cosign', ['verify-blob', '--key', at('sigil.pub'), '--new-bundle-format', '--bundle', at('nb-sigil.json'), '--trusted-root', trustedRoot, at('nb.txt')], { env: env() }), 'cosign verify-blob --new-bundle-format');
    await ok(runPeer('cosign', ['sign-blob', '--key', at('cosign.key'), '--rekor-url', sigil.url, '--new-bundle-format', '--bundle', at('nb-cosign.json'), '-y', at('nb.txt')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) }), 'cosign sign-blob --new-bundle-format');
    await ok(runSigil(['verify-blob', '--key', at('cosign.pub'), '--new-bundle-format', '--bundle', at('nb-cosign.json'), '--trusted-root', trustedRoot, at('nb.txt')], { env: env() }), 'sigil verify-blob --new-bundle-format');
    const wrongKey = await runSigil(['verify-blob', '--key', at('sigil.pub'), '--bundle', at('nb-cosign.json'), '--trusted-root', trustedRoot, at('nb.txt')], { env: env() });
    assert.equal(wrongKey.code, 12, wrongKey.stderr);
    const cosignWrongKey = await runPeer('cosign', ['verify-blob', '--key', at('cosign.pub'), '--new-bundle-format', '--bundle', at('nb-sigil.json'), '--trusted-root', trustedRoot, at('nb.txt')], { env: env() });
    assert.notEqual(cosignWrongKey.code, 0);
    writeFileSync(at('nb.txt'), 'a v0.3 bundle with a key, then changed');
    const tampered = await runSigil(['verify-blob', '--key', at('cosign.pub'), '--bundle', at('nb-cosign.json'), '--trusted-root', trustedRoot, at('nb.txt')], { env: env() });
    assert.equal(tampered.code, 12, tampered.stderr);
    const cosignTampered = await runPeer('cosign', ['verify-blob', '--key', at('sigil.pub'), '--new-bundle-format', '--bundle', at('nb-sigil.json'), '--trusted-root', trustedRoot, at('nb.txt')], { env: env() });
    assert.notEqual(cosignTampered.code, 0);
    // a key bundle needs the log: refused before anything is signed or written
    const noLog = await runSigil(['sign-blob', '--key', at('sigil.key'), '--tlog-upload=false', '--new-bundle-format', '--bundle', at('nb-none.json'), at('nb.txt')], { env: env() });
    assert.equal(noLog.code, 2, noLog.stderr);
    assert.equal(existsSync(at('nb-none.json')), false);
  });
});
