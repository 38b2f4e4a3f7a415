/**
 * The CLI's stdout and stderr: text written straight to the descriptor. process.stdout and
 * process.stderr are streams Node builds on first use (over a pipe, a net.Socket: 1.5-2 ms of a
 * short run such as `verify --key`, which prints to both). On Linux Node writes to them at once
 * too; only when a write cannot complete at once (a full non-blocking pipe) or fails (a closed
 * reader or descriptor) does this hand that write, and every later one, to Node's stream, which
 * then queues, reports or discards exactly as it always did.
 */
import type { TextSink } from './io.ts';

/** A TextSink over descriptor `fd` (1 or 2) that falls back to `stream()` (process.stdout or stderr). */
export function createStdioSink(fd: number, stream: () => NodeJS.WritableStream): TextSink {
  const fs = process.getBuiltinModule('node:fs');
  let fallback: NodeJS.WritableStream | undefined;
  return {
    isTTY: process.getBuiltinModule('node:tty').isatty(fd),
    write(text: string): boolean {
      if (fallback) return fallback.write(text);
      let bytes = Buffer.from(text, 'utf8');
      try {
        while (bytes.length > 0) bytes = bytes.subarray(fs.writeSync(fd, bytes));
        return true;
      } catch {
        fallback = stream();
        return fallback.write(bytes);
      }
    },
  };
}
