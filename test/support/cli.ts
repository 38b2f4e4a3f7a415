// Runs the CLI in-process through run(argv, io) with captured output.
import { tmpdir } from 'node:os';
import { run } from '../../src/cli/main.ts';
import type { CliDeps } from '../../src/cli/io.ts';
import { makeTempDir } from './temp.ts';

/** What a CLI run produced. */
export interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** An environment with an empty docker config directory and the test's PATH. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { DOCKER_CONFIG: makeTempDir('docker-config'), PATH: process.env['PATH'] ?? '', HOME: tmpdir(), ...extra };
}

/** Runs `sigil <argv>`; sleeps are recorded in `sleeps` when given, else skipped. */
export async function runCli(argv: readonly string[], options: { env?: Record<string, string>; deps?: CliDeps; sleeps?: number[]; stderrIsTty?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sleeps = options.sleeps;
  const code = await run(argv, {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; }, isTTY: options.stderrIsTty ?? false },
    env: options.env ?? isolatedEnv(),
    cwd: process.cwd(),
    deps: { sleep: async (ms) => { sleeps?.push(ms); }, registryTimeoutMs: 10_000, ...options.deps },
  });
  return { code, stdout, stderr };
}
