/**
 * The process entry of bin/sigil: runs the CLI from the esbuild bundle in dist/cli when it was
 * built from exactly the files now on disk, and from the TypeScript sources otherwise (a fresh
 * clone before scripts/setup.sh, or sources edited since the last build). Never runs stale code:
 * a record beside each entry names every input it was built from with its size, ctime and
 * SHA-256; an input whose ctime changed (any write changes it) is hashed again and must still match.
 * `sigil verify --key` runs from the bundle's fast path, verify-key.cjs: the CLI with a key-based
 * verification's code in one script (scripts/build-cli.ts), compiled with the V8 code cache the
 * last successful run of that very script left beside it. Its record (verify-key.inputs.json)
 * names only its own inputs, a third of the whole bundle's (inputs.json), so only those are
 * checked before it runs; should it need other code, it hands the run back to this launcher,
 * which then checks the whole bundle (FULL_BUNDLE_ENV).
 * Loads nothing but Node built-ins already in memory, so choosing costs well under a millisecond.
 */
import type { Stats } from 'node:fs';

interface RecordedInput { readonly path: string; readonly sizeBytes: number; readonly ctimeMs: number; readonly sha256: string }

/** What a bundle entry's record holds: its inputs, and for a script the script as written. */
interface EntryRecord { readonly inputs: readonly RecordedInput[]; readonly script?: RecordedScript }

/** A script as the build wrote it: size, ctime and SHA-256 of verify-key.cjs. */
export interface RecordedScript { readonly sizeBytes: number; readonly ctimeMs: number; readonly sha256: string }

/** The record of the whole bundle (main.mjs and its chunks) and that of the verify --key fast path. */
const FULL_RECORD = 'inputs.json';
const FAST_RECORD = 'verify-key.inputs.json';
const FAST_SCRIPT = 'verify-key.cjs';

/**
 * Set by the fast path when a run needs code it does not hold (and removed again by this
 * launcher, so the command's own child processes never see it): run the whole bundle instead.
 */
export const FULL_BUNDLE_ENV = 'SIGIL_LAUNCH_FULL_BUNDLE';

function isRecordedInput(value: unknown): value is RecordedInput {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['path'] === 'string' && isRecordedScript(v);
}

function isRecordedScript(value: unknown): value is RecordedScript {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['sizeBytes'] === 'number' && typeof v['ctimeMs'] === 'number' && typeof v['sha256'] === 'string';
}

/** A bundle entry's record; undefined when it is missing or malformed. */
function readRecord(bundleDir: string, name: string): EntryRecord | undefined {
  const fs = process.getBuiltinModule('node:fs');
  let parsed: unknown;
  try { parsed = JSON.parse(fs.readFileSync(`${bundleDir}/${name}`, 'utf8')); } catch { return undefined; }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { inputs, script } = parsed as Record<string, unknown>;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every(isRecordedInput)) return undefined;
  return isRecordedScript(script) ? { inputs, script } : { inputs };
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

/** The record of `entry` in `bundleDir` when the entry exists and every input it names is unchanged under `root`. */
function freshRecord(root: string, bundleDir: string, record: string, entry: string): EntryRecord | undefined {
  const found = readRecord(bundleDir, record);
  if (!found || !process.getBuiltinModule('node:fs').existsSync(`${bundleDir}/${entry}`)) return undefined;
  return found.inputs.every((input) => isUnchanged(root, input)) ? found : undefined;
}

/** True when `bundleDir` holds a bundle built from the files now under `root` (both absolute paths). */
export function isBundleFresh(root: string, bundleDir: string): boolean {
  return freshRecord(root, bundleDir, FULL_RECORD, 'main.mjs') !== undefined;
}

/**
 * True for `sigil verify ... --key ...`: a verification with a public key, which the fast path
 * holds. A keyless one goes to the full bundle; should a `--key` token be another flag's value,
 * the fast path hands the run back before it writes anything.
 */
export function isKeyVerify(argv: readonly string[]): boolean {
  if (argv[0] !== 'verify') return false;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--key' || a.startsWith('--key='));
}

/** What to run: a module (file URL), and for the fast path its script as the build recorded it. */
export interface LaunchChoice { readonly href: string; readonly script?: RecordedScript }

/**
 * Chooses what runs `argv`: the fast path when it holds the command (unless `fullBundle`) and
 * its own inputs are unchanged; else main.mjs when the whole bundle's are; else the sources' main.ts.
 */
export function chooseLaunch(root: string, bundleDir: string, argv: readonly string[] = [], fullBundle = false): LaunchChoice {
  const { pathToFileURL } = process.getBuiltinModule('node:url');
  if (!fullBundle && isKeyVerify(argv)) {
    const fast = freshRecord(root, bundleDir, FAST_RECORD, FAST_SCRIPT);
    if (fast) return { href: pathToFileURL(`${bundleDir}/${FAST_SCRIPT}`).href, ...(fast.script ? { script: fast.script } : {}) };
  }
  if (!isBundleFresh(root, bundleDir)) return { href: new URL('main.ts', import.meta.url).href };
  return { href: pathToFileURL(`${bundleDir}/main.mjs`).href };
}

/** The module to run (a file URL): see chooseLaunch. */
export function chooseEntry(root: string, bundleDir: string, argv: readonly string[] = [], fullBundle = false): string {
  return chooseLaunch(root, bundleDir, argv, fullBundle).href;
}

/**
 * The script's source and its SHA-256: the recorded one while the file read is the one the build
 * wrote (its size and ctime, from the descriptor it is read through), computed otherwise.
 */
export function readScript(file: string, recorded: RecordedScript | undefined): { readonly source: string; readonly sha256: string } {
  const fs = process.getBuiltinModule('node:fs');
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd);
    const source = fs.readFileSync(fd, 'utf8');
    if (recorded && stat.size === recorded.sizeBytes && stat.ctimeMs === recorded.ctimeMs) return { source, sha256: recorded.sha256 };
    return { source, sha256: process.getBuiltinModule('node:crypto').hash('sha256', source) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs a CommonJS script bundle and returns its exports. The V8 code cache beside it, named by
 * the SHA-256 of the source (V8 itself checks little more than its length), is used when present;
 * a run that ends with exit status 0 writes one when there was none or V8 rejected it, taken at
 * exit, so it holds every function that run compiled. A cache that cannot be written is skipped.
 * `recorded` (the build's record of the script) spares hashing the source while the file is unchanged.
 */
export function runScript(file: string, recorded?: RecordedScript): unknown {
  const fs = process.getBuiltinModule('node:fs');
  const { source, sha256 } = readScript(file, recorded);
  const cacheFile = `${file}.${sha256.slice(0, 32)}.cache`;
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
  // made on the first require: the bundle takes Node's built-ins through process.getBuiltinModule
  let required: ((id: string) => unknown) | undefined;
  const require = (id: string): unknown => (required ??= process.getBuiltinModule('node:module').createRequire(file))(id);
  const { dirname } = process.getBuiltinModule('node:path');
  (script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, require, mod, file, dirname(file));
  return mod.exports;
}

/**
 * Runs the CLI on `argv` as bin/sigil does, from the bundle in `bundleDir` when it is fresh (see
 * chooseLaunch), for the project in `root`. A run the fast path handed back (FULL_BUNDLE_ENV) runs
 * the whole bundle.
 */
export async function launch(root: string, bundleDir: string, argv: readonly string[]): Promise<void> {
  const fullBundle = process.env[FULL_BUNDLE_ENV] !== undefined;
  delete process.env[FULL_BUNDLE_ENV];
  const choice = chooseLaunch(root, bundleDir, argv, fullBundle);
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const cli = (choice.href.endsWith('.cjs') ? runScript(fileURLToPath(choice.href), choice.script) : await import(choice.href)) as { main(): Promise<void> };
  await cli.main();
}

if (import.meta.main) {
  const root = process.getBuiltinModule('node:path').resolve(import.meta.dirname, '..', '..');
  await launch(root, `${root}/dist/cli`, process.argv.slice(2));
}
