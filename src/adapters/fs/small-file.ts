/**
 * Reads of a small file (a key, a config) through node:fs's callbacks, for code on a short CLI
 * run's path. node:fs/promises is not in memory when Node starts, and loading it (with the
 * readline, os and fs watcher modules it needs) costs such a run, `sigil verify --key`, 1-2 ms
 * of its ~70; util.promisify's module costs more. The callbacks need nothing that is not loaded.
 */
import { readFile, stat, type Stats } from 'node:fs';

/** The file's stats (following links), as fs/promises' stat. */
export function statSmallFile(path: string): Promise<Stats> {
  return new Promise((done, fail) => { stat(path, (error, found) => { if (error) fail(error); else done(found); }); });
}

/** The file's bytes, as fs/promises' readFile. */
export function readSmallFile(path: string): Promise<Buffer> {
  return new Promise((done, fail) => { readFile(path, (error, read) => { if (error) fail(error); else done(read); }); });
}
