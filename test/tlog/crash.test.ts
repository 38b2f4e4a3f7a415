// Reliability: kill -9 the log (SQLite, the embedded default) during 10,000 concurrent uploads,
// restart it on the same data: every entry that got a 201 is there at its index, no index is used
// twice, and the tree is consistent with every checkpoint the log ever returned (checked with
// consistency proofs). Uploads that failed in the crash succeed (or are duplicates) afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { startSigilServer } from '../support/sigil-server.ts';
import { checkAfterCrash, makeProposals, parseCreated, post, type Logged } from './crash-support.ts';

const TOTAL = 10_000;
const CONCURRENCY = 64;
const KILL_AFTER = 4_000;

test('kill -9 during 10,000 concurrent uploads loses no acknowledged entry and keeps every checkpoint consistent', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-crash-'));
  const bodies = makeProposals(TOTAL);
  let server = await startSigilServer(join(dir, 'data'), ['--only', 'log']);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const acknowledged = new Map<number, Logged>();
  const failed: number[] = [];
  let next = 0;
  let done = 0;
  let killed: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      const i = next++;
      const a = await post(agent, `${server.url}/api/v1/log/entries`, bodies[i] ?? '');
      if (a.status === 201) acknowledged.set(i, parseCreated(a.body));
      else failed.push(i);
      done += 1;
      if (done === KILL_AFTER) killed = server.kill();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await killed;
  agent.destroy();
  assert.ok(acknowledged.size >= KILL_AFTER - CONCURRENCY, `only ${acknowledged.size} acknowledged before the kill`);
  assert.ok(failed.length > 0, 'the kill happened before the uploads ended');

  server = await startSigilServer(join(dir, 'data'), ['--only', 'log']);
  try {
    await checkAfterCrash(server.url, acknowledged.values());
    // what failed in the crash is logged now, or was logged before the kill (409)
    const retryAgent = new Agent({ keepAlive: true, maxSockets: 16 });
    for (const i of failed.slice(0, 400)) {
      const a = await post(retryAgent, `${server.url}/api/v1/log/entries`, bodies[i] ?? '');
      assert.ok(a.status === 201 || a.status === 409, `retry of ${i} answered ${a.status}: ${a.body}`);
    }
    retryAgent.destroy();
  } finally {
    assert.equal(await server.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
