// Temporary directories for one test process, removed when it exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let hooked = false;

/** Creates a fresh directory under the system temp dir; it is deleted at process exit. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sigil-${prefix}-`));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
  }
  return dir;
}
