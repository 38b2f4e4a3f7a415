/**
 * Keeps resident memory near the baseline under blob traffic. Node's HTTP parser copies every
 * chunk of a request body into a fresh buffer that dies young, but V8 counts those buffers as
 * external memory and only collects for them once it has grown by tens of MiB: a streaming upload
 * would pile garbage up to that much, and the allocator keeps the pages afterwards. When `gc` is
 * exposed (bin/sigil runs `sigil server` with --expose-gc), a young-generation collection (well
 * under a millisecond with the server's small young generation) runs whenever external memory has
 * grown by `thresholdBytes` since the last one, checked every `intervalMs`. Blob uploads no longer
 * depend on it (the registry frees each chunk once written: src/adapters/fs/file-append.ts); it
 * catches the other request bodies (manifests, log entries, certificate requests).
 */
import { getHeapStatistics } from 'node:v8';

/** A running guard. */
export interface MemoryGuard {
  stop(): void;
}

/** Starts the guard; a no-op when `gc` is not exposed. */
export function startMemoryGuard(thresholdBytes = 2 * 1024 * 1024, intervalMs = 10): MemoryGuard {
  const collect = globalThis.gc;
  if (collect === undefined) return { stop: () => undefined };
  // external memory right after the last collection: live buffers (cached manifests) stay out of the count
  let floor = getHeapStatistics().external_memory;
  const timer = setInterval(() => {
    // getHeapStatistics costs about 2 µs; process.memoryUsage() reads /proc and costs 20 times that
    const external = getHeapStatistics().external_memory;
    if (external - floor > thresholdBytes) {
      void collect({ type: 'minor', execution: 'sync' });
      floor = getHeapStatistics().external_memory;
    } else if (external < floor) {
      floor = external;
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
