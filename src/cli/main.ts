/**
 * The CLI's composition root: parses argv with commander, runs one command, maps errors to exit
 * statuses. `run` is what tests call; the bottom of the file wires it to the real process.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.ts';
import { exitNow, reportError, setExitCode } from './exit.ts';
import type { CliIo } from './io.ts';
import { createTerminal } from '../adapters/terminal.ts';
import { createStdioSink } from './stdio-sink.ts';
import { COMMANDS, COMMANDS_BY_NAME } from './commands/index.ts';
import { applyCosignCompat, applyCosignEnv, isCosignVerb, normalizeBooleanFlags } from './commands/cosign-compat.ts';
import { startRootOptions, type RootFlags, type RootSetup } from './root-options.ts';

/** What a command's action receives besides its own arguments. */
export interface CommandContext {
  /** replaced before the action runs when --output-file sends stdout to a file */
  io: CliIo;
  /** set by an action to the exit status it wants (default 0) */
  exitCode: number;
}

/**
 * Builds the commander program with every command registered, or with only `only` when that names
 * a command: what `sigil NAME ...` parses and prints is the same either way.
 */
export function createProgram(ctx: CommandContext, only?: string): Command {
  const { io } = ctx;
  const program = new Command('sigil')
    .description('sign, verify, store and log software artifacts; wire-compatible with Sigstore tools')
    .option('-d, --verbose', 'print the cause chain of errors')
    .showSuggestionAfterError(true)
    .configureHelp({ helpWidth: 100 })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => undefined,
    });
  const single = only !== undefined && Object.hasOwn(COMMANDS_BY_NAME, only) ? COMMANDS_BY_NAME[only] : undefined;
  for (const register of single ? [single] : COMMANDS) register(program, ctx);
  applyCosignCompat(program);
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit status; `onTimeout`
 * is called when the command's --timeout passed (its requests may still be under way).
 */
export async function run(argv: readonly string[], io: CliIo, onTimeout?: () => void): Promise<number> {
  const ctx: CommandContext = { io, exitCode: 0 };
  const program = createProgram(ctx, argv[0]);
  let root: RootSetup | undefined;
  let rejectTimeout: (error: unknown) => void = () => undefined;
  const timedOut = new Promise<never>((_, reject) => { rejectTimeout = reject; });
  timedOut.catch(() => undefined);
  program.hook('preAction', (_program, action) => {
    // cosign's root flags and environment belong to its verbs; `sigil login --timeout` is its own
    if (!isCosignVerb(action)) return;
    applyCosignEnv(action, io.env);
    root = startRootOptions(io, action.opts<RootFlags>());
    ctx.io = root.io;
    root.deadline.catch((error: unknown) => { onTimeout?.(); rejectTimeout(error); });
  });
  try {
    await Promise.race([program.parseAsync(normalizeBooleanFlags(program, argv), { from: 'user' }), timedOut]);
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const message = error.message.replace(/^error: /, '');
      return reportError(new UsageError('ERR_USAGE', message), io.stderr, false);
    }
    const verbose = argv.includes('--verbose') || argv.includes('-d');
    return reportError(error, io.stderr, verbose);
  } finally {
    root?.close();
  }
}

/** Runs the CLI on the real process: argv, streams, environment, terminal, signals; sets the exit status. */
export async function main(): Promise<void> {
  let timedOut = false;
  const argv = process.argv.slice(2);
  // a long-running server writes through Node's streams, which never stall it (src/cli/stdio-sink.ts)
  const streams = argv.includes('server');
  const code = await run(argv, {
    stdout: streams ? process.stdout : createStdioSink(1, () => process.stdout),
    stderr: streams ? process.stderr : createStdioSink(2, () => process.stderr),
    env: process.env,
    cwd: process.cwd(),
    // isatty, not process.stdin.isTTY: touching process.stdin builds a stream (net, fs, readline) that most runs never read
    terminal: process.getBuiltinModule('node:tty').isatty(0) ? createTerminal(process.stdin, process.stderr) : undefined,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    watchStop: () => {
      // only long-running commands ask; others keep the default signal behaviour
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return controller.signal;
    },
  }, () => { timedOut = true; });
  // past --timeout, requests still under way must not keep the process (cosign's context is cancelled)
  if (timedOut) exitNow(code);
  setExitCode(code);
}

if (import.meta.main) await main();
