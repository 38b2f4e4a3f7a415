// Reliability on PostgreSQL: two `sigil server --only log` replicas share one database (and one
// log key). 10,000 uploads go to the sequencer; it is killed with SIGKILL part-way; the clients
// move to the other replica, which takes over within seconds. Every acknowledged entry is there
// at its index, no index is used twice, and the tree is consistent with every checkpoint returned
// by either replica.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { startPostgres, type PostgresServer } from '../support/postgres.ts';
import { checkAfterCrash, makeProposals, parseCreated, post, type Logged } from './crash-support.ts';

const TOTAL = 10_000;
const CONCURRENCY = 32;
const KILL_AFTER = 3_000;
const PUBLIC_URL = 'http://sigil-log.test';

let pg: PostgresServer;
let dir = '';
before(async () => { pg = await startPostgres(); dir = mkdtempSync(join(tmpdir(), 'sigil-crash-pg-')); });
after(async () => { await pg.stop(); rmSync(dir, { recursive: true, force: true }); });

test('kill -9 of the sequencing replica during 10,000 uploads: the other takes over and loses nothing', { timeout: 600_000 }, async () => {
  const url = await pg.createDatabase('crash');
  const args = ['--only', 'log', '--log-postgres-url', url, '--public-url', PUBLIC_URL];
  const a = await startSigilServer(join(dir, 'a'), args);
  // replicas of one log share its key: the checkpoint signer and the log id
  mkdirSync(join(dir, 'b', 'log'), { recursive: true });
  copyFileSync(join(dir, 'a', 'log', 'signing-key.pem'), join(dir, 'b', 'log', 'signing-key.pem'));
  const b: SigilServerProcess = await startSigilServer(join(dir, 'b'), args);
  const bodies = makeProposals(TOTAL);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  const acknowledged = new Map<number, Logged>();
  let target = a.url;
  let next = 0;
  let done = 0;
  let killedAt = 0;
  let firstAfterKill = 0;
  let killed: Promise<void> | undefined;
  const upload = async (i: number): Promise<void> => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const answer = await post(agent, `${target}/api/v1/log/entries`, bodies[i] ?? '');
      if (answer.status === 201) {
        acknowledged.set(i, parseCreated(answer.body));
        if (killedAt > 0 && firstAfterKill === 0) firstAfterKill = performance.now();
        return;
      }
      if (answer.status === 409) return; // logged by the killed replica just before it died
      assert.ok(answer.status === 0 || answer.status === 503, `upload ${i} answered ${answer.status}: ${answer.body}`);
      target = b.url;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`upload ${i} never succeeded`);
  };
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      await upload(next++);
      done += 1;
      if (done === KILL_AFTER) { killedAt = performance.now(); killed = a.kill(); }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await killed;
    assert.ok(killedAt > 0 && firstAfterKill > killedAt, 'the sequencer was killed while uploads ran');
    assert.ok(firstAfterKill - killedAt < 10_000, `takeover took ${Math.round(firstAfterKill - killedAt)} ms`);
    assert.ok(acknowledged.size >= TOTAL - 2 * CONCURRENCY, `only ${acknowledged.size} of ${TOTAL} acknowledged`);
    await checkAfterCrash(b.url, acknowledged.values());
  } finally {
    agent.destroy();
    assert.equal(await b.stop(), 0);
  }
});
