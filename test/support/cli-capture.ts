// Runs the CLI in-process with captured output, an injected environment and working directory.
import { run } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import type { Terminal } from '../../src/adapters/terminal.ts';

/** What one CLI run produced. */
export interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs `sigil argv` with `env`, `cwd` and an optional fake terminal. */
export async function runCli(argv: readonly string[], options: { env?: Record<string, string>; cwd?: string; terminal?: Terminal } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
    env: options.env ?? {},
    cwd: options.cwd ?? '.',
    terminal: options.terminal,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** A fake terminal answering from a list, recording the prompts. */
export function scriptedTerminal(answers: string[]): Terminal & { readonly prompts: string[] } {
  const prompts: string[] = [];
  const next = async (prompt: string): Promise<string> => { prompts.push(prompt); return answers.shift() ?? ''; };
  return { prompts, readLine: next, readSecret: next };
}
