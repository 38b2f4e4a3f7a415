// The CLI bundle and the launcher that chooses it: a bundle runs only while it matches the
// sources, and it behaves as the sources do.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCli, FAST_VERIFY_FILE, FAST_VERIFY_RECORD, type BundleManifest, type FastPathManifest } from '../../scripts/build-cli.ts';
import { chooseEntry, chooseLaunch, isBundleFresh, isKeyVerify, readScript } from '../../src/cli/launch.ts';
import { PROJECT_ROOT, runProgram } from '../support/peers.ts';
import { makeTempDir } from '../support/temp.ts';

const NODE = process.execPath;
const SOURCES_MAIN = pathToFileURL(join(PROJECT_ROOT, 'src', 'cli', 'main.ts')).href;
const RUN_SCRIPT = `const { runScript } = await import(${JSON.stringify(pathToFileURL(join(PROJECT_ROOT, 'src', 'cli', 'launch.ts')).href)}); await runScript(process.argv[1]).main();`;
let built: string;
let manifest: BundleManifest;

before(async () => {
  built = join(makeTempDir('bundle'), 'cli');
  manifest = await buildCli(built);
});

/** A copy of the built bundle whose records (inputs.json and the fast path's) `edit` rewrites. */
function variant(edit: (m: BundleManifest) => unknown): string {
  const dir = join(makeTempDir('bundle-variant'), 'cli');
  cpSync(built, dir, { recursive: true });
  for (const name of ['inputs.json', FAST_VERIFY_RECORD]) writeFileSync(join(dir, name), JSON.stringify(edit(JSON.parse(readFileSync(join(built, name), 'utf8')) as BundleManifest)));
  return dir;
}

const KEY_VERIFY = ['verify', '--key', 'k.pub', 'r/x:1'];

test('the build records every bundled source and npm\'s record of node_modules, keyed by their hashes', () => {
  const paths = manifest.inputs.map((i) => i.path);
  assert.ok(paths.includes('src/cli/main.ts') && paths.includes('src/cli/commands/verify-run.ts') && paths.includes('node_modules/.package-lock.json'));
  assert.ok(!paths.some((p) => p.startsWith('node_modules/') && p !== 'node_modules/.package-lock.json'));
  assert.ok(manifest.inputs.every((i) => /^[0-9a-f]{64}$/.test(i.sha256)));
  assert.match(manifest.key, /^[0-9a-f]{64}$/);
  assert.deepEqual(JSON.parse(readFileSync(join(built, 'inputs.json'), 'utf8')), manifest);
});

test('a bundle built from the files on disk is chosen', () => {
  assert.equal(isBundleFresh(PROJECT_ROOT, built), true);
  assert.equal(chooseEntry(PROJECT_ROOT, built), pathToFileURL(join(built, 'main.mjs')).href);
});

test('verify with a public key runs from the fast path; keyless verify and every other command from main.mjs', () => {
  const fast = pathToFileURL(join(built, 'verify-key.cjs')).href;
  const main = pathToFileURL(join(built, 'main.mjs')).href;
  for (const argv of [['verify', '--key', 'k.pub', 'r/x:1'], ['verify', 'r/x:1', '--key=k.pub'], ['verify', '-a', 'a=b', '--key', 'env://K', 'r/x:1']]) {
    assert.equal(isKeyVerify(argv), true, argv.join(' '));
    assert.equal(chooseEntry(PROJECT_ROOT, built, argv), fast, argv.join(' '));
  }
  const others = [
    [], ['verify', '--certificate-identity', 'a@b', '--certificate-oidc-issuer', 'https://i', 'r/x:1'], ['verify', '--', '--key'],
    ['verify-blob', '--key', 'k.pub', 'f'], ['sign', '--key', 'k.key', 'r/x:1'], ['version'], ['--key', 'verify'],
  ];
  for (const argv of others) {
    assert.equal(isKeyVerify(argv), false, argv.join(' '));
    assert.equal(chooseEntry(PROJECT_ROOT, built, argv), main, argv.join(' '));
  }
  const noFastPath = variant((m) => m);
  rmSync(join(noFastPath, 'verify-key.cjs'));
  assert.equal(chooseEntry(PROJECT_ROOT, noFastPath, ['verify', '--key', 'k.pub', 'r/x:1']), pathToFileURL(join(noFastPath, 'main.mjs')).href);
  const stale = variant((m) => ({ ...m, inputs: m.inputs.map((i) => (i.path === 'src/cli/main.ts' ? { ...i, sizeBytes: 1 } : i)) }));
  assert.equal(chooseEntry(PROJECT_ROOT, stale, KEY_VERIFY), SOURCES_MAIN);
});

test('the fast path records only its own inputs, a subset of the whole bundle\'s, and the script as the build wrote it', () => {
  const fast = JSON.parse(readFileSync(join(built, FAST_VERIFY_RECORD), 'utf8')) as FastPathManifest;
  const all = new Map(manifest.inputs.map((i) => [i.path, i]));
  for (const input of fast.inputs) assert.deepEqual(input, all.get(input.path), input.path);
  const paths = fast.inputs.map((i) => i.path);
  for (const path of ['src/cli/main.ts', 'src/cli/commands/verify-run.ts', 'src/verify/cosign-signatures.ts', 'node_modules/.package-lock.json', 'scripts/build-cli.ts', 'src/cli/launch.ts']) assert.ok(paths.includes(path), path);
  // keyless verification and the server are not in it
  for (const path of ['src/cli/commands/verify-keyless-run.ts', 'src/server/registry.ts']) assert.ok(all.has(path) && !paths.includes(path), path);
  assert.ok(fast.inputs.length < manifest.inputs.length / 2, `${fast.inputs.length} of ${manifest.inputs.length}`);
  const script = readFileSync(join(built, FAST_VERIFY_FILE));
  assert.equal(fast.script.sizeBytes, script.length);
  assert.equal(fast.script.sha256, createHash('sha256').update(script).digest('hex'));
});

test('an input only the full bundle holds leaves the fast path runnable; other commands, and a run handed back, go to the sources', () => {
  const fastPaths = new Set((JSON.parse(readFileSync(join(built, FAST_VERIFY_RECORD), 'utf8')) as BundleManifest).inputs.map((i) => i.path));
  const other = manifest.inputs.find((i) => !fastPaths.has(i.path))?.path;
  assert.ok(other !== undefined);
  const dir = variant((m) => ({ ...m, inputs: m.inputs.map((i) => (i.path === other ? { ...i, ctimeMs: 0, sha256: '0'.repeat(64) } : i)) }));
  assert.equal(chooseEntry(PROJECT_ROOT, dir, KEY_VERIFY), pathToFileURL(join(dir, FAST_VERIFY_FILE)).href);
  assert.equal(chooseEntry(PROJECT_ROOT, dir, KEY_VERIFY, true), SOURCES_MAIN);
  assert.equal(chooseEntry(PROJECT_ROOT, dir, ['version']), SOURCES_MAIN);
  // a fresh bundle: a run handed back goes to main.mjs
  assert.equal(chooseEntry(PROJECT_ROOT, built, KEY_VERIFY, true), pathToFileURL(join(built, 'main.mjs')).href);
  // a fast path without its record is not run
  const noRecord = variant((m) => m);
  rmSync(join(noRecord, FAST_VERIFY_RECORD));
  assert.equal(chooseEntry(PROJECT_ROOT, noRecord, KEY_VERIFY), pathToFileURL(join(noRecord, 'main.mjs')).href);
});

test('the fast path is named by the recorded SHA-256 while the script is unchanged, and hashed once it is not', () => {
  const { script } = JSON.parse(readFileSync(join(built, FAST_VERIFY_RECORD), 'utf8')) as FastPathManifest;
  assert.deepEqual(chooseLaunch(PROJECT_ROOT, built, KEY_VERIFY).script, script);
  const file = join(built, FAST_VERIFY_FILE);
  const actual = script.sha256;
  const recorded = { ...script, sha256: 'f'.repeat(64) };
  // the recorded hash is taken as it stands: proof that the source was not hashed again
  assert.equal(readScript(file, recorded).sha256, recorded.sha256);
  assert.equal(readScript(file, { ...recorded, ctimeMs: recorded.ctimeMs - 1 }).sha256, actual);
  assert.equal(readScript(file, { ...recorded, sizeBytes: recorded.sizeBytes + 1 }).sha256, actual);
  assert.equal(readScript(file, undefined).sha256, actual);
  assert.equal(readScript(file, undefined).source, readFileSync(file, 'utf8'));
});

test('an input touched since the build (ctime moved) but with the same content still counts as fresh', () => {
  const dir = variant((m) => ({ ...m, inputs: m.inputs.map((i) => ({ ...i, ctimeMs: i.ctimeMs - 1000 })) }));
  assert.equal(isBundleFresh(PROJECT_ROOT, dir), true);
});

test('a changed, resized, missing or unrecorded input means the sources run instead', () => {
  const first = (m: BundleManifest, change: Record<string, unknown>): unknown => ({ ...m, inputs: m.inputs.map((i, n) => (n === 0 ? { ...i, ...change } : i)) });
  const stale = [
    variant((m) => first(m, { ctimeMs: 0, sha256: '0'.repeat(64) })),
    variant((m) => first(m, { sizeBytes: 1 })),
    variant((m) => first(m, { path: 'src/cli/no-such-file.ts' })),
    variant((m) => ({ ...m, inputs: [] })),
    variant(() => ({ key: 'k' })),
    variant(() => [1, 2]),
  ];
  for (const dir of stale) {
    assert.equal(isBundleFresh(PROJECT_ROOT, dir), false, readFileSync(join(dir, 'inputs.json'), 'utf8').slice(0, 200));
    assert.equal(chooseEntry(PROJECT_ROOT, dir), SOURCES_MAIN);
  }
});

test('a bundle without its record or its entry is not run', () => {
  const noRecord = variant((m) => m);
  rmSync(join(noRecord, 'inputs.json'));
  const garbled = variant((m) => m);
  writeFileSync(join(garbled, 'inputs.json'), '{not json');
  const noEntry = variant((m) => m);
  rmSync(join(noEntry, 'main.mjs'));
  for (const dir of [noRecord, garbled, noEntry, join(built, 'missing')]) assert.equal(chooseEntry(PROJECT_ROOT, dir), SOURCES_MAIN);
});

test('the bundle and its fast path answer as the sources do: help, version, a usage error and its exit status', async () => {
  const cases = [
    ['main.mjs', ['--help']], ['main.mjs', ['verify', '--help']], ['main.mjs', ['version', '--output', 'json']], ['main.mjs', ['verify', 'no-key-given']], ['main.mjs', ['no-such-command']],
    ['verify-key.cjs', ['verify', '--key', 'k.pub', '--help']], ['verify-key.cjs', ['verify', '--key', 'k.pub']], ['verify-key.cjs', ['verify', '--key', 'k.pub', '--output', 'xml', 'r/x:1']],
    ['verify-key.cjs', ['verify', '--key', 'k.pub', 'NOT A REFERENCE']], ['verify-key.cjs', ['verify', '--key', 'k.pub', '--certificate-identity', 'a@b', 'r/x:1']],
  ] as const;
  for (const [file, args] of cases) {
    const [fromBundle, fromSources] = await Promise.all([
      // the fast path runs as launch.ts runs it: a script with its code cache
      runProgram(NODE, file.endsWith('.cjs') ? ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', RUN_SCRIPT, join(built, file), ...args] : [join(built, file), ...args]),
      runProgram(NODE, ['--disable-warning=ExperimentalWarning', join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), ...args]),
    ]);
    assert.deepEqual({ code: fromBundle.code, stdout: fromBundle.stdout, stderr: fromBundle.stderr }, { code: fromSources.code, stdout: fromSources.stdout, stderr: fromSources.stderr }, `${file} ${args.join(' ')}`);
  }
});

/** Runs `sigil server --only registry` from `entry` until it listens, then stops it; resolves to the built-ins it loaded. */
async function serverBuiltins(entry: string): Promise<string[]> {
  const { spawn } = await import('node:child_process');
  // a preload that reports the loaded built-ins on exit
  const report = `data:text/javascript,process.on('exit', () => process.stderr.write('MODULES' + JSON.stringify(process.moduleLoadList)))`;
  const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', '--import', report, entry, 'server', '--addr', '127.0.0.1:0', '--data', makeTempDir('server'), '--only', 'registry'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); if (out.includes('listening on')) resolve(); });
    child.once('exit', () => reject(new Error(`server exited before listening: ${err}`)));
  });
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  return JSON.parse(err.slice(err.indexOf('MODULES') + 'MODULES'.length)) as string[];
}

test('the bundle takes Node built-ins without reading their lazy exports: its server loads no undici, http2 or zlib', async () => {
  const lazy = ['NativeModule http2', 'NativeModule zlib', 'NativeModule internal/deps/undici/undici'];
  const [bundled, sources] = await Promise.all([serverBuiltins(join(built, 'main.mjs')), serverBuiltins(join(PROJECT_ROOT, 'src', 'cli', 'main.ts'))]);
  assert.ok(bundled.includes('NativeModule http'));
  assert.deepEqual(bundled.filter((m) => lazy.includes(m)), []);
  // an ES module import of node:http reads http.WebSocket, which loads undici: the sources do
  assert.deepEqual(sources.filter((m) => lazy.includes(m)).sort(), [...lazy].sort());
});
