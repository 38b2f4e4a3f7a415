// `sigil scan repo` as users run it: bin/sigil in its own process (the esbuild bundle when setup
// built one, as in CI), not the in-process runner the other scan tests use. A bundled scanner
// once failed every request ("undici.Agent is not a constructor") while the in-process tests passed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runProgram, runSigil, PROJECT_ROOT } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';

let dir = '';
let server: SigilServerProcess;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigil-scan-process-'));
  server = await startSigilServer(join(dir, 'data'), ['--only', 'registry']);
  const layout = join(dir, 'layout');
  const made = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), layout]);
  assert.equal(made.code, 0, made.stderr);
  const pushed = await runPeer('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${server.host}/scan/app:v1`]);
  assert.equal(pushed.code, 0, pushed.stderr);
});

after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

test('bin/sigil scan repo lists the catalog and reports the unsigned tag, with no problems', async () => {
  const r = await runSigil(['scan', 'repo', server.host, '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { problems: unknown[]; summary: { entries: number; signatures: number; unsigned: number } };
  assert.deepEqual(doc.problems, []);
  assert.ok(doc.summary.entries >= 1, r.stdout);
  assert.equal(doc.summary.signatures, 0);
  assert.ok(doc.summary.unsigned >= 1, r.stdout);
});
