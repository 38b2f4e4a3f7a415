// Runs the CLI in process with captured streams and a stop signal the test controls.
import { run } from '../../src/cli/main.ts';

/** A CLI run in progress. */
export interface CliRun {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exit: Promise<number>;
  /** acts as SIGTERM */
  stop(): void;
  /** resolves with stdout once it contains `text` */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
}

/** Starts `sigil <argv>` in process. */
export function runCli(argv: readonly string[], cwd = process.cwd()): CliRun {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const exit = run(argv, {
    stdout: { write: (s: string) => { out += s; return true; } },
    stderr: { write: (s: string) => { err += s; return true; } },
    env: {}, cwd, watchStop: () => controller.signal,
  });
  return {
    stdout: () => out,
    stderr: () => err,
    exit,
    stop: () => controller.abort(),
    async waitFor(text, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      while (!out.includes(text)) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; stdout ${JSON.stringify(out)} stderr ${JSON.stringify(err)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return out;
    },
  };
}
