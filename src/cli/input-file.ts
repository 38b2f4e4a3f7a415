/** Reads a file named on the command line, turning "no such file" into a usage-level input error. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, InternalError, UsageError } from '../core/index.ts';
import type { CliIo } from './io.ts';

/**
 * The bytes of `path` (relative to `cwd`); `what` names it in messages ("artifact", "signature").
 * @throws ERR_FILE_NOT_FOUND (exit 2) when it does not exist, ERR_FILE_IO when it cannot be read
 */
export async function readInputFile(cwd: string, path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolve(cwd, path)));
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError('ERR_FILE_NOT_FOUND', `${what} ${path} does not exist`, { cause });
    throw new InternalError('ERR_FILE_IO', `cannot read ${what} ${path}`, { cause });
  }
}

/**
 * Everything on standard input (cosign's `-` for a file flag); `what` names the flag in messages.
 * @throws ERR_USAGE when this run has no standard input to read
 */
export async function readStandardInput(io: CliIo, what: string): Promise<Uint8Array> {
  if (io.readStdin === undefined) throw new UsageError('ERR_USAGE', `${what}: no standard input to read`);
  return io.readStdin();
}
