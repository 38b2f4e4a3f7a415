// The group-commit sequencer on an in-memory SQLite store: batching limits, duplicates inside a
// batch, storage failures that store nothing, and refusing writes without the lease.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InternalError } from '../../src/core/index.ts';
import { hashLeaf, inclusionNodes } from '../../src/merkle/index.ts';
import { openSqliteLogStore } from '../../src/adapters/sqlite/log-store.ts';
import { createCheckpointSigner, createLogSigner, type LogBatch, type LogStore } from '../../src/tlog/index.ts';
import { createSequencer, type LeafRequest, type Sequencer } from '../../src/tlog/sequencer.ts';
import { makeLogKey, testClock } from './support.ts';

interface Probe { store: LogStore; batches: LogBatch[]; failNext: boolean }

function probeStore(): Probe {
  const inner = openSqliteLogStore(':memory:');
  const probe: Probe = { store: inner, batches: [], failNext: false };
  probe.store = {
    ...inner,
    appendBatch: async (batch) => {
      if (probe.failNext) { probe.failNext = false; throw new InternalError('ERR_TLOG_STORAGE', 'disk full'); }
      probe.batches.push(batch);
      await inner.appendBatch(batch);
    },
  };
  return probe;
}

function sequencer(store: LogStore, maxBatchEntries = 256): Sequencer {
  const key = makeLogKey();
  const checkpointSigner = createCheckpointSigner(createLogSigner(key.pkcs8Der, key.spkiDer), 'log.test');
  return createSequencer({ store, clock: testClock, checkpointSigner, origin: 'log.test - 1', maxBatchEntries, maxBatchDelayMs: 5, leasePollMs: 50 });
}

const leaf = (text: string): LeafRequest => {
  const body = new TextEncoder().encode(text);
  return { body, leafHash: hashLeaf(body), searchKeys: [`sha256:${text}`] };
};

test('a batch never holds more than maxBatchEntries leaves, and indices are consecutive', async () => {
  const p = probeStore();
  const s = sequencer(p.store, 10);
  await s.start();
  const results = await Promise.all(Array.from({ length: 35 }, (_, i) => s.submit(leaf(`e${i}`))));
  const indexes = results.map((r) => ('logged' in r ? r.logged.index : -1)).sort((a, b) => a - b);
  assert.deepEqual(indexes, Array.from({ length: 35 }, (_, i) => i));
  assert.ok(p.batches.length >= 4 && p.batches.every((b) => b.leaves.length <= 10), p.batches.map((b) => b.leaves.length).join(','));
  await s.stop();
});

test('the same leaf twice in one batch is logged once; the repeat is reported as existing', async () => {
  const p = probeStore();
  const s = sequencer(p.store);
  await s.start();
  const [a, b] = await Promise.all([s.submit(leaf('same')), s.submit(leaf('same'))]);
  assert.ok(a && 'logged' in a);
  assert.ok(b && 'existing' in b && b.existing.index === 0);
  assert.equal((await p.store.latestHead())?.size, 1);
  const again = await s.submit(leaf('same'));
  assert.ok('existing' in again);
  await s.stop();
});

test('a failed append answers every request in the batch with the error, stores nothing, and the log goes on', async () => {
  const p = probeStore();
  const s = sequencer(p.store);
  await s.start();
  await s.submit(leaf('before'));
  p.failNext = true;
  const failed = await Promise.allSettled([s.submit(leaf('f1')), s.submit(leaf('f2'))]);
  for (const r of failed) assert.equal(r.status === 'rejected' && (r.reason as { code?: string }).code, 'ERR_TLOG_STORAGE');
  assert.equal((await p.store.latestHead())?.size, 1);
  const after = await s.submit(leaf('f1'));
  assert.ok('logged' in after && after.logged.index === 1);
  await s.stop();
});

test('without the lease (not started, or stopped) writes are refused with ERR_TLOG_NOT_SEQUENCER', async () => {
  const p = probeStore();
  const s = sequencer(p.store);
  await assert.rejects(s.submit(leaf('early')), { code: 'ERR_TLOG_NOT_SEQUENCER' });
  await s.start();
  assert.equal(s.isSequencing(), true);
  await s.stop();
  assert.equal(s.isSequencing(), false);
  await assert.rejects(s.submit(leaf('late')), { code: 'ERR_TLOG_NOT_SEQUENCER' });
});

test('a logged leaf\'s batch knows every node of its inclusion proof, with the hashes storage holds', async () => {
  const p = probeStore();
  const s = sequencer(p.store, 7);
  await s.start();
  let next = 0;
  // uneven batch sizes put batch starts and tree sizes at many shapes (powers of two and not)
  for (const count of [1, 1, 2, 3, 5, 8, 13, 1, 21, 4, 9]) {
    const results = await Promise.all(Array.from({ length: count }, () => s.submit(leaf(`k${next++}`))));
    for (const r of results) {
      assert.ok('logged' in r);
      const ids = inclusionNodes(r.logged.index, r.head.size).ids.map((id) => ({ level: id.level, index: Number(id.index) }));
      const stored = await p.store.nodes(ids);
      assert.deepEqual(ids.map((id) => r.knownNode(id.level, id.index)), stored, `leaf ${r.logged.index} of ${r.head.size}`);
    }
  }
  await s.stop();
});
