// The server's memory guard: short-lived buffers (as the HTTP parser makes for every chunk of an
// upload) are collected after a few MiB rather than after the tens of MiB V8 waits for by itself.
// Runs in child processes started with --expose-gc, with and without the guard, on the same load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../support/peers.ts';

/** Peak growth of external memory (MiB) while 48 MiB of 64 KiB buffers are made and dropped. */
function peakGrowthMiB(withGuard: boolean, exposeGc = true): Promise<number> {
  const guard = pathToFileURL(join(PROJECT_ROOT, 'src', 'server', 'memory-guard.ts')).href;
  const script = `
    const { getHeapStatistics } = await import('node:v8');
    const { startMemoryGuard } = await import(${JSON.stringify(guard)});
    const g = ${withGuard} ? startMemoryGuard() : { stop() {} };
    const base = getHeapStatistics().external_memory;
    let peak = 0;
    for (let i = 0; i < 768; i++) {
      const chunk = Buffer.alloc(64 * 1024, i);
      if (chunk[100] !== (i & 255)) throw new Error('bad buffer');
      peak = Math.max(peak, getHeapStatistics().external_memory - base);
      // about 32 MB/s, a socket's pace: the guard's timer gets its turns
      if (i % 16 === 15) await new Promise((r) => setTimeout(r, 30));
    }
    g.stop();
    process.stdout.write(String(peak / 1048576));`;
  const flags = exposeGc ? ['--expose-gc'] : [];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...flags, '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`child failed: ${stderr}`, { cause: error }));
      else resolve(Number(stdout));
    });
  });
}

test('the guard keeps dead buffers to a few MiB where V8 alone lets tens pile up', async () => {
  const [guarded, unguarded] = await Promise.all([peakGrowthMiB(true), peakGrowthMiB(false)]);
  assert.ok(guarded < 8, `with the guard external memory grew by ${guarded.toFixed(1)} MiB`);
  assert.ok(unguarded > 16, `without the guard external memory grew by only ${unguarded.toFixed(1)} MiB`);
});

test('without an exposed gc the guard does nothing and stops cleanly', async () => {
  const growth = await peakGrowthMiB(true, false);
  assert.ok(growth > 16, `external memory grew by only ${growth.toFixed(1)} MiB`);
});
