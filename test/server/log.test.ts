// openLogService: the key is created once (mode 0600) and reused, and entries survive a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogService } from '../../src/server/log.ts';
import { makeArtifactSigner, testClock } from '../tlog/support.ts';
import { parseProposedEntry } from '../../src/tlog/index.ts';

test('the log key is created on first start with mode 0600, reused after, and entries persist', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-data-'));
  try {
    const first = await openLogService({ dataDir, publicUrl: 'http://127.0.0.1:3000', clock: testClock });
    assert.equal(statSync(join(dataDir, 'log', 'signing-key.pem')).mode & 0o777, 0o600);
    await first.start();
    const entry = parseProposedEntry(new TextEncoder().encode(JSON.stringify(makeArtifactSigner().entry('kept'))));
    const created = await first.api.createEntry(entry);
    await first.close();
    const second = await openLogService({ dataDir, publicUrl: 'http://127.0.0.1:3000', clock: testClock });
    assert.equal(second.logIdHex, first.logIdHex);
    assert.equal(second.origin, `127.0.0.1:3000 - ${first.treeId}`);
    assert.ok(await second.api.getEntry({ by: 'index', index: 0 }));
    assert.equal(Object.keys((await second.api.getEntry({ by: 'index', index: 0 }))!)[0], created.entryId);
    await second.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a key file that is not a pkcs#8 pem key is a config error', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-data-'));
  try {
    await openLogService({ dataDir, publicUrl: 'http://127.0.0.1', clock: testClock }).then((s) => s.close());
    writeFileSync(join(dataDir, 'log', 'signing-key.pem'), 'garbage');
    await assert.rejects(openLogService({ dataDir, publicUrl: 'http://127.0.0.1', clock: testClock }), { code: 'ERR_CONFIG_INVALID' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
