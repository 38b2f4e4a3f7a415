/**
 * What a CLI command may touch: its streams, environment and injected capabilities.
 */
import type { Terminal } from '../adapters/terminal.ts';

/** A text sink (process.stdout in production, a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Streams and environment a command runs with. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** prompts for passwords and confirmations; absent when stdin is not a terminal */
  readonly terminal?: Terminal | undefined;
  /** long-running commands call this once: the signal aborts when the process is asked to stop (SIGTERM/SIGINT) */
  readonly watchStop?: () => AbortSignal;
}
