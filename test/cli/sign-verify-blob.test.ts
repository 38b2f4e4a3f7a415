// sigil sign-blob / verify-blob with a key: cosign's base64 signature file, the legacy --bundle,
// and the hashedrekord entry in sigil's own log (one `sigil server` on 127.0.0.1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';
import { encodePem } from '../../src/core/index.ts';
import { makeLogKey } from '../tlog/support.ts';

const PASSWORD = 'blob-test';
let server: SigilServerProcess;
let dir = '';
let logPub = '';
let otherLogPub = '';
const env = (extra: Record<string, string> = {}): Record<string, string> => isolatedEnv({ COSIGN_PASSWORD: PASSWORD, ...extra });
const at = (name: string): string => join(dir, name);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-blob-'));
  server = await startSigilServer(join(dir, 'data'));
  for (const prefix of ['cosign', 'other']) {
    const r = await runCliIn(['generate-key-pair', '--output-key-prefix', at(prefix)], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }
  logPub = at('log.pub');
  writeFileSync(logPub, await (await fetch(`${server.url}/api/v1/log/publicKey`)).text());
  otherLogPub = at('other-log.pub');
  writeFileSync(otherLogPub, encodePem('PUBLIC KEY', makeLogKey().spkiDer));
});
after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('sign-blob and verify-blob with a key, no log', () => {
  test('round trip; the signature file is base64 without a newline, stdout gets it when no file is named', async () => {
    writeFileSync(at('a.txt'), 'artifact a\n');
    const s = await runCli(['sign-blob', '--key', at('cosign.key'), '--output-signature', at('a.sig'), at('a.txt')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.match(readFileSync(at('a.sig'), 'utf8'), /^[A-Za-z0-9+/]+=*$/);
    const v = await runCli(['verify-blob', '--key', at('cosign.pub'), '--signature', at('a.sig'), '--insecure-ignore-tlog', at('a.txt')], { env: env() });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /Verified OK/);
    const printed = await runCli(['sign-blob', '--key', at('cosign.key'), '--tlog-upload=false', at('a.txt')], { env: env() });
    assert.equal(printed.code, 0, printed.stderr);
    writeFileSync(at('a-nl.sig'), printed.stdout);
    assert.ok(printed.stdout.endsWith('\n'));
    const withNewline = await runCli(['verify-blob', '--key', at('cosign.pub'), '--signature', at('a-nl.sig'), '--insecure-ignore-tlog', at('a.txt')], { env: env() });
    assert.equal(withNewline.code, 0, withNewline.stderr);
  });

  test('a tampered file, a wrong key, base64 of garbage and raw garbage are exit 12; a missing signature file is exit 2', async () => {
    writeFileSync(at('t.txt'), 'original');
    assert.equal((await runCli(['sign-blob', '--key', at('cosign.key'), '--output-signature', at('t.sig'), at('t.txt')], { env: env() })).code, 0);
    writeFileSync(at('t.txt'), 'tampered');
    const verify = (pub: string, sig: string): ReturnType<typeof runCli> =>
      runCli(['verify-blob', '--key', at(pub), '--signature', at(sig), '--insecure-ignore-tlog', at('t.txt')], { env: env() });
    const tampered = await verify('cosign.pub', 't.sig');
    assert.equal(tampered.code, 12);
    assert.match(tampered.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);
    writeFileSync(at('t.txt'), 'original');
    assert.equal((await verify('other.pub', 't.sig')).code, 12);
    writeFileSync(at('garbage.sig'), Buffer.from('not a der signature').toString('base64'));
    assert.equal((await verify('cosign.pub', 'garbage.sig')).code, 12);
    // as cosign: a file that is not base64 holds the raw signature bytes (sign-blob --b64=false)
    writeFileSync(at('notb64.sig'), '***not base64***');
    const notBase64 = await verify('cosign.pub', 'notb64.sig');
    assert.equal(notBase64.code, 12);
    assert.match(notBase64.stderr, /ERR_CRYPTO_SIGNATURE_INVALID/);
    const missing = await verify('cosign.pub', 'missing.sig');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /ERR_FILE_NOT_FOUND/);
  });

  test('without --insecure-ignore-tlog and no log key at all: exit 3', async () => {
    const v = await runCli(['verify-blob', '--key', at('cosign.pub'), '--signature', at('a.sig'), at('a.txt')], { env: env() });
    assert.equal(v.code, 3, v.stderr);
  });
});

describe('sign-blob and verify-blob with the log', () => {
  test('--rekor-url uploads a hashedrekord; verify-blob finds it by searching the log, with SIGSTORE_REKOR_PUBLIC_KEY', async () => {
    writeFileSync(at('l.txt'), 'logged artifact');
    const s = await runCli(['sign-blob', '--key', at('cosign.key'), '--rekor-url', server.url, '--output-signature', at('l.sig'), '--output', 'json', at('l.txt')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /tlog entry created with index: \d+/);
    const v = await runCli(['verify-blob', '--key', at('cosign.pub'), '--signature', at('l.sig'), '--rekor-url', server.url, '--output', 'json', at('l.txt')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) });
    assert.equal(v.code, 0, v.stderr);
    const out = JSON.parse(v.stdout) as { tlogEntry: { source: string; logIndex: number } };
    assert.equal(out.tlogEntry.source, 'search');
    assert.equal(out.tlogEntry.logIndex, (JSON.parse(s.stdout) as { tlogEntry: { logIndex: number } }).tlogEntry.logIndex);
    const wrongLog = await runCli(['verify-blob', '--key', at('cosign.pub'), '--signature', at('l.sig'), '--rekor-url', server.url, at('l.txt')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: otherLogPub }) });
    assert.equal(wrongLog.code, 12, wrongLog.stderr);
  });

  test('--bundle writes cosign 2\'s legacy bundle; verify-blob --bundle checks it offline', async () => {
    writeFileSync(at('b.txt'), 'bundled artifact');
    const s = await runCli(['sign-blob', '--key', at('cosign.key'), '--rekor-url', server.url, '--bundle', at('b.bundle'), at('b.txt')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    const text = readFileSync(at('b.bundle'), 'utf8');
    assert.match(text, /^\{"base64Signature":"[A-Za-z0-9+/=]+","rekorBundle":\{"SignedEntryTimestamp":"[A-Za-z0-9+/=]+","Payload":\{"body":"[A-Za-z0-9+/=]+","integratedTime":\d+,"logIndex":\d+,"logID":"[0-9a-f]{64}"\}\}\}$/);
    const v = await runCli(['verify-blob', '--key', at('cosign.pub'), '--bundle', at('b.bundle'), '--output', 'json', at('b.txt')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) });
    assert.equal(v.code, 0, v.stderr);
    assert.equal((JSON.parse(v.stdout) as { tlogEntry: { source: string } }).tlogEntry.source, 'bundle');
    writeFileSync(at('b2.txt'), 'another artifact');
    const other = await runCli(['sign-blob', '--key', at('cosign.key'), '--tlog-upload=false', '--output-signature', at('b2.sig'), at('b2.txt')], { env: env() });
    assert.equal(other.code, 0, other.stderr);
    // a valid signature over another file with this file's log entry: the entry does not match
    const swapped = await runCli(['verify-blob', '--key', at('cosign.pub'), '--bundle', at('b.bundle'), '--signature', at('b2.sig'), at('b2.txt')], { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) });
    assert.equal(swapped.code, 12, swapped.stderr);
    assert.match(swapped.stderr, /ERR_VERIFY_BUNDLE_MISMATCH/);
  });

  test('--tlog-upload=false logs nothing: the search finds no entry (12) until --insecure-ignore-tlog', async () => {
    writeFileSync(at('n.txt'), 'never logged');
    const s = await runCli(['sign-blob', '--key', at('cosign.key'), '--rekor-url', server.url, '--tlog-upload=false', '--output-signature', at('n.sig'), at('n.txt')], { env: env() });
    assert.equal(s.code, 0, s.stderr);
    assert.doesNotMatch(s.stderr, /tlog entry/);
    const args = ['verify-blob', '--key', at('cosign.pub'), '--signature', at('n.sig'), '--rekor-url', server.url, at('n.txt')];
    const strict = await runCli(args, { env: env({ SIGSTORE_REKOR_PUBLIC_KEY: logPub }) });
    assert.equal(strict.code, 12, strict.stderr);
    assert.match(strict.stderr, /ERR_VERIFY_TLOG_MISSING/);
    const lax = await runCli([...args, '--insecure-ignore-tlog'], { env: env() });
    assert.equal(lax.code, 0, lax.stderr);
  });
});
