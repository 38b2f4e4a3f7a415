// Docker credentials for CLI commands: config.json auths, credential helpers, credsStore,
// against a distribution registry with htpasswd auth.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';

const user = { username: 'bob', password: 'hunter2' };
let registry: Distribution;
let image: TestImage;

before(async () => {
  registry = await startDistribution({ users: [user] });
  image = buildImage([64]);
  await pushImage(createTestClient({ credential: user }).client, { registry: registry.host, repository: 'private/app' }, image, 'v1');
});
after(async () => { await registry?.stop(); });

async function envWithConfig(config: unknown, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const env = isolatedEnv(extra);
  await writeFile(join(env['DOCKER_CONFIG'] ?? '', 'config.json'), JSON.stringify(config));
  return env;
}

/** Writes `docker-credential-<name>` answering for `server` with `secret` and logging its stdin. */
async function helperDir(name: string, server: string, username: string, secret: string): Promise<string> {
  const dir = makeTempDir('helper');
  const script = [
    '#!/bin/sh',
    '[ "$1" = get ] || exit 2',
    'read -r server',
    `if [ "$server" = "${server}" ]; then printf '{"ServerURL":"%s","Username":"${username}","Secret":"${secret}"}' "$server"; exit 0; fi`,
    'echo "credentials not found in native keychain"; exit 1',
  ].join('\n');
  await writeFile(join(dir, `docker-credential-${name}`), `${script}\n`);
  await chmod(join(dir, `docker-credential-${name}`), 0o755);
  return dir;
}

test('without credentials the registry answers 401: exit 5', async () => {
  const r = await runCli(['digest', `${registry.host}/private/app:v1`]);
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, /\(ERR_OCI_UNAUTHORIZED\)\n$/);
});

test('config.json auths with base64 auth', async () => {
  const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
  const env = await envWithConfig({ auths: { [registry.host]: { auth } } });
  const r = await runCli(['digest', `${registry.host}/private/app:v1`], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${image.digest}\n`);
});

test('config.json auths with username and password under an http:// key', async () => {
  const env = await envWithConfig({ auths: { [`http://${registry.host}/v2/`]: { username: user.username, password: user.password } } });
  const r = await runCli(['digest', `${registry.host}/private/app:v1`], { env });
  assert.equal(r.code, 0, r.stderr);
});

test('wrong credentials exit 5', async () => {
  const env = await envWithConfig({ auths: { [registry.host]: { username: user.username, password: 'wrong' } } });
  const r = await runCli(['copy', `${registry.host}/private/app:v1`, `${registry.host}/private/copy`], { env });
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, /\(ERR_OCI_UNAUTHORIZED\)\n$/);
});

test('credHelpers runs docker-credential-<name> get with the server on stdin', async () => {
  const dir = await helperDir('test', registry.host, user.username, user.password);
  const env = await envWithConfig({ credHelpers: { [registry.host]: 'test' } }, { PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` });
  const r = await runCli(['copy', `${registry.host}/private/app:v1`, `${registry.host}/private/helped`, '--output', 'json'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).digest, image.digest);
});

test('credsStore is used for every registry, falling back to auths when it has nothing', async () => {
  const dir = await helperDir('store', 'some-other-host', 'x', 'y');
  const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
  const env = await envWithConfig({ credsStore: 'store', auths: { [registry.host]: { auth } } }, { PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` });
  const r = await runCli(['digest', `${registry.host}/private/app:v1`], { env });
  assert.equal(r.code, 0, r.stderr);
  const storeDir = await helperDir('store', registry.host, user.username, user.password);
  const onlyStore = await envWithConfig({ credsStore: 'store' }, { PATH: `${storeDir}${delimiter}${process.env['PATH'] ?? ''}` });
  assert.equal((await runCli(['digest', `${registry.host}/private/app:v1`], { env: onlyStore })).code, 0);
});

test('a missing credential helper or a broken config fail with their codes', async () => {
  const missing = await envWithConfig({ credHelpers: { [registry.host]: 'absent' } });
  const r = await runCli(['digest', `${registry.host}/private/app:v1`], { env: missing });
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, /\(ERR_AUTH_CREDENTIALS\)\n$/);
  const broken = isolatedEnv();
  await writeFile(join(broken['DOCKER_CONFIG'] ?? '', 'config.json'), '{not json');
  const b = await runCli(['digest', `${registry.host}/private/app:v1`], { env: broken });
  assert.equal(b.code, 3, b.stderr);
  assert.match(b.stderr, /\(ERR_CONFIG_INVALID\)\n$/);
});
