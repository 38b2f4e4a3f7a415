/**
 * Walks directory trees for the scanner: follows symlinks but never loops (each directory is
 * entered once, keyed by device and inode), never opens anything but regular files (a FIFO
 * would block), and reports every path it cannot read instead of stopping.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type AppError } from '../../core/index.ts';

/** One path met by the walk. */
export type WalkItem =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'unreadable' | 'unsupported'; readonly path: string; readonly error: AppError };

function unreadable(path: string, cause: unknown): WalkItem {
  const code = (cause as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
  return { kind: 'unreadable', path, error: new InputError('ERR_SCAN_FILE_UNREADABLE', `cannot read ${path}: ${why}`, { cause }) };
}

function unsupported(path: string, message: string): WalkItem {
  return { kind: 'unsupported', path, error: new InputError('ERR_SCAN_FILE_UNSUPPORTED', message) };
}

interface Visit { readonly path: string; readonly isRoot: boolean }

async function* visitDirectory(dir: string, stack: Visit[]): AsyncGenerator<WalkItem> {
  let names: string[];
  try { names = (await readdir(dir)).sort(); } catch (error) { yield unreadable(dir, error); return; }
  // pushed in reverse so the walk pops them in sorted order
  for (const name of names.reverse()) stack.push({ path: join(dir, name), isRoot: false });
}

/**
 * Yields every regular file under `roots` (depth first, names sorted), plus one item per path
 * that is unreadable, not a file or directory, or a directory already entered (a symlink loop).
 */
export async function* walkFiles(roots: readonly string[]): AsyncGenerator<WalkItem> {
  const entered = new Set<string>();
  const stack: Visit[] = [...roots].reverse().map((path) => ({ path, isRoot: true }));
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    let info: Awaited<ReturnType<typeof stat>>;
    try { info = await stat(next.path, { bigint: true }); } catch (error) { yield unreadable(next.path, error); continue; }
    if (info.isFile()) { yield { kind: 'file', path: next.path }; continue; }
    if (!info.isDirectory()) { yield unsupported(next.path, `${next.path} is not a regular file or directory`); continue; }
    const key = `${info.dev}:${info.ino}`;
    if (entered.has(key)) {
      if (!next.isRoot) yield unsupported(next.path, `${next.path} leads to a directory already scanned (symlink loop or duplicate)`);
      continue;
    }
    entered.add(key);
    yield* visitDirectory(next.path, stack);
  }
}
