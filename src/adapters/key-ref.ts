/**
 * Reads the text a `--key` reference points at: a file path (relative to the working directory)
 * or `env://VAR`, as cosign's blob loader does. KMS, Kubernetes, GitLab, PKCS#11 and URL
 * references are refused with their own code.
 */
import { resolve } from 'node:path';
import { InputError, InternalError, UsageError, decodeUtf8 } from '../core/index.ts';
import { readSmallFile, statSmallFile } from './fs/small-file.ts';

/** Key text and a printable name for where it came from (never the text itself). */
export interface KeyText {
  readonly text: string;
  /** the file path as given, or `env://VAR` */
  readonly source: string;
}

/** What reading a key reference may touch. */
export interface KeyRefDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Key files are a few KiB; anything past this is not a key. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/**
 * Reads the key text `ref` names.
 * @throws ERR_USAGE for an empty reference
 * @throws ERR_KEY_REF_UNSUPPORTED for any `scheme://` but env://, and for `pkcs11:`
 * @throws ERR_KEY_ENV_UNSET when the env:// variable is not set
 * @throws ERR_FILE_NOT_FOUND when the file does not exist
 * @throws ERR_INPUT_INVALID when the path is not a regular file
 * @throws ERR_KEY_MALFORMED when the file is too large or not UTF-8
 * @throws ERR_FILE_IO when the file cannot be read
 */
export async function readKeyRef(ref: string, deps: KeyRefDeps): Promise<KeyText> {
  if (ref === '') throw new UsageError('ERR_USAGE', '--key must not be empty');
  const scheme = SCHEME.exec(ref)?.[1]?.toLowerCase() ?? (ref.startsWith('pkcs11:') ? 'pkcs11' : undefined);
  if (scheme === 'env') return readEnvRef(ref, deps.env);
  if (scheme !== undefined) {
    throw new UsageError('ERR_KEY_REF_UNSUPPORTED', `key reference scheme ${scheme} is not supported: use a key file path or env://VAR`);
  }
  return { text: await readKeyFile(ref, resolve(deps.cwd, ref)), source: ref };
}

function readEnvRef(ref: string, env: KeyRefDeps['env']): KeyText {
  const name = ref.slice('env://'.length);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError('ERR_USAGE', `env:// needs a variable name, got ${JSON.stringify(ref.slice(0, 80))}`);
  const text = env[name];
  if (text === undefined) throw new InputError('ERR_KEY_ENV_UNSET', `environment variable ${name} named by ${ref} is not set`);
  return { text, source: ref };
}

async function readKeyFile(shown: string, path: string): Promise<string> {
  try {
    const info = await statSmallFile(path);
    if (!info.isFile()) throw new InputError('ERR_INPUT_INVALID', `key file ${shown} is not a regular file`);
    if (info.size > MAX_KEY_FILE_BYTES) throw new InputError('ERR_KEY_MALFORMED', `key file ${shown} is ${info.size} bytes, more than a key file holds`);
    return decodeUtf8(await readSmallFile(path));
  } catch (error) {
    throw toKeyFileError(error, shown);
  }
}

function toKeyFileError(error: unknown, shown: string): Error {
  if (error instanceof InputError) {
    return error.code === 'ERR_INPUT_INVALID' && error.message.startsWith('bytes')
      ? new InputError('ERR_KEY_MALFORMED', `key file ${shown} is not utf-8 text`)
      : error;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputError('ERR_FILE_NOT_FOUND', `key file ${shown} does not exist`, { cause: error });
  return new InternalError('ERR_FILE_IO', `cannot read key file ${shown}: ${code ?? 'unknown error'}`, { cause: error });
}
