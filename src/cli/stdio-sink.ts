/**
 * The CLI's stdout and stderr: text and bytes written straight to the descriptor. process.stdout and
 * process.stderr are streams Node builds on first use (over a pipe, a net.Socket: 1.5-2 ms of a
 * short run such as `verify --key`, which prints to both). The difference from Node's stream: a
 * write to a pipe its reader has not emptied waits here until it is written (files and terminals
 * are written synchronously by Node too), where Node queues it and writes it from the event loop.
 * A short command prints little and then exits, so it loses nothing by waiting; `sigil server`,
 * which must not stall on a slow log reader, keeps Node's streams (src/cli/main.ts). A write the
 * descriptor refuses (a non-blocking pipe that is full, a closed reader or descriptor) goes to
 * Node's stream, as does every later one, which then queues, reports or discards as it always did.
 */
import type { TextSink } from './io.ts';

/** A TextSink over descriptor `fd` (1 or 2) that falls back to `stream()` (process.stdout or stderr). */
export function createStdioSink(fd: number, stream: () => NodeJS.WritableStream): TextSink {
  const fs = process.getBuiltinModule('node:fs');
  let fallback: NodeJS.WritableStream | undefined;
  return {
    isTTY: process.getBuiltinModule('node:tty').isatty(fd),
    write(text: string | Uint8Array): boolean {
      if (fallback) return fallback.write(text);
      let bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
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
