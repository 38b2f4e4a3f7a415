// Interop with the real rekor-cli (Debian's 1.3.x): upload a hashedrekord, get it back (rekor-cli
// verifies the SET and the inclusion proof), loginfo twice (it verifies the checkpoint and the
// consistency proof), search by hash, verify, and a repeated upload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLogStore } from '../../src/adapters/sqlite/log-store.ts';
import { runPeer } from '../support/peers.ts';
import { startLog } from './support.ts';

test('rekor-cli uploads to, reads from, verifies against and searches the sigil log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-rekor-cli-'));
  const store = openSqliteLogStore(join(dir, 'log.db'));
  const log = await startLog(store);
  const env = { HOME: dir };
  const cli = (...args: string[]) => runPeer('rekor-cli', [...args, '--rekor_server', log.url], { env, cwd: dir });
  try {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(join(dir, 'key.pub'), publicKey.export({ format: 'pem', type: 'spki' }));
    for (const name of ['one', 'two']) {
      writeFileSync(join(dir, `${name}.txt`), `artifact ${name}\n`);
      writeFileSync(join(dir, `${name}.sig`), sign('sha256', Buffer.from(`artifact ${name}\n`), privateKey));
    }
    const sha = (name: string): string => createHash('sha256').update(`artifact ${name}\n`).digest('hex');
    // rekor-cli builds a hashedrekord from --artifact-hash (it never hashes the file for this type)
    const upload = (name: string) => cli('upload', '--type', 'hashedrekord:0.0.1', '--pki-format', 'x509', '--artifact-hash', `sha256:${sha(name)}`, '--signature', join(dir, `${name}.sig`), '--public-key', join(dir, 'key.pub'));
    const first = await upload('one');
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /Created entry at index 0/);
    const info1 = await cli('loginfo', '--format', 'json');
    assert.equal(info1.code, 0, info1.stderr + info1.stdout);
    assert.equal(JSON.parse(info1.stdout).ActiveTreeSize, 1);
    assert.equal((await upload('two')).code, 0);
    const info2 = await cli('loginfo', '--format', 'json');
    assert.equal(info2.code, 0, `consistency from 1 to 2: ${info2.stderr}${info2.stdout}`);
    const got = await cli('get', '--log-index', '1', '--format', 'json');
    assert.equal(got.code, 0, got.stderr + got.stdout);
    assert.equal(JSON.parse(got.stdout).LogIndex, 1);
    const found = await cli('search', '--sha', sha('two'));
    assert.equal(found.code, 0, found.stderr + found.stdout);
    assert.match(found.stdout, new RegExp(log.service.treeId.toString(16).padStart(16, '0')));
    const verified = await cli('verify', '--type', 'hashedrekord:0.0.1', '--pki-format', 'x509', '--artifact-hash', `sha256:${sha('two')}`, '--signature', join(dir, 'two.sig'), '--public-key', join(dir, 'key.pub'));
    assert.equal(verified.code, 0, `verify: ${verified.stderr}${verified.stdout}`);
    const again = await upload('one');
    assert.match(again.stdout + again.stderr, /already exists/i);
  } finally {
    await log.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
