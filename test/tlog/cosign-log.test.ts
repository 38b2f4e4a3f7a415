// Interop with the real cosign 2.5: sign-blob uploads to the sigil log, and verify-blob checks
// the entry's SET against the log's public key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLogStore } from '../../src/adapters/sqlite/log-store.ts';
import { runPeer } from '../support/peers.ts';
import { startLog } from './support.ts';

test('cosign sign-blob logs to sigil and verify-blob accepts the entry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-cosign-log-'));
  const store = openSqliteLogStore(join(dir, 'log.db'));
  const log = await startLog(store);
  const env = { HOME: dir, COSIGN_PASSWORD: '', SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'rekor.pub') };
  const cosign = (...args: string[]) => runPeer('cosign', args, { env, cwd: dir });
  try {
    writeFileSync(join(dir, 'rekor.pub'), log.service.publicKeyPem);
    writeFileSync(join(dir, 'f.txt'), 'hello\n');
    assert.equal((await cosign('generate-key-pair')).code, 0);
    const signed = await cosign('sign-blob', '--key', 'cosign.key', '--rekor-url', log.url, '--bundle', 'b.json', '--yes', 'f.txt');
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stderr + signed.stdout, /tlog entry created with index: 0/);
    const verified = await cosign('verify-blob', '--key', 'cosign.pub', '--bundle', 'b.json', '--rekor-url', log.url, 'f.txt');
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stderr + verified.stdout, /Verified OK/);
    writeFileSync(join(dir, 'f.txt'), 'tampered\n');
    assert.notEqual((await cosign('verify-blob', '--key', 'cosign.pub', '--bundle', 'b.json', '--rekor-url', log.url, 'f.txt')).code, 0);
  } finally {
    await log.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
