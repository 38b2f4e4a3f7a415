// The bundle's `verify --key` fast path (dist/cli/verify-key.cjs, run by src/cli/launch.ts with
// its V8 code cache) against a real registry: it verifies and fails exactly as the full bundle
// does, its code cache is written by a successful run only and a bad one is replaced, and a run
// that turns out to need other code is handed back to the launcher, which runs the full bundle
// as a new process image.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli } from '../../scripts/build-cli.ts';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { createTestClient } from '../support/client.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { runCli as runCliIn } from '../support/cli-capture.ts';
import { PROJECT_ROOT, runProgram, type RunResult } from '../support/peers.ts';
import { makeTempDir } from '../support/temp.ts';

const PASSWORD = 'fast-path-test';
let built = '';
let dir = '';
let registry: Distribution;
const image = buildImage([300]);
const unsigned = buildImage([400]);
const ref = (repo: string): string => `${registry.host}/${repo}:v1`;

before(async () => {
  dir = makeTempDir('fast-path');
  built = join(dir, 'cli');
  // a preload that records, for each process image that reaches its exit, the file it started
  // and the bundle's ES modules it loaded (main.mjs: the full bundle; the fast path is a script)
  writeFileSync(join(dir, 'entry-hook.mjs'), [
    "const loaded = [];",
    "process.getBuiltinModule('node:module').registerHooks({ load(url, context, next) { if (url.endsWith('/main.mjs')) loaded.push('main.mjs'); return next(url, context); } });",
    "process.on('exit', () => process.getBuiltinModule('node:fs').appendFileSync(process.env.ENTRY_LOG, [process.argv[1].split('/').pop(), ...loaded].join(' ') + '\\n'));",
    // and the Node built-ins it loaded
    "process.on('exit', () => { if (process.env.BUILTINS_LOG) process.getBuiltinModule('node:fs').writeFileSync(process.env.BUILTINS_LOG, JSON.stringify(process.moduleLoadList)); });",
  ].join('\n'));
  // launch.ts as bin/sigil runs it, with the bundle built here
  const launch = join(PROJECT_ROOT, 'src', 'cli', 'launch.ts');
  writeFileSync(join(dir, 'launch.mjs'), `const { launch } = await import(${JSON.stringify(launch)});\nawait launch(${JSON.stringify(PROJECT_ROOT)}, ${JSON.stringify(built)}, process.argv.slice(2));\n`);
  const [, started] = await Promise.all([buildCli(built), startDistribution()]);
  registry = started;
  const client = createTestClient().client;
  await pushImage(client, { registry: registry.host, repository: 'app' }, image, 'v1');
  await pushImage(client, { registry: registry.host, repository: 'unsigned' }, unsigned, 'v1');
  for (const name of ['a', 'b']) {
    const g = await runCliIn(['generate-key-pair', '--output-key-prefix', join(dir, name)], { env: { COSIGN_PASSWORD: PASSWORD }, cwd: dir });
    assert.equal(g.code, 0, g.stderr);
  }
  const s = await runCli(['sign', '--key', join(dir, 'a.key'), ref('app')], { env: isolatedEnv({ COSIGN_PASSWORD: PASSWORD }) });
  assert.equal(s.code, 0, s.stderr);
});
after(async () => { await registry.stop(); });

/**
 * Runs `file` of the built bundle (the fast path through the launcher); returns what it printed,
 * per process image that exited what it ran, and the Node built-ins the last one loaded.
 */
async function runBundle(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult & { readonly entries: string[]; readonly builtins: string[] }> {
  const name = Math.random().toString(36).slice(2);
  const log = join(dir, `entries-${name}.log`);
  const builtins = join(dir, `builtins-${name}.json`);
  writeFileSync(log, '');
  const entry = file.endsWith('.cjs') ? [join(dir, 'launch.mjs')] : [join(built, file)];
  const r = await runProgram(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', join(dir, 'entry-hook.mjs'), ...entry, ...args], { env: { ...isolatedEnv(env), ENTRY_LOG: log, BUILTINS_LOG: builtins } });
  return { ...r, entries: readFileSync(log, 'utf8').trim().split('\n'), builtins: JSON.parse(readFileSync(builtins, 'utf8')) as string[] };
}

const shown = (r: RunResult): RunResult => ({ code: r.code, stdout: r.stdout, stderr: r.stderr });
const caches = (): string[] => readdirSync(built).filter((name) => name.endsWith('.cache'));

test('the fast path\'s code cache is written by a successful run only, and a bad one is replaced', async () => {
  const ok = ['verify', '--key', join(dir, 'a.pub'), '--insecure-ignore-tlog', ref('app')];
  const failed = await runBundle('verify-key.cjs', ['verify', '--key', join(dir, 'b.pub'), '--insecure-ignore-tlog', ref('app')]);
  assert.equal(failed.code, 12, failed.stderr);
  assert.deepEqual(caches(), []);
  const first = await runBundle('verify-key.cjs', ok);
  assert.equal(first.code, 0, first.stderr);
  const [cache] = caches();
  assert.match(cache ?? '', /^verify-key\.cjs\.[0-9a-f]{32}\.cache$/);
  const written = readFileSync(join(built, cache ?? ''));
  assert.ok(written.length > 10_000);
  const again = await runBundle('verify-key.cjs', ok);
  assert.deepEqual(shown(again), shown(first));
  assert.deepEqual(readFileSync(join(built, cache ?? '')), written, 'an accepted cache is kept');
  // a cache V8 rejects (here: garbage) costs a compile, never a wrong answer, and is replaced
  writeFileSync(join(built, cache ?? ''), Buffer.alloc(written.length, 7));
  const repaired = await runBundle('verify-key.cjs', ok);
  assert.deepEqual(shown(repaired), shown(first));
  assert.ok(!readFileSync(join(built, cache ?? '')).equals(Buffer.alloc(written.length, 7)));
});

test('verify --key in the fast path verifies, rejects and reports as the full bundle does, all in one process', async () => {
  const cases = [
    { args: ['verify', '--key', join(dir, 'a.pub'), '--insecure-ignore-tlog', '--allow-insecure-registry', ref('app')], code: 0 },
    { args: ['verify', '--key', join(dir, 'a.pub'), '--output', 'json', '--insecure-ignore-tlog', ref('app')], code: 0 },
    { args: ['verify', '--key', join(dir, 'b.pub'), '--insecure-ignore-tlog', ref('app')], code: 12 },
    { args: ['verify', '--key', join(dir, 'a.pub'), ref('app')], code: 12 },
    { args: ['verify', '--key', join(dir, 'a.pub'), '--insecure-ignore-tlog', ref('unsigned')], code: 10 },
    { args: ['verify', '--key', join(dir, 'a.pub'), '--insecure-ignore-tlog', `${registry.host}/absent:v1`], code: 11 },
    { args: ['verify', '--key', join(dir, 'missing.pub'), '--insecure-ignore-tlog', ref('app')], code: 2 },
  ];
  for (const c of cases) {
    const [fast, full] = await Promise.all([runBundle('verify-key.cjs', c.args), runBundle('main.mjs', c.args)]);
    assert.equal(fast.code, c.code, `${c.args.join(' ')}: ${fast.stderr}`);
    assert.deepEqual(shown(fast), shown(full), c.args.join(' '));
    assert.deepEqual(fast.entries, ['launch.mjs'], c.args.join(' '));
  }
});

test('a verify whose --key token is another flag\'s value is handed over to the full bundle, with the same outcome', async () => {
  const args = ['verify', '--certificate-identity', '--key', '--certificate-oidc-issuer', 'https://issuer.example', '--allow-insecure-registry', ref('unsigned')];
  const [fast, full] = await Promise.all([runBundle('verify-key.cjs', args), runBundle('main.mjs', args)]);
  assert.equal(full.code, 10, full.stderr);
  assert.deepEqual(shown(fast), shown(full));
  // the same process, a new image started by the same launcher: only the second one reaches its exit handlers
  assert.deepEqual(fast.entries, ['launch.mjs main.mjs']);
  assert.deepEqual(full.entries, ['main.mjs main.mjs']);
});

test('verify --key from the fast path loads no Node built-in it does not use (fs/promises and readline, timers/promises, util\'s lazy parts)', async () => {
  const logKey = join(dir, 'log.pub');
  writeFileSync(logKey, readFileSync(join(dir, 'b.pub')));
  const runs = [
    await runBundle('verify-key.cjs', ['verify', '--key', join(dir, 'a.pub'), '--insecure-ignore-tlog', ref('app')]),
    // a log key file to read too (the entry is not there: exit 12, but every file was read)
    await runBundle('verify-key.cjs', ['verify', '--key', join(dir, 'a.pub'), ref('app')], { SIGSTORE_REKOR_PUBLIC_KEY: logKey }),
  ];
  assert.deepEqual(runs.map((r) => r.code), [0, 12], runs.map((r) => r.stderr).join('\n'));
  const unused = ['NativeModule fs/promises', 'NativeModule internal/readline/interface', 'NativeModule timers/promises', 'NativeModule worker_threads', 'NativeModule internal/util/parse_args/parse_args'];
  for (const r of runs) {
    assert.ok(r.builtins.includes('NativeModule crypto') && r.builtins.includes('NativeModule http'), 'the ones it needs are there');
    assert.deepEqual(r.builtins.filter((m) => unused.includes(m)), []);
  }
});
