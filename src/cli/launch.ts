/**
 * The process entry of bin/sigil: runs the CLI from the esbuild bundle in dist/cli when it was
 * built from exactly the files now on disk, and from the TypeScript sources otherwise (a fresh
 * clone before scripts/setup.sh, or sources edited since the last build). Never runs stale code:
 * dist/cli/inputs.json names every input with its size, ctime and SHA-256; an input whose ctime
 * changed (any write changes it) is hashed again and must still match.
 * `sigil verify --key` runs from the bundle's fast path, verify-key.cjs: the CLI with a key-based
 * verification's code in one script (scripts/build-cli.ts), compiled with the V8 code cache the
 * last successful run of that very script left beside it.
 * Loads nothing but Node built-ins already in memory, so choosing costs well under a millisecond.
 */
import type { Stats } from 'node:fs';

interface RecordedInput { readonly path: string; readonly sizeBytes: number; readonly ctimeMs: number; readonly sha256: string }

function isRecordedInput(value: unknown): value is RecordedInput {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['path'] === 'string' && typeof v['sizeBytes'] === 'number' && typeof v['ctimeMs'] === 'number' && typeof v['sha256'] === 'string';
}

/** The inputs a bundle directory was built from; undefined when the record is missing or malformed. */
function readInputs(bundleDir: string): readonly RecordedInput[] | undefined {
  const fs = process.getBuiltinModule('node:fs');
  let parsed: unknown;
  try { parsed = JSON.parse(fs.readFileSync(`${bundleDir}/inputs.json`, 'utf8')); } catch { return undefined; }
  const inputs = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['inputs'] : undefined;
  return Array.isArray(inputs) && inputs.length > 0 && inputs.every(isRecordedInput) ? inputs : undefined;
}

function isUnchanged(root: string, input: RecordedInput): boolean {
  const fs = process.getBuiltinModule('node:fs');
  const file = `${root}/${input.path}`;
  let stat: Stats | undefined;
  try { stat = fs.statSync(file, { throwIfNoEntry: false }); } catch { return false; }
  if (!stat?.isFile() || stat.size !== input.sizeBytes) return false;
  if (stat.ctimeMs === input.ctimeMs) return true;
  // touched, copied or checked out again since the build: only the content decides
  const crypto = process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') === input.sha256;
}

/** True when `bundleDir` holds a bundle built from the files now under `root` (both absolute paths). */
export function isBundleFresh(root: string, bundleDir: string): boolean {
  const inputs = readInputs(bundleDir);
  if (!inputs) return false;
  const fs = process.getBuiltinModule('node:fs');
  if (!fs.existsSync(`${bundleDir}/main.mjs`)) return false;
  return inputs.every((input) => isUnchanged(root, input));
}

/**
 * True for `sigil verify ... --key ...`: a verification with a public key, which the fast path
 * holds. A keyless one goes to the full bundle; should a `--key` token be another flag's value,
 * the fast path hands the run over to the full bundle before it writes anything.
 */
export function isKeyVerify(argv: readonly string[]): boolean {
  if (argv[0] !== 'verify') return false;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--key' || a.startsWith('--key='));
}

/**
 * The module to run (a file URL): when the bundle is fresh, its fast path for `argv` if there is
 * one (a script, for runScript), else its main.mjs; the sources' main.ts otherwise.
 */
export function chooseEntry(root: string, bundleDir: string, argv: readonly string[] = []): string {
  const { pathToFileURL } = process.getBuiltinModule('node:url');
  if (!isBundleFresh(root, bundleDir)) return new URL('main.ts', import.meta.url).href;
  const fast = `${bundleDir}/verify-key.cjs`;
  if (isKeyVerify(argv) && process.getBuiltinModule('node:fs').existsSync(fast)) return pathToFileURL(fast).href;
  return pathToFileURL(`${bundleDir}/main.mjs`).href;
}

/**
 * Runs a CommonJS script bundle and returns its exports. The V8 code cache beside it, named by
 * the SHA-256 of the source (V8 itself checks little more than its length), is used when present;
 * a run that ends with exit status 0 writes one when there was none or V8 rejected it, taken at
 * exit, so it holds every function that run compiled. A cache that cannot be written is skipped.
 */
export function runScript(file: string): unknown {
  const fs = process.getBuiltinModule('node:fs');
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = `${file}.${process.getBuiltinModule('node:crypto').hash('sha256', source).slice(0, 32)}.cache`;
  let cachedData: Buffer | undefined;
  try { cachedData = fs.readFileSync(cacheFile); } catch { cachedData = undefined; }
  const { Script } = process.getBuiltinModule('node:vm');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', (code) => {
      if (code !== 0) return;
      const staging = `${cacheFile}.${process.pid}`;
      // a read-only bundle directory just goes without: the exit status stays the command's
      try { fs.writeFileSync(staging, script.createCachedData()); fs.renameSync(staging, cacheFile); } catch { try { fs.rmSync(staging, { force: true }); } catch { /* nothing was written */ } }
    });
  }
  const mod = { exports: {} };
  const { createRequire } = process.getBuiltinModule('node:module');
  const { dirname } = process.getBuiltinModule('node:path');
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, createRequire(file), mod, file, dirname(file));
  return mod.exports;
}

if (import.meta.main) {
  const root = process.getBuiltinModule('node:path').resolve(import.meta.dirname, '..', '..');
  const entry = chooseEntry(root, `${root}/dist/cli`, process.argv.slice(2));
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const cli = (entry.endsWith('.cjs') ? runScript(fileURLToPath(entry)) : await import(entry)) as { main(): Promise<void> };
  await cli.main();
}
