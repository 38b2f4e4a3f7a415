import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generatePrivateKey } from '../../src/core/index.ts';
import { issueCertificate } from '../../src/ca/index.ts';
import { openCtLog } from '../../src/ct/index.ts';
import { openSqliteCtStore } from '../../src/adapters/sqlite/ct-store.ts';
import { createTestCa, EMAIL_IDENTITY } from '../ca/support.ts';
import { makeTempDir } from '../support/temp.ts';

test('with a writer thread, concurrent submissions are committed in batches, each SCT only after its batch is on disk', async () => {
  const ca = await createTestCa();
  const path = join(makeTempDir('ct-store'), 'ct.db');
  const store = openSqliteCtStore(path, { writerThread: true });
  const log = await openCtLog({ store, signer: ca.ctSigner, roots: [ca.rootDer], clock: () => ca.now });
  const chains: Uint8Array[][] = [];
  for (let i = 0; i < 24; i += 1) {
    await issueCertificate({ ...ca.issuer, logPrecertificate: async (chain) => { chains.push([...chain]); return ca.issuer.logPrecertificate(chain); } },
      EMAIL_IDENTITY, generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer());
  }
  const scts = await Promise.all(chains.map((c) => log.add(c, true)));
  assert.equal(scts.length, 24);
  const head = await log.latestHead();
  assert.equal(head.treeSize, 24);
  await store.close();
  // what was answered is on disk: a fresh connection (no writer) reads the same tree
  const reopened = openSqliteCtStore(path);
  try {
    assert.deepEqual((await reopened.latestHead())?.rootHash, head.rootHash);
    assert.equal((await reopened.leaves(0, 100)).length, 24);
    const again = await openCtLog({ store: reopened, signer: ca.ctSigner, roots: [ca.rootDer], clock: () => ca.now });
    assert.deepEqual((await again.latestHead()).rootHash, head.rootHash);
  } finally {
    await reopened.close();
  }
});

test('a writer-thread append that does not continue the stored tree is ERR_CT_STORAGE and stores nothing', async () => {
  const path = join(makeTempDir('ct-store'), 'ct.db');
  const store = openSqliteCtStore(path, { writerThread: true });
  try {
    const leaf = { index: 5, leafHash: new Uint8Array(32), leafInput: new Uint8Array([1]), extraData: new Uint8Array() };
    const head = { treeSize: 6, timestampMs: 1, rootHash: new Uint8Array(32), signature: new Uint8Array([1]) };
    await assert.rejects(store.append([leaf], [], head), { code: 'ERR_CT_STORAGE' });
    assert.equal(await store.latestHead(), undefined);
  } finally {
    await store.close();
  }
  await assert.rejects(store.append([], [], { treeSize: 0, timestampMs: 1, rootHash: new Uint8Array(32), signature: new Uint8Array([1]) }), { code: 'ERR_CT_STORAGE' });
});
