// The log service on PostgreSQL: the whole HTTP suite, and two replicas on one database where
// one sequences, the other serves reads and refuses writes, then takes over when the first stops.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openPostgresLogStore } from '../../src/adapters/postgres/log-store.ts';
import { startPostgres, type PostgresServer } from '../support/postgres.ts';
import { runLogServiceSuite } from './service-suite.ts';
import { get, makeArtifactSigner, makeLogKey, post, startLog, verifyLogEntry, type RunningLog } from './support.ts';

let server: PostgresServer;
before(async () => { server = await startPostgres(); });
after(async () => { await server.stop(); });
let n = 0;

runLogServiceSuite('postgres', async () => openPostgresLogStore({ connectionString: await server.createDatabase(`svc_${++n}`) }));

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

test('postgres: two replicas share one log; one sequences, the other takes over within seconds', async () => {
  const connectionString = await server.createDatabase('replicas');
  const key = makeLogKey();
  const stores = [await openPostgresLogStore({ connectionString }), await openPostgresLogStore({ connectionString })];
  const logs: RunningLog[] = [];
  for (const store of stores) logs.push(await startLog(store, key, { leasePollMs: 200 }));
  try {
    await waitFor('a sequencer', () => logs.some((l) => l.service.isSequencing()), 5000);
    const leader = logs.find((l) => l.service.isSequencing())!;
    const follower = logs.find((l) => l !== leader)!;
    assert.equal(follower.service.isSequencing(), false);
    const signer = makeArtifactSigner();
    for (let i = 0; i < 5; i++) assert.equal((await post(`${leader.url}/api/v1/log/entries`, signer.entry(`p${i}`))).status, 201);
    const refused = await post(`${follower.url}/api/v1/log/entries`, signer.entry('refused'));
    assert.equal(refused.status, 503);
    assert.equal(refused.json.code, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    const read = await get(`${follower.url}/api/v1/log/entries?logIndex=4`);
    assert.equal(read.status, 200);
    verifyLogEntry(follower, read.json);
    assert.equal((await post(`${follower.url}/api/v1/log/entries`, signer.entry('p0'))).status, 409);

    await leader.stop();
    await stores[logs.indexOf(leader)]!.close();
    logs.splice(logs.indexOf(leader), 1);
    const tookMs = await waitFor('the takeover', () => follower.service.isSequencing(), 5000);
    assert.ok(tookMs < 5000);
    const next = await post(`${follower.url}/api/v1/log/entries`, signer.entry('after'));
    assert.equal(next.status, 201);
    assert.equal(verifyLogEntry(follower, next.json).logIndex, 5);
  } finally {
    for (const l of logs) await l.stop();
    for (const s of stores) await s.close().catch(() => undefined);
  }
});

test('postgres: when the sequencer process is killed with SIGKILL, another replica takes over and indices continue', async () => {
  const connectionString = await server.createDatabase('killed');
  const key = makeLogKey();
  const child = spawn(process.execPath, [new URL('./fixtures/pg-replica.ts', import.meta.url).pathname, connectionString, Buffer.from(key.pkcs8Der).toString('hex')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const store = await openPostgresLogStore({ connectionString });
  let survivor: RunningLog | undefined;
  try {
    const [line] = await once(child.stdout!, 'data') as [Buffer];
    const childUrl = line.toString().trim();
    const signer = makeArtifactSigner();
    for (let i = 0; i < 3; i++) assert.equal((await post(`${childUrl}/api/v1/log/entries`, signer.entry(`k${i}`))).status, 201);
    survivor = await startLog(store, key, { leasePollMs: 200 });
    assert.equal(survivor.service.isSequencing(), false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const tookMs = await waitFor('the takeover after kill -9', () => survivor!.service.isSequencing(), 10_000);
    assert.ok(tookMs < 10_000);
    const next = await post(`${survivor.url}/api/v1/log/entries`, signer.entry('after-kill'));
    assert.equal(next.status, 201);
    assert.equal(verifyLogEntry(survivor, next.json).logIndex, 3);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await survivor?.stop();
    await store.close();
  }
});
