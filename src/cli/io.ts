/**
 * What a CLI command may touch: its streams, environment and injected capabilities.
 */

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
  /** long-running commands call this once: the signal aborts when the process is asked to stop (SIGTERM/SIGINT) */
  readonly watchStop?: () => AbortSignal;
}
