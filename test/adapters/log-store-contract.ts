// One contract for every LogStore backend: the SQLite and PostgreSQL tests both run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LogBatch, LogStore, NewLogLeaf, TreeNode } from '../../src/tlog/ports.ts';

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leafHash = (body: Uint8Array): Uint8Array => sha(new Uint8Array([0]), body);

/** Builds a batch of `count` leaves after `previousSize`, with their level-0 nodes and a head. */
export function makeBatch(previousSize: number, count: number, tag = 'x'): LogBatch {
  const leaves: NewLogLeaf[] = [];
  const nodes: TreeNode[] = [];
  for (let i = 0; i < count; i += 1) {
    const index = previousSize + i;
    const body = new TextEncoder().encode(`{"entry":${index},"tag":"${tag}"}`);
    const lh = leafHash(body);
    leaves.push({ index, leafHash: lh, body, integratedTime: 1_700_000_000 + index, searchKeys: [`sha256:${index % 2 === 0 ? 'even' : 'odd'}`, `email:${tag}@example.com`] });
    nodes.push({ level: 0, index, hash: lh });
  }
  const size = previousSize + count;
  return { previousSize, leaves, nodes, head: { size, rootHash: sha(new TextEncoder().encode(`root-${size}-${tag}`)), checkpoint: `origin\n${size}\n`, timestamp: 1_700_000_000 + size } };
}

/** Opens a fresh store; `reopen` opens the same data again (after close). */
export interface ContractTarget {
  open(): Promise<LogStore>;
  reopen(): Promise<LogStore>;
  /** a second, concurrent handle on the same data (another replica), where the backend has one */
  replica?(): Promise<LogStore>;
}

/** Registers the contract tests for one backend. */
export function runLogStoreContract(name: string, target: () => ContractTarget): void {
  test(`${name}: an empty log has no head, leaves or search hits`, async () => {
    const store = await target().open();
    assert.equal(await store.latestHead(), undefined);
    assert.equal(await store.leafByIndex(0), undefined);
    assert.deepEqual(await store.search('sha256:even', 10), []);
    await store.close();
  });

  test(`${name}: batches append leaves, nodes, heads and search keys, and survive a reopen`, async () => {
    const t = target();
    const store = await t.open();
    const b1 = makeBatch(0, 3);
    const b2 = makeBatch(3, 2);
    await store.appendBatch(b1);
    await store.appendBatch(b2);
    assert.equal((await store.latestHead())?.size, 5);
    await store.close();
    const again = await t.reopen();
    assert.deepEqual(await again.latestHead(), b2.head);
    assert.deepEqual(await again.headAt(3), b1.head);
    assert.equal(await again.headAt(4), undefined);
    const leaf = b2.leaves[1]!;
    const { searchKeys: _k, ...stored } = leaf;
    assert.deepEqual(await again.leafByIndex(4), stored);
    assert.deepEqual(await again.leafByHash(leaf.leafHash), stored);
    const missing = new Uint8Array(32);
    const found = await again.leavesByHash([missing, leaf.leafHash, b1.leaves[0]!.leafHash]);
    assert.deepEqual([...found].sort((x, y) => x.index - y.index).map((l) => l.index), [0, 4]);
    assert.deepEqual(await again.leavesByHash([]), []);
    assert.deepEqual(await again.nodes([{ level: 0, index: 4 }, { level: 0, index: 0 }]), [leaf.leafHash, b1.leaves[0]!.leafHash]);
    assert.deepEqual(await again.search('sha256:even', 10), [0, 2, 4]);
    assert.deepEqual(await again.search('sha256:even', 2), [0, 2]);
    await again.close();
  });

  test(`${name}: a batch of 150 leaves (more than one multi-row insert holds) is stored whole`, async () => {
    const store = await target().open();
    const b = makeBatch(0, 150);
    await store.appendBatch(b);
    assert.equal((await store.latestHead())?.size, 150);
    for (const i of [0, 63, 64, 127, 128, 149]) {
      const { searchKeys: _k, ...stored } = b.leaves[i]!;
      assert.deepEqual(await store.leafByIndex(i), stored);
    }
    const ids = b.nodes.map((n) => ({ level: n.level, index: n.index }));
    assert.deepEqual(await store.nodes(ids), b.nodes.map((n) => n.hash));
    assert.equal((await store.search('sha256:odd', 1000)).length, 75);
    assert.equal((await store.search('email:x@example.com', 1000)).length, 150);
    await store.close();
  });

  test(`${name}: a batch at the wrong size is refused and stores nothing`, async () => {
    const store = await target().open();
    await store.appendBatch(makeBatch(0, 2));
    await assert.rejects(store.appendBatch(makeBatch(1, 2, 'late')), { code: 'ERR_TLOG_SEQUENCE_CONFLICT' });
    assert.equal((await store.latestHead())?.size, 2);
    assert.equal(await store.leafByIndex(2), undefined);
    await store.close();
  });

  test(`${name}: a batch repeating a stored leaf fails whole`, async () => {
    const store = await target().open();
    const first = makeBatch(0, 2);
    await store.appendBatch(first);
    const dup = makeBatch(2, 2, 'dup');
    const bad: LogBatch = { ...dup, leaves: [dup.leaves[0]!, { ...dup.leaves[1]!, leafHash: first.leaves[0]!.leafHash }] };
    await assert.rejects(store.appendBatch(bad), { code: 'ERR_TLOG_STORAGE' });
    assert.equal((await store.latestHead())?.size, 2);
    assert.equal(await store.leafByIndex(2), undefined);
    assert.deepEqual(await store.search('email:dup@example.com', 10), []);
    await store.close();
  });

  test(`${name}: reading a node that was never written is a storage error`, async () => {
    const store = await target().open();
    await assert.rejects(store.nodes([{ level: 3, index: 9 }]), { code: 'ERR_TLOG_STORAGE' });
    await store.close();
  });

  test(`${name}: the sequencer lease is held by one replica at a time`, async () => {
    const t = target();
    const a = await t.open();
    assert.equal(await a.lease.tryAcquire(), true);
    assert.equal(await a.lease.isHeld(), true);
    if (t.replica) {
      const b = await t.replica();
      assert.equal(await b.lease.tryAcquire(), false);
      await a.lease.release();
      assert.equal(await b.lease.tryAcquire(), true);
      assert.equal(await a.lease.tryAcquire(), false);
      await b.close();
    }
    await a.close();
  });
}
