// cosign's command-line forms on sigil's cosign verbs: --bool=false, refused flags, the root
// flags (-t/--timeout, --output-file, -d) and the registry flags, against a real distribution
// registry with htpasswd auth.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { runCli } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';
import { createNodeFetch } from '../../src/adapters/http-clients/node-fetch.ts';
import type { HttpFetch } from '../../src/adapters/http-clients/fetch.ts';

const user = { username: 'carol', password: 's3cret' };
let registry: Distribution;
let image: TestImage;
let ref: string;

before(async () => {
  registry = await startDistribution({ users: [user] });
  image = buildImage([48]);
  await pushImage(createTestClient({ credential: user }).client, { registry: registry.host, repository: 'team/app' }, image, 'v1');
  ref = `${registry.host}/team/app:v1`;
});
after(async () => { await registry?.stop(); });

const cases: { name: string; argv: string[]; code: number; error: string }[] = [
  { name: '--sk on verify', argv: ['verify', '--key', 'k.pub', '--sk', 'img'], code: 2, error: 'ERR_FLAG_UNSUPPORTED' },
  { name: '--sk=true on public-key', argv: ['public-key', '--key', 'k.key', '--sk=true'], code: 2, error: 'ERR_FLAG_UNSUPPORTED' },
  { name: '--timestamp-server-url on sign', argv: ['sign', '--key', 'k.key', '--timestamp-server-url', 'https://tsa.test', 'img'], code: 2, error: 'ERR_FLAG_UNSUPPORTED' },
  { name: '--k8s-keychain on tree', argv: ['tree', '--k8s-keychain', 'img'], code: 2, error: 'ERR_FLAG_UNSUPPORTED' },
  { name: '--kms on generate-key-pair', argv: ['generate-key-pair', '--kms', 'gcpkms://x'], code: 2, error: 'ERR_FLAG_UNSUPPORTED' },
  { name: 'a boolean with a value that is no boolean', argv: ['verify', '--key', 'k.pub', '--insecure-ignore-tlog=maybe', 'img'], code: 2, error: 'ERR_USAGE' },
  { name: 'a malformed --timeout', argv: ['tree', '-t', '5 minutes', 'img'], code: 2, error: 'ERR_USAGE' },
];
for (const c of cases) {
  test(`refused: ${c.name}`, async () => {
    const r = await runCli(c.argv);
    assert.equal(r.code, c.code, r.stderr);
    assert.match(r.stderr, new RegExp(`\\(${c.error}\\)\\n$`));
    assert.equal(r.stdout, '');
  });
}

test('refused flags set to false or empty ask for nothing and pass', async () => {
  const r = await runCli(['triangulate', '--k8s-keychain=false', '--attachment-tag-prefix=', '--registry-username', user.username, '--registry-password', user.password, ref]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${registry.host}/team/app:${image.digest.replace(':', '-')}.sig\n`);
});

test('--registry-username and --registry-password authenticate every request; -d prints the cause chain', async () => {
  const ok = await runCli(['tree', '--registry-username', user.username, '--registry-password', user.password, '--output', 'json', ref]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).digest, image.digest);
  const wrong = await runCli(['tree', '-d', '--registry-username', user.username, '--registry-password', 'nope', ref]);
  assert.equal(wrong.code, 5, wrong.stderr);
  assert.match(wrong.stderr, /\(ERR_OCI_UNAUTHORIZED\)\n/);
  // as cosign: a username without a password is not used (Docker's config is, which has nothing)
  const half = await runCli(['tree', '--registry-username', user.username, ref]);
  assert.equal(half.code, 5, half.stderr);
});

test('--allow-insecure-registry=true is cosign\'s form of the boolean flag', async () => {
  const r = await runCli(['triangulate', '--allow-insecure-registry=true', '--registry-username', user.username, '--registry-password', user.password, ref]);
  assert.equal(r.code, 0, r.stderr);
});

test('--output-file takes what the command prints on stdout', async () => {
  const dir = makeTempDir('output-file');
  const file = join(dir, 'out.txt');
  const r = await runCli(['triangulate', '--output-file', file, '--registry-username', user.username, '--registry-password', user.password, ref]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(await readFile(file, 'utf8'), `${registry.host}/team/app:${image.digest.replace(':', '-')}.sig\n`);
});

/** A registry that accepts the connection and never answers. */
async function silentServer(): Promise<{ server: Server; host: string }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, host: `127.0.0.1:${address.port}` };
}

test('-t/--timeout ends the command with ERR_COMMAND_TIMEOUT (exit 4)', async () => {
  const { server, host } = await silentServer();
  try {
    const started = Date.now();
    const r = await runCli(['tree', '-t', '300ms', `${host}/stuck/app:v1`]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /\(ERR_COMMAND_TIMEOUT\)\n$/);
    assert.ok(Date.now() - started < 5000, 'the deadline, not the 10 s request timeout, ended it');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

/** A fetch that resolves `registry.test` to the real registry and refuses HTTPS (a plain-HTTP registry on a non-loopback name). */
function namedRegistryFetch(): HttpFetch {
  const real = createNodeFetch();
  return async (url, init) => {
    const u = new URL(url);
    if (u.hostname !== 'registry.test') return real(url, init);
    if (u.protocol === 'https:') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    u.host = registry.host;
    return real(u.toString(), init);
  };
}

test('--allow-http-registry lets a registry that only speaks plain HTTP be used', async () => {
  const port = registry.host.split(':')[1] ?? '';
  const named = `registry.test:${port}/team/app:v1`;
  const creds = ['--registry-username', user.username, '--registry-password', user.password];
  const refused = await runCli(['triangulate', ...creds, named], { deps: { fetch: namedRegistryFetch() } });
  assert.equal(refused.code, 4, refused.stderr);
  const allowed = await runCli(['triangulate', '--allow-http-registry', ...creds, named], { deps: { fetch: namedRegistryFetch() } });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(allowed.stdout, `registry.test:${port}/team/app:${image.digest.replace(':', '-')}.sig\n`);
});

test('--registry-token is sent as the bearer token', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== 'Bearer tok-123') { res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://127.0.0.1:9/token",service="test"' }).end(); return; }
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': image.digest, 'content-length': '0' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  try {
    if (address === null || typeof address === 'string') throw new Error('no port');
    const r = await runCli(['triangulate', '--registry-token', 'tok-123', `127.0.0.1:${address.port}/team/app:v1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(seen.includes('Bearer tok-123'), seen.join(','));
  } finally {
    server.close();
  }
});

test('COSIGN_<FLAG> variables set flags the command line leaves unset, as cosign\'s viper binding does', async () => {
  const base = { DOCKER_CONFIG: makeTempDir('docker-config'), PATH: process.env['PATH'] ?? '' };
  const creds = { COSIGN_REGISTRY_USERNAME: user.username, COSIGN_REGISTRY_PASSWORD: user.password };
  const fromEnv = await runCli(['triangulate', ref], { env: { ...base, ...creds } });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  // the command line wins over the variable
  const flagWins = await runCli(['triangulate', '--registry-password', 'wrong', ref], { env: { ...base, ...creds } });
  assert.equal(flagWins.code, 5, flagWins.stderr);
  const refused = await runCli(['verify', '--key', 'k.pub', 'img'], { env: { ...base, COSIGN_SK: 'true' } });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^error: --sk: .*\(ERR_FLAG_UNSUPPORTED\)\n$/);
  const off = await runCli(['triangulate', ref], { env: { ...base, ...creds, COSIGN_K8S_KEYCHAIN: 'false' } });
  assert.equal(off.code, 0, off.stderr);
  const bad = await runCli(['triangulate', ref], { env: { ...base, ...creds, COSIGN_ALLOW_INSECURE_REGISTRY: 'maybe' } });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /COSIGN_ALLOW_INSECURE_REGISTRY must be true or false/);
});
