/**
 * What a CLI command may touch: its streams, environment and injected capabilities.
 */
import type { Sleep } from '../core/index.ts';
import type { Terminal } from '../adapters/terminal.ts';
import type { HttpFetch } from '../adapters/http-clients/fetch.ts';

/** A text sink (process.stdout in production, a buffer in tests); bytes only where a command prints raw bytes (sign-blob --b64=false). */
export interface TextSink {
  write(text: string | Uint8Array): unknown;
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
  /** reads all of standard input (a flag given as `-`); absent where there is none */
  readonly readStdin?: () => Promise<Uint8Array>;
  /** long-running commands call this once: the signal aborts when the process is asked to stop (SIGTERM/SIGINT) */
  readonly watchStop?: () => AbortSignal;
  /** capabilities tests replace; the real ones are used when absent */
  readonly deps?: CliDeps;
}

/** Replaceable capabilities of the CLI (tests pass fakes; production passes none). */
export interface CliDeps {
  readonly fetch?: HttpFetch;
  readonly sleep?: Sleep;
  /** per registry request (default 60 s) */
  readonly registryTimeoutMs?: number;
  /** registry upload chunk size (default 8 MiB) */
  readonly chunkSizeBytes?: number;
  /** opens a URL for the user (sigil login; default: $BROWSER or xdg-open when there is a display) */
  readonly openUrl?: (url: string) => Promise<void>;
}
