// build-cli.ts: bundles the CLI (src/cli/main.ts and everything it imports, dependencies
// included) into dist/cli with esbuild, one chunk per lazily imported command module, so a
// `sigil` run compiles a few files instead of resolving, stripping and linking about a hundred.
// dist/cli/inputs.json records every source file bundled, and npm's record of node_modules, with
// size, ctime and SHA-256: src/cli/launch.ts runs the bundle only while all of them still match,
// and the sources otherwise. The `verify --key` fast path has its own record of only its inputs.
// Run by scripts/setup.sh; `node scripts/build-cli.ts [outDir]` builds by hand.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { FULL_BUNDLE_ENV } from '../src/cli/launch.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One input of the bundle as recorded for the freshness check (path relative to the project root). */
export interface BundleInput { readonly path: string; readonly sizeBytes: number; readonly ctimeMs: number; readonly sha256: string }

/** What dist/cli/inputs.json holds. */
export interface BundleManifest { readonly key: string; readonly inputs: readonly BundleInput[] }

/** What dist/cli/verify-key.inputs.json holds: the fast path's inputs, and the script as written. */
export interface FastPathManifest extends BundleManifest { readonly script: Omit<BundleInput, 'path'> }

// CommonJS dependencies (commander, pg) bundled into ES modules still call require for Node's built-ins
const REQUIRE_SHIM = "import { createRequire as __sigilCreateRequire } from 'node:module'; const require = __sigilCreateRequire(import.meta.url);";

/**
 * commander requires node:child_process at load time, only to spawn executable subcommands,
 * which sigil has none of; loading it costs every run several ms. Inside commander the module is
 * replaced by an object that loads it on first use.
 */
const lazyChildProcess: Plugin = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_target, key) => process.getBuiltinModule('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

/**
 * sigil's own modules run no code at import beyond defining what they export (no module-level
 * state: test/architecture.test.ts), so esbuild may drop a module re-exported by a folder's
 * index.ts when nothing it exports is used, and with it the dependencies only it imports.
 */
const sourcesWithoutSideEffects: Plugin = {
  name: 'sources-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind === 'entry-point' || !args.resolveDir.startsWith(join(ROOT, 'src'))) return undefined;
      return { path: resolve(args.resolveDir, args.path), sideEffects: false };
    });
  },
};

/**
 * An ES module import of a Node built-in reads every export of it, lazy getters included, to
 * build the module namespace: `import ... from 'node:http'` thereby loads undici (for
 * http.WebSocket), which loads http2, tls, zlib, worker_threads, dns, child_process and cluster,
 * about 7 MiB of private memory and 10 MiB of mapped code in every sigil process (the registry
 * server's resident set). Inside the bundle each built-in is taken with process.getBuiltinModule
 * as a CommonJS value instead, whose getters run only when the code reads them.
 */
const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: LOADED_ON_FIRST_USE.has(args.path) ? loadOnFirstUse(args.path) : `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Built-ins that are not in memory when Node starts and cost a short run to load: each is loaded
 * when one of its exports is first read, not when a module importing it starts. node:fs/promises
 * costs 1-2 ms (it loads readline, os, the fs watchers and directory streams): a command that
 * reads a small file through node:fs (verify --key: the key) or never sleeps pays for neither it
 * nor timers/promises. node:crypto (about 5 ms, every part of it) loads when first used, in
 * verify --key while its first requests are out, and not at all in a command that never hashes.
 */
const LOADED_ON_FIRST_USE: ReadonlySet<string> = new Set(['node:crypto', 'node:fs/promises', 'node:timers/promises']);

/**
 * A CommonJS stand-in with a getter per export of the built-in (named as by the Node that builds,
 * the Node that runs it: package-lock.json, an input of the bundle, pins it). esbuild's interop
 * copies getters as getters, so a module importing it reads the real export at its first use.
 */
function loadOnFirstUse(name: string): string {
  const builtin = process.getBuiltinModule(name);
  if (!builtin) throw new Error(`no built-in module ${name}`);
  const exports = Object.keys(builtin);
  return [
    `let loaded; const load = () => (loaded ??= process.getBuiltinModule(${JSON.stringify(name)}));`,
    `for (const name of ${JSON.stringify(exports)}) Object.defineProperty(module.exports, name, { get: () => load()[name], enumerable: true });`,
  ].join('\n');
}

/** The project's own source files among esbuild's inputs (not node_modules, not plugin namespaces). */
function sourcesOf(inputs: Readonly<Record<string, unknown>>): Set<string> {
  return new Set(Object.keys(inputs).filter((path) => !path.startsWith('node_modules/') && !path.includes(':')));
}

/** The inputs sorted by path, and the key naming their contents. */
function manifestOf(inputs: readonly BundleInput[]): BundleManifest {
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { key: createHash('sha256').update(sorted.map((i) => `${i.path}\0${i.sha256}\n`).join('')).digest('hex'), inputs: sorted };
}

function describeFile(file: string): Omit<BundleInput, 'path'> {
  const stat = statSync(file);
  return { sizeBytes: stat.size, ctimeMs: stat.ctimeMs, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

function describeInput(path: string): BundleInput {
  return { path, ...describeFile(join(ROOT, path)) };
}

/** esbuild's options for the CLI bundle written to `outdir` (exported for tools that inspect the chunk graph). */
export function cliBuildOptions(outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: ROOT,
    // worker threads are separate entry points: in the bundle, src/server/entry-parse-pool.ts,
    // src/server/bundle-verify-pool.ts and
    // src/adapters/sqlite/log-writer.ts start `./<name>.mjs` beside the chunk that runs them
    entryPoints: {
      main: 'src/cli/main.ts',
      'entry-parse-worker': 'src/server/entry-parse-worker.ts',
      'bundle-verify-worker': 'src/server/bundle-verify-worker.ts',
      'log-writer-worker': 'src/adapters/sqlite/log-writer-worker.ts',
    },
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node24',
    outdir, outExtension: { '.js': '.mjs' }, chunkNames: 'chunk-[hash]',
    banner: { js: REQUIRE_SHIM },
    // pg's optional native binding is not installed (no native addons here); undici (scan repo's
    // fetch, imported on first use) stays a package import: bundled, its CommonJS exports did not
    // come through `import('undici')`
    external: ['pg-native', 'undici'],
    plugins: [lazyChildProcess, sourcesWithoutSideEffects, lazyBuiltins],
    metafile: true, logLevel: 'warning', legalComments: 'none',
  };
}

/** The file of the `verify --key` fast path in a bundle directory (run by src/cli/launch.ts). */
export const FAST_VERIFY_FILE = 'verify-key.cjs';

/** The record of the fast path's own inputs, which src/cli/launch.ts checks before running it. */
export const FAST_VERIFY_RECORD = 'verify-key.inputs.json';

/**
 * Any other command's code, imported dynamically from the fast path: runs the same command line
 * again, as a new process image, through the launcher that started this one (process.argv[1],
 * src/cli/launch.ts), told by FULL_BUNDLE_ENV to run the full bundle, which it checks
 * against the sources first: the fast path's record names only its own inputs. Only a `verify`
 * whose `--key` token turned out to be another flag's value gets here (src/cli/launch.ts sends
 * keyless verification to the full bundle), and before it has written anything.
 */
const FAST_PATH_MISS = [
  "const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];",
  `process.execve(process.execPath, argv, { ...process.env, ${FULL_BUNDLE_ENV}: '1' });`,
].join('\n');

/** In the fast path, every dynamic import but `verify`'s own work becomes FAST_PATH_MISS. */
const fastPathOnly: Plugin = {
  name: 'fast-path-only',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || resolve(args.resolveDir, args.path) === join(ROOT, 'src', 'cli', 'commands', 'verify-run.ts')) return undefined;
      return { path: 'run-the-full-bundle', namespace: 'fast-path-miss' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fast-path-miss' }, () => ({ contents: FAST_PATH_MISS, loader: 'js' }));
  },
};

/**
 * esbuild's options for the fast path: the CLI with `verify --key`'s work in one CommonJS file,
 * no chunks, which src/cli/launch.ts runs as a script with a V8 code cache taken after a whole
 * verification (every function it ran compiled), where the module compile cache holds only the
 * top level. Loading one file instead of a score of chunks saves about 15 ms of CPU per run, the
 * fuller code cache as much again; one file holding every command instead costs more than the
 * chunks do (it is all compiled at every start).
 */
export function fastVerifyBuildOptions(outdir: string): BuildOptions & { metafile: true } {
  const all = cliBuildOptions(outdir);
  return {
    ...all, entryPoints: { [FAST_VERIFY_FILE.replace(/\.cjs$/, '')]: 'src/cli/main.ts' }, splitting: false, format: 'cjs',
    outExtension: { '.js': '.cjs' }, banner: {}, define: { 'import.meta.main': 'false' }, plugins: [fastPathOnly, ...(all.plugins ?? [])],
  };
}

/** Bundles the CLI into `outDir` (default dist/cli), replacing what was there; returns the manifest. */
export async function buildCli(outDir = join(ROOT, 'dist', 'cli')): Promise<BundleManifest> {
  const staging = `${outDir}.build-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await build(cliBuildOptions(staging));
  const fast = await build(fastVerifyBuildOptions(staging));
  // dependencies are keyed by npm's record of the installed tree (rewritten by every install), not
  // file by file: that keeps the check at start-up to the project's own ~200 sources plus one file
  const sources = sourcesOf({ ...result.metafile.inputs, ...fast.metafile.inputs });
  const installed = ['node_modules/.package-lock.json', 'package-lock.json'].find((path) => existsSync(join(ROOT, path))) ?? 'package.json';
  // the build script itself is an input too: a change in how the bundle is made makes it stale; so
  // is the launcher, whose hand-back variable (FULL_BUNDLE_ENV) the fast path is built with
  const extra = [installed, 'scripts/build-cli.ts', 'src/cli/launch.ts'];
  const manifest = manifestOf([...sources, ...extra].map(describeInput));
  await writeFile(join(staging, 'inputs.json'), `${JSON.stringify(manifest)}\n`);
  const fastSources = sourcesOf(fast.metafile.inputs);
  const fastInputs = manifest.inputs.filter((i) => fastSources.has(i.path) || extra.includes(i.path));
  const fastManifest: FastPathManifest = { ...manifestOf(fastInputs), script: describeFile(join(staging, FAST_VERIFY_FILE)) };
  await writeFile(join(staging, FAST_VERIFY_RECORD), `${JSON.stringify(fastManifest)}\n`);
  // swap whole directories: a sigil starting meanwhile sees the old bundle, the new one, or none (then the sources)
  await mkdir(dirname(outDir), { recursive: true });
  await rm(`${outDir}.old`, { recursive: true, force: true });
  await rename(outDir, `${outDir}.old`).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'ENOENT') throw error; });
  await rename(staging, outDir);
  await rm(`${outDir}.old`, { recursive: true, force: true });
  return manifest;
}

if (import.meta.main) {
  const manifest = await buildCli(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stderr.write(`build-cli: ${manifest.inputs.length} inputs bundled into dist/cli (key ${manifest.key.slice(0, 12)})\n`);
}
