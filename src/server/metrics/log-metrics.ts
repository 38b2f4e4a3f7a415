/**
 * The transparency log's metrics: appends and duplicates counted by the log's observer port as
 * they happen, batch sizes, and the tree size and sequencer role read at scrape time.
 */
import type { LogObserver } from '../../tlog/index.ts';
import { createCounter, createHistogram } from './cells.ts';
import type { MetricsRegistry } from './prom.ts';

/** What the scrape reads from the running log. */
export interface LogState {
  /** the size of the newest stored tree head (0 for an empty log) */
  treeSize(): Promise<number>;
  /** true while this replica holds the sequencer lease */
  isSequencing(): boolean;
}

/** Group-commit batch sizes: 1 up to the default maximum of 256 entries. */
export const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Registers the log's metrics; the observer goes to the log service, `state` is read at each scrape. */
export function createLogMetrics(registry: MetricsRegistry, state: () => LogState | undefined): LogObserver {
  const appends = createCounter('sigil_log_appends_total', 'Entries appended to the log by this replica (durable before answered).');
  const duplicates = createCounter('sigil_log_duplicates_total', 'Proposed entries refused as already logged (HTTP 409).');
  const batches = createHistogram('sigil_log_batch_entries', 'New entries per committed group-commit batch.', BATCH_BUCKETS);
  for (const m of [appends, duplicates, batches]) registry.add(m);
  registry.gauge('sigil_log_tree_size', 'Entries in the log: the size of its newest signed tree head.', async () => (await state()?.treeSize()) ?? 0);
  registry.gauge('sigil_log_sequencer', '1 while this replica is the log\'s sequencer (holds the lease; always 1 on SQLite), else 0.', () => (state()?.isSequencing() === true ? 1 : 0));
  const appended = appends.cell();
  const duplicate = duplicates.cell();
  const batch = batches.cell();
  return {
    batchCommitted(n) {
      appended.value += n;
      if (n > 0) batches.observe(batch, n);
    },
    duplicateRefused() { duplicate.value += 1; },
  };
}
