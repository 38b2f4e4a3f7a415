// `sigil registry gc`: mark from every manifest revision, sweep unreferenced blobs and day-old
// upload sessions; refuses to run while a server holds the data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir, pushBlob, pushImage, startTestServer, type TestServer } from '../helpers/registry-server.ts';

interface GcJson {
  dryRun: boolean;
  blobs: { count: number; bytes: number; digests: string[] };
  uploads: { count: number; bytes: number; ids: string[] };
}

interface Seeded {
  keptBody: string; kept: string; referrer: string; liveReferrer: string; loose: string; dropped: string; oldUpload: string; freshUpload: string;
}

/** Pushes reachable and unreachable content, and a fresh and a day-old upload session. */
async function seed(srv: TestServer, dir: string): Promise<Seeded> {
  const kept = await pushImage(srv.url, 'gc/keep', 'v1', 'kept');
  const subjectDescriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: kept.digest, size: Buffer.byteLength(kept.body) };
  const referrer = await pushImage(srv.url, 'gc/keep', 'sig', 'ref', { subject: subjectDescriptor });
  await fetch(`${srv.url}/v2/gc/keep/manifests/${referrer.digest}`, { method: 'DELETE' });
  const liveReferrer = await pushImage(srv.url, 'gc/keep', 'sig2', 'ref2', { subject: subjectDescriptor });
  const loose = await pushBlob(srv.url, 'gc/loose', 'nobody references me');
  const dropped = await pushImage(srv.url, 'gc/drop', 'v1', 'dropped');
  await fetch(`${srv.url}/v2/gc/drop/manifests/${dropped.digest}`, { method: 'DELETE' });
  const oldUpload = (await fetch(`${srv.url}/v2/gc/keep/blobs/uploads/`, { method: 'POST' })).headers.get('docker-upload-uuid') ?? '';
  const freshUpload = (await fetch(`${srv.url}/v2/gc/keep/blobs/uploads/`, { method: 'POST' })).headers.get('docker-upload-uuid') ?? '';
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString();
  await writeFile(join(dir, 'registry', 'uploads', oldUpload, 'info.json'), JSON.stringify({ name: 'gc/keep', createdAt: twoDaysAgo }));
  return { keptBody: kept.body, kept: kept.digest, referrer: referrer.digest, liveReferrer: liveReferrer.digest, loose, dropped: dropped.digest, oldUpload, freshUpload };
}

test('gc removes unreferenced blobs and old uploads, keeps everything reachable', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const srv = await startTestServer(dir);
  const s = await seed(srv, dir);

  const locked = runCli(['registry', 'gc', '--data', dir]);
  assert.equal(await locked.exit, 3);
  assert.match(locked.stderr(), /ERR_DATA_DIR_LOCKED/);
  await srv.stop();

  const dry = runCli(['registry', 'gc', '--data', dir, '--dry-run', '--output', 'json']);
  assert.equal(await dry.exit, 0);
  const planned = JSON.parse(dry.stdout()) as GcJson;
  assert.equal(planned.dryRun, true);
  // the loose blob and deleted manifests go; a live referrer and its subject stay
  assert.ok(planned.blobs.digests.includes(s.loose));
  assert.ok(planned.blobs.digests.includes(s.dropped));
  assert.ok(planned.blobs.digests.includes(s.referrer));
  assert.ok(!planned.blobs.digests.includes(s.kept));
  assert.ok(!planned.blobs.digests.includes(s.liveReferrer));
  assert.deepEqual(planned.uploads.ids, [s.oldUpload]);
  const blobsBefore = await countBlobs(dir);

  const real = runCli(['registry', 'gc', '--data', dir]);
  assert.equal(await real.exit, 0);
  assert.match(real.stdout(), new RegExp(`removed ${planned.blobs.count} blobs \\(${planned.blobs.bytes} bytes\\) and 1 upload sessions`));
  assert.equal(await countBlobs(dir), blobsBefore - planned.blobs.count);
  assert.deepEqual(await readdir(join(dir, 'registry', 'uploads')), [s.freshUpload]);

  const after = await startTestServer(dir);
  t.after(() => after.stop());
  const res = await fetch(`${after.url}/v2/gc/keep/manifests/v1`);
  assert.equal(await res.text(), s.keptBody);
  const manifest = JSON.parse(s.keptBody) as { config: { digest: string }; layers: { digest: string }[] };
  for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    assert.equal((await fetch(`${after.url}/v2/gc/keep/blobs/${d}`, { method: 'HEAD' })).status, 200);
  }
  assert.equal((await fetch(`${after.url}/v2/gc/loose/blobs/${s.loose}`, { method: 'HEAD' })).status, 404);
  const again = runCli(['registry', 'gc', '--data', dir, '--output', 'json']);
  assert.equal(await again.exit, 3);
});

async function countBlobs(dir: string): Promise<number> {
  let n = 0;
  for (const shard of await readdir(join(dir, 'registry', 'blobs', 'sha256'))) n += (await readdir(join(dir, 'registry', 'blobs', 'sha256', shard))).length;
  return n;
}
