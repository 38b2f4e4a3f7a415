/**
 * The one place that turns an error into a message and an exit status.
 */
import { ERRORS, isAppError, type AppError } from '../core/errors.ts';
import type { TextSink } from './io.ts';

/**
 * Prints `error: <message> (<code>)` (and the cause chain when verbose); returns the exit status.
 * With `subject` (one of many inputs that failed) the line reads `error: <subject>: <message> (<code>)`.
 */
export function reportError(error: unknown, stderr: TextSink, verbose: boolean, subject?: string): number {
  const app: AppError | undefined = isAppError(error) ? error : undefined;
  const prefix = subject === undefined ? '' : `${subject}: `;
  if (app) {
    stderr.write(`error: ${prefix}${app.message} (${app.code})\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`error: ${prefix}internal error: ${message} (ERR_INTERNAL)\n`);
  }
  if (verbose) printCauses(error, stderr);
  return app ? ERRORS[app.code].exit : ERRORS.ERR_INTERNAL.exit;
}

function printCauses(error: unknown, stderr: TextSink): void {
  let cause = error instanceof Error ? error.cause : undefined;
  let depth = 0;
  while (cause !== undefined && depth < 8) {
    const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    stderr.write(`  caused by: ${text}\n`);
    if (!isAppError(error) && cause instanceof Error && cause.stack) stderr.write(`${cause.stack}\n`);
    cause = cause instanceof Error ? cause.cause : undefined;
    depth += 1;
  }
  if (!isAppError(error) && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
}

/**
 * Sets the process exit status; the only writer of process.exitCode. The process then ends at its
 * exit event (endAtExit).
 */
export function setExitCode(code: number): void {
  process.exitCode = code;
  process.removeListener('exit', endAtExit);
  process.on('exit', endAtExit);
}

/**
 * Ends the process as it exits anyway, with the status it exits with: once the event loop has
 * drained and every other exit listener has run (else the exit is left to Node). That spares
 * Node's teardown of the environment and the heap, about 1 ms of a short run's CPU; CPU profiles
 * and coverage are still written.
 */
function endAtExit(code: number): void {
  if (process.listeners('exit').at(-1) === endAtExit) process.exit(code);
}

/** Ends the process now with `code` (a command past its --timeout; stdout and stderr writes to pipes and files are synchronous). */
export function exitNow(code: number): never {
  process.exit(code);
}
