// Where a whole-process `sigil sign` spends its time, measured beside the keyless signing
// benchmark: loading the sign command's modules, the same signing in a warm process with the
// deliberate waits of the `.sig` tag append check counted, and this disk's durable SQLite commit
// rate (the CT log commits once per batch of concurrent certificates).
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { PROJECT_ROOT, runProgram } from '../test/support/peers.ts';
import { run } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/io.ts';

/** Median and 90th percentile of a list of milliseconds. */
export function medianAndP90(ms: readonly number[]): { readonly medianMs: number; readonly p90Ms: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { medianMs: at(50), p90Ms: at(90) };
}

/**
 * Median wall time of a Node process (the project's Node, bin/sigil's flags and compile cache)
 * that loads the CLI and the `sign` command's implementation, then exits without signing.
 */
export async function signModuleLoadMs(runs: number): Promise<number> {
  const node = join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
  const urls = ['src/cli/main.ts', 'src/cli/commands/sign-run.ts'].map((p) => pathToFileURL(join(PROJECT_ROOT, p)).href);
  const script = urls.map((u) => `await import(${JSON.stringify(u)});`).join(' ');
  const env = { NODE_COMPILE_CACHE: process.env['NODE_COMPILE_CACHE'] ?? join(PROJECT_ROOT, 'node_modules', '.cache', 'sigil-compile') };
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const r = await runProgram(node, ['--expose-gc', '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { env });
    if (r.code !== 0) throw new Error(`loading the sign command failed: ${r.stderr}`);
    times.push(performance.now() - started);
  }
  return medianAndP90(times).medianMs;
}

/** A warm in-process `sigil sign`: its time and the part spent in the append check's waits. */
export interface InProcessSign { readonly medianMs: number; readonly sleptMedianMs: number }

/**
 * Runs `sigil sign <args> <ref(i)>` in this process `refs.length` times through the CLI's own
 * entry (`run`), with a sleep that counts what it waits (only the `.sig` append check sleeps when
 * nothing fails); the first run warms up and is not counted.
 */
export async function inProcessSign(args: readonly string[], refs: readonly string[]): Promise<InProcessSign> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-inproc-'));
  let slept = 0;
  const quiet = { write: (): boolean => true };
  const io: CliIo = { stdout: quiet, stderr: quiet, env: {}, cwd: dir, deps: { sleep: async (ms: number) => { slept += ms; await delay(ms); } } };
  const total: number[] = [];
  const waits: number[] = [];
  try {
    for (const [i, ref] of refs.entries()) {
      slept = 0;
      const started = performance.now();
      const code = await run(['sign', ...args, ref], io);
      if (code !== 0) throw new Error(`in-process sigil sign exited ${code}`);
      if (i > 0) { total.push(performance.now() - started); waits.push(slept); }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { medianMs: medianAndP90(total).medianMs, sleptMedianMs: medianAndP90(waits).medianMs };
}

/** Durable single-row SQLite commits per second (WAL, synchronous=FULL) on the temporary directory's disk, one after another. */
export async function durableCommitsPerSec(seconds: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-fsync-'));
  const db = new DatabaseSync(join(dir, 'commits.db'));
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (i INTEGER PRIMARY KEY, v BLOB)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const row = new Uint8Array(700);
    const started = performance.now();
    let count = 0;
    while (count < 20 || performance.now() - started < seconds * 1000) {
      db.exec('BEGIN IMMEDIATE');
      insert.run(row);
      db.exec('COMMIT');
      count += 1;
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
