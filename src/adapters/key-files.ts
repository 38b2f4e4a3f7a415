/**
 * Writes key files as cosign does (the private key mode 0600, the public key 0644), atomically:
 * each file is written and synced under a temporary name in the target folder, then moved into
 * place, so a failure leaves no partial file behind. Without `overwrite`, files are linked into
 * place, which fails if a file appeared meanwhile instead of replacing it.
 */
import { copyFile, constants, link, mkdtemp, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConflictError, InputError, InternalError, isAppError } from '../core/index.ts';

/** One file to write. */
export interface KeyFileContent {
  readonly path: string;
  /** the path as the user gave it, for messages */
  readonly shown: string;
  readonly text: string;
  /** 0o600 for a private key, 0o644 for a public key */
  readonly mode: number;
}

/** Returns the paths among `paths` that exist (as anything). */
export async function findExistingFiles(paths: readonly string[]): Promise<readonly string[]> {
  const found: string[] = [];
  for (const p of paths) {
    try { await stat(p); found.push(p); } catch { /* absent */ }
  }
  return found;
}

/**
 * Writes every file or none. All files must be in one folder.
 * @throws ERR_KEY_FILE_EXISTS without `overwrite` when a file exists (nothing is written)
 * @throws ERR_FILE_NOT_FOUND when the folder does not exist
 * @throws ERR_FILE_IO when a write fails (nothing is written)
 */
export async function writeFilesAtomically(files: readonly KeyFileContent[], options: { readonly overwrite: boolean }): Promise<void> {
  const first = files[0];
  if (!first) return;
  const staging = await mkdtemp(join(dirname(first.path), '.sigil-write-')).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError('ERR_FILE_NOT_FOUND', `the folder of ${first.shown} does not exist`);
    throw ioError('create a file next to', first.shown, error);
  });
  const placed: string[] = [];
  try {
    const staged = [];
    for (const f of files) staged.push({ ...f, temp: await stage(staging, f) });
    for (const f of staged) {
      await place(f.temp, f, options.overwrite);
      placed.push(f.path);
    }
  } catch (error) {
    // undo what this call created; without overwrite nothing it placed existed before
    if (!options.overwrite) for (const p of placed) await unlink(p).catch(() => undefined);
    throw isAppError(error) ? error : ioError('write', first.shown, error);
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function stage(folder: string, file: KeyFileContent): Promise<string> {
  const temp = join(folder, basename(file.path));
  const handle = await open(temp, 'wx', file.mode);
  try {
    await handle.writeFile(file.text, 'utf8');
    await handle.chmod(file.mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

async function place(temp: string, file: KeyFileContent, overwrite: boolean): Promise<void> {
  const { path, shown } = file;
  if (overwrite) return rename(temp, path);
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ConflictError('ERR_KEY_FILE_EXISTS', `${shown} already exists: pass --force to overwrite it`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // file systems without hard links: an exclusive copy still never replaces a file
    await copyFile(temp, path, constants.COPYFILE_EXCL).catch((copyError: unknown) => {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError('ERR_KEY_FILE_EXISTS', `${shown} already exists: pass --force to overwrite it`);
      throw copyError;
    });
  }
  return undefined;
}

function ioError(action: string, path: string, cause: unknown): InternalError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new InternalError('ERR_FILE_IO', `cannot ${action} ${path}: ${code}`, { cause });
}
