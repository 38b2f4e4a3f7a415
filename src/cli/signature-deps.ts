/** The real clock, sleep and jitter the signature store's append loop uses (tests inject theirs via io.deps). */
import { setTimeout as delay } from 'node:timers/promises';
import type { AppendDeps } from '../adapters/signature-store/index.ts';
import type { CliIo } from './io.ts';

/** Append-loop capabilities for a CLI command. */
export function createAppendDeps(io: CliIo): AppendDeps {
  return {
    sleep: io.deps?.sleep ?? (async (ms) => { await delay(ms); }),
    jitter: Math.random,
    monotonicMs: () => performance.now(),
  };
}
