/**
 * cosign's root flags on sigil's cosign verbs: `-t/--timeout DURATION` (the whole command's
 * deadline) and `--output-file FILE` (what the command prints on stdout goes to FILE instead;
 * stderr stays). `-d/--verbose` is sigil's program-wide --verbose (main.ts).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InternalError, UpstreamError } from '../core/index.ts';
import { parseGoDuration } from './go-duration.ts';
import type { CliIo } from './io.ts';

/** The root flags as commander hands them over. */
export interface RootFlags {
  readonly timeout?: string;
  readonly outputFile?: string;
}

/** Adds cosign's root flags to one command. */
export function addRootOptions(command: Command): Command {
  return command
    .option('-t, --timeout <duration>', 'give up after this long (a Go duration: 90s, 3m0s, 1h); 0 or unset: no overall deadline')
    .option('--output-file <file>', 'write what the command prints on stdout to this file instead (created or truncated)');
}

/** What the root flags set up for one run; `close` undoes it. */
export interface RootSetup {
  readonly io: CliIo;
  /** rejects with ERR_COMMAND_TIMEOUT when the deadline passes; never settles without one */
  readonly deadline: Promise<never>;
  close(): void;
}

/**
 * Applies the root flags: the deadline's timer (not keeping the process alive) and the stdout file.
 * @throws ERR_USAGE for a malformed duration; ERR_FILE_IO when the output file cannot be created
 */
export function startRootOptions(io: CliIo, flags: RootFlags): RootSetup {
  const ms = flags.timeout === undefined ? 0 : parseGoDuration('--timeout', flags.timeout);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (ms <= 0) return;
    timer = setTimeout(() => reject(new UpstreamError('ERR_COMMAND_TIMEOUT', `the command did not finish within --timeout ${flags.timeout ?? ''}`)), ms);
    timer.unref();
  });
  deadline.catch(() => undefined);
  const fd = flags.outputFile ? openOutputFile(resolve(io.cwd, flags.outputFile)) : undefined;
  const stdout = fd === undefined ? io.stdout : { write: (text: string) => writeSync(fd, text) };
  return {
    io: { ...io, stdout },
    deadline,
    close: () => {
      if (timer !== undefined) clearTimeout(timer);
      if (fd !== undefined) closeSync(fd);
    },
  };
}

function openOutputFile(path: string): number {
  try {
    return openSync(path, 'w', 0o644);
  } catch (error) {
    throw new InternalError('ERR_FILE_IO', `cannot create --output-file ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
