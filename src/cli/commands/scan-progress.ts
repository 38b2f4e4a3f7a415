/**
 * The one-line progress counter `sigil scan` and `sigil scan-repo` draw on a terminal's stderr:
 * entries scanned and signatures found, redrawn at most every 100 ms, erased when done; nothing
 * at all when stderr is not a terminal.
 */
import type { TextSink } from '../io.ts';

/** A progress line that counts scanned entries. */
export interface ScanProgress<E> {
  tick(entry: E): void;
  done(): void;
}

/** Creates the progress line on `sink`; each ticked entry adds its signatures to the count. */
export function createScanProgress<E extends { readonly signatures: readonly unknown[] }>(sink: TextSink): ScanProgress<E> {
  let entries = 0;
  let signatures = 0;
  let last = 0;
  return {
    tick(entry) {
      entries += 1;
      signatures += entry.signatures.length;
      const now = Date.now();
      if (sink.isTTY === true && now - last >= 100) { last = now; sink.write(`\r\x1b[Kscanned ${entries} entries, ${signatures} signatures`); }
    },
    done() { if (sink.isTTY === true && last > 0) sink.write('\r\x1b[K'); },
  };
}
