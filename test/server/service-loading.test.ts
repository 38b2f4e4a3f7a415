// `sigil server --only registry` loads only the registry's code: no transparency log, CA or OIDC
// modules and no node:sqlite (checked in a fresh Node process whose module hooks record every file
// it loads; the same server with the log and the CA is the contrast). bin/sigil also starts such a
// server with the small-memory V8 flags, and any other server without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { PROJECT_ROOT } from '../support/peers.ts';
import { startSigilServer } from '../support/sigil-server.ts';
import { makeTempDir } from '../helpers/registry-server.ts';

/** Starts and stops a server with `services` in a child process; resolves to the modules it loaded. */
function loadedModules(dataDir: string, services: readonly string[]): Promise<string[]> {
  const entry = pathToFileURL(join(PROJECT_ROOT, 'src', 'server', 'index.ts')).href;
  const script = `
    const files = [];
    (await import('node:module')).registerHooks({ load(url, context, next) { files.push(url); return next(url, context); } });
    const { startServer } = await import(${JSON.stringify(entry)});
    const server = await startServer({ address: { host: '127.0.0.1', port: 0 }, dataDir: ${JSON.stringify(dataDir)},
      services: ${JSON.stringify(services)}, logVerifyThreads: 0, log: () => undefined });
    const res = await fetch(server.url + '/v2/');
    const loaded = [...files, ...process.moduleLoadList.filter((m) => m.startsWith('NativeModule '))];
    await server.stop();
    process.stdout.write(JSON.stringify({ status: res.status, loaded }));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) { reject(new Error(`server child failed: ${stderr}`, { cause: error })); return; }
      const out = JSON.parse(stdout) as { status: number; loaded: string[] };
      assert.equal(out.status, 200);
      resolve(out.loaded);
    });
  });
}

// verification and its ASN.1 and curve libraries (whose decorators and tables run at load) too:
// server/index.ts once re-exported the bundle verification pool, and with it 2-4 MiB of memory
const OTHER_SERVICES = /\/src\/(tlog|ca|oidc|ct|verify|sign|scan|adapters\/sqlite)\/|\/node_modules\/(@peculiar|@noble|pg)\/|^NativeModule sqlite$/;

test('--only registry loads no log, CA, OIDC, verification or SQLite code; with the log and the CA it does', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const registryOnly = await loadedModules(join(dir, 'a'), ['registry']);
  assert.ok(registryOnly.some((m) => m.includes('/src/registry/routes.ts')), 'the registry routes were not loaded');
  assert.deepEqual(registryOnly.filter((m) => OTHER_SERVICES.test(m)), []);
  const withOthers = await loadedModules(join(dir, 'b'), ['registry', 'log', 'ca']);
  for (const part of ['/src/tlog/', '/src/ca/', 'NativeModule sqlite']) {
    assert.ok(withOthers.some((m) => m.includes(part)), `a server with the log and the CA loads no ${part}`);
  }
});

/** The Node options a `bin/sigil server ...` process runs with (bin/sigil execs node, so the pid is node's), and its glibc malloc settings. */
async function nodeFlagsOf(dataDir: string, extra: readonly string[]): Promise<string[]> {
  const server = await startSigilServer(dataDir, extra);
  try {
    const argv = (await readFile(`/proc/${server.child.pid}/cmdline`, 'utf8')).split('\0');
    const env = (await readFile(`/proc/${server.child.pid}/environ`, 'utf8')).split('\0').filter((e) => e.startsWith('MALLOC_'));
    return [...argv.slice(1, argv.findIndex((a) => a.endsWith('launch.ts'))), ...env];
  } finally {
    assert.equal(await server.stop(), 0);
  }
}

test('bin/sigil runs a registry-only server in less memory; other servers keep V8\'s defaults', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const small = ['--expose-gc', '--max-semi-space-size=1', '--no-concurrent-recompilation', 'MALLOC_MMAP_THRESHOLD_=2097152'];
  for (const only of [['--only', 'registry'], ['--only=registry']]) {
    const flags = await nodeFlagsOf(join(dir, 'r'), only);
    assert.deepEqual(flags.filter((f) => !f.startsWith('--disable-warning')), small, only.join(' '));
  }
  const flags = await nodeFlagsOf(join(dir, 'o'), ['--only', 'registry,oidc']);
  assert.deepEqual(flags.filter((f) => !f.startsWith('--disable-warning')), ['--expose-gc']);
});
