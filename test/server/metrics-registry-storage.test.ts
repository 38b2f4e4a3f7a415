/**
 * The registry's metrics wrap its storage ports at the composition root; the wrapper must keep
 * every port's meaning. In particular an upload's chunks handed over (`chunksOwned`) must still
 * be freed once written, which keeps a 64 MiB push from piling up dead body buffers (issue 2's
 * memory measure), while their bytes are counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openFsRegistryStorage } from '../../src/adapters/fs/fs-registry.ts';
import { instrumentRegistryStorage } from '../../src/server/metrics/registry-metrics.ts';
import { createMetricsRegistry } from '../../src/server/metrics/prom.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.ts';

test('instrumented upload content frees owned chunks once written and counts their bytes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-metrics-storage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const metrics = createMetricsRegistry();
  const opened = await openFsRegistryStorage(dir);
  const storage = instrumentRegistryStorage(metrics, opened, async () => 0);
  await storage.sessions.create('team/app', 'u1', new Date(0));
  const owned = [new Uint8Array(65536).fill(1), new Uint8Array(100).fill(2)];
  const size = await storage.content.append('team/app', 'u1', (async function* () { yield* owned; })(), true);
  assert.equal(size, 65636);
  assert.ok(owned.every((c) => c.buffer.detached && c.byteLength === 0), 'owned chunks are freed through the wrapper');

  const kept = [new Uint8Array(10).fill(3)];
  assert.equal(await storage.content.append('team/app', 'u1', (async function* () { yield* kept; })()), 65646);
  assert.ok(!kept[0]?.buffer.detached && kept[0]?.[0] === 3, 'chunks not handed over stay the caller\'s');

  const chunks: Uint8Array[] = [];
  for await (const c of storage.content.read('team/app', 'u1')) chunks.push(c);
  const data = Buffer.concat(chunks);
  assert.equal(data.length, 65646);
  assert.ok(data.subarray(0, 65536).every((b) => b === 1) && data[65536] === 2 && data[65645] === 3);

  const families = parsePrometheusText(await metrics.expose());
  assert.equal(sampleValue(families, 'sigil_registry_blob_received_bytes_total', {}), 65646);
});
