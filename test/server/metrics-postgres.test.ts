// /metrics of two log replicas on one PostgreSQL: only the one holding the lease reports itself
// as the sequencer; both report the tree size from storage; each counts its own appends and 409s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { makeTempDir } from '../helpers/registry-server.ts';
import { startPostgres } from '../support/postgres.ts';
import { parsePrometheusText, sampleValue, type Family } from '../support/prometheus-text.ts';
import { makeArtifactSigner } from '../tlog/support.ts';

async function scrape(server: RunningServer): Promise<Map<string, Family>> {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  return parsePrometheusText(await res.text());
}

test('the sequencer gauge is 1 on the replica holding the lease and 0 on the other', async (t) => {
  const dirs = [await makeTempDir(), await makeTempDir()];
  const pg = await startPostgres();
  const running: RunningServer[] = [];
  // servers first, then the database, then the folders
  t.after(async () => {
    for (const s of running) await s.stop(1000);
    await pg.stop();
    for (const d of dirs) await d.cleanup();
  });
  const url = await pg.createDatabase('metrics');
  const start = (dataDir: string): Promise<RunningServer> => startServer({
    address: { host: '127.0.0.1', port: 0 }, dataDir, services: ['log'], logPostgresUrl: url, publicUrl: 'http://sigil.test', logVerifyThreads: 0, log: () => undefined,
  });
  const first = await start(dirs[0]!.dir);
  running.push(first);
  // replicas share the log key
  mkdirSync(join(dirs[1]!.dir, 'log'), { recursive: true });
  copyFileSync(join(dirs[0]!.dir, 'log', 'signing-key.pem'), join(dirs[1]!.dir, 'log', 'signing-key.pem'));
  const second = await start(dirs[1]!.dir);
  running.push(second);
  const signer = makeArtifactSigner();
  const post = async (server: RunningServer, artifact: string): Promise<number> => {
    const res = await fetch(`${server.url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signer.entry(artifact)) });
    await res.arrayBuffer();
    return res.status;
  };
  assert.deepEqual([await post(first, 'one'), await post(first, 'two'), await post(second, 'one'), await post(second, 'three')], [201, 201, 409, 503]);
  const [a, b] = [await scrape(first), await scrape(second)];
  assert.deepEqual([sampleValue(a, 'sigil_log_sequencer'), sampleValue(b, 'sigil_log_sequencer')], [1, 0]);
  assert.deepEqual([sampleValue(a, 'sigil_log_tree_size'), sampleValue(b, 'sigil_log_tree_size')], [2, 2]);
  assert.deepEqual([sampleValue(a, 'sigil_log_appends_total'), sampleValue(b, 'sigil_log_appends_total')], [2, 0]);
  assert.deepEqual([sampleValue(a, 'sigil_log_duplicates_total'), sampleValue(b, 'sigil_log_duplicates_total')], [0, 1]);
  assert.equal(sampleValue(b, 'sigil_http_requests_total', { service: 'log', method: 'POST', code: '503' }), 1);
});
