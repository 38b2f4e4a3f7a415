/**
 * A one-line progress display for big blob transfers, drawn on stderr only when it is a TTY.
 */
import type { TextSink } from './io.ts';

/** Reports bytes sent for one transfer at a time. */
export interface Progress {
  update(label: string, sentBytes: number, totalBytes: number): void;
  done(): void;
}

/** Blobs smaller than this show no progress. */
export const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

const MIB = 1024 * 1024;

/** Creates a progress line on `sink`, or a silent one when `sink` is not a terminal. */
export function createProgress(sink: TextSink): Progress {
  if (!sink.isTTY) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(label, sent, total) {
      if (total < PROGRESS_MIN_BYTES) return;
      const percent = total > 0 ? Math.floor((sent / total) * 100) : 100;
      sink.write(`\r\x1b[2K${label} ${(sent / MIB).toFixed(1)}/${(total / MIB).toFixed(1)} MiB ${percent}%`);
      drawn = true;
    },
    done() {
      if (drawn) sink.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
