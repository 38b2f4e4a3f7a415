/**
 * Keeps resident memory near the baseline under blob traffic. Every socket read allocates a
 * fresh buffer that dies young, but V8 only collects once external memory has grown by about
 * 64 MiB, so a streaming upload doubles the server's RSS. When `gc` is exposed (bin/sigil runs
 * node with --expose-gc) a cheap young-generation collection runs whenever buffers exceed
 * `thresholdBytes`, checked every `intervalMs`.
 */

/** A running guard. */
export interface MemoryGuard {
  stop(): void;
}

/** Starts the guard; a no-op when `gc` is not exposed. */
export function startMemoryGuard(thresholdBytes = 8 * 1024 * 1024, intervalMs = 50): MemoryGuard {
  const collect = globalThis.gc;
  if (collect === undefined) return { stop: () => undefined };
  const timer = setInterval(() => {
    if (process.memoryUsage().arrayBuffers > thresholdBytes) void collect({ type: 'minor', execution: 'sync' });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
