import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configKeysFor, helperServerUrl, hostOfConfigKey, parseDockerConfig } from '../../../src/adapters/registry-client/docker-config.ts';
import { createDockerCredentials } from '../../../src/adapters/registry-client/index.ts';
import { makeTempDir } from '../../support/temp.ts';

test('parses auths, credsStore and credHelpers', () => {
  const config = parseDockerConfig(JSON.stringify({
    auths: { 'https://index.docker.io/v1/': { auth: 'dTpw' }, 'ghcr.io': { username: 'u', password: 'p', email: 'ignored' }, 'empty.io': {} },
    credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' }, other: 1,
  }), 'config.json');
  assert.deepEqual(config, {
    auths: { 'https://index.docker.io/v1/': { auth: 'dTpw' }, 'ghcr.io': { username: 'u', password: 'p' }, 'empty.io': {} },
    credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' },
  });
});

const malformed = [
  { name: 'not json', text: '{' },
  { name: 'an array', text: '[]' },
  { name: 'auths not an object', text: '{"auths":[]}' },
  { name: 'auth not a string', text: '{"auths":{"x":{"auth":1}}}' },
  { name: 'helper name with a slash', text: '{"credHelpers":{"x":"../evil"}}' },
  { name: 'credsStore with a space', text: '{"credsStore":"a b"}' },
];
for (const c of malformed) {
  test(`rejects a config with ${c.name}`, () => assert.throws(() => parseDockerConfig(c.text, 'config.json'), { code: 'ERR_CONFIG_INVALID' }));
}

test('docker hub has its historic keys and helper server url', () => {
  assert.equal(configKeysFor('docker.io')[0], 'https://index.docker.io/v1/');
  assert.equal(helperServerUrl('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(helperServerUrl('localhost:5000'), 'localhost:5000');
  assert.equal(hostOfConfigKey('https://index.docker.io/v1/'), 'index.docker.io');
  assert.equal(hostOfConfigKey('localhost:5000'), 'localhost:5000');
});

async function sourceFor(config: unknown) {
  const dir = makeTempDir('dc');
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return createDockerCredentials({ env: { DOCKER_CONFIG: dir, PATH: '' } });
}

test('looks credentials up by registry, docker hub under index.docker.io', async () => {
  const source = await sourceFor({ auths: {
    'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') },
    'https://ghcr.io': { username: 'gh', password: 'tok' },
    'quay.io': { identitytoken: 'refresh' },
    'bad.io': { auth: Buffer.from('nocolon').toString('base64') },
  } });
  assert.deepEqual(await source('docker.io'), { username: 'hub', password: 'pw:with:colons' });
  assert.deepEqual(await source('ghcr.io'), { username: 'gh', password: 'tok' });
  assert.deepEqual(await source('quay.io'), { identityToken: 'refresh' });
  assert.equal(await source('other.io'), undefined);
  await assert.rejects(source('bad.io'), { code: 'ERR_AUTH_CREDENTIALS' });
});

test('no config file means no credentials', async () => {
  const source = createDockerCredentials({ env: { DOCKER_CONFIG: join(tmpdir(), 'sigil-no-such-dir') } });
  assert.equal(await source('ghcr.io'), undefined);
  assert.equal(await createDockerCredentials({ env: {} })('ghcr.io'), undefined);
});

test('a credential helper answering the <token> username gives an identity token', async () => {
  const dir = makeTempDir('dc-helper');
  const helper = join(dir, 'docker-credential-tok');
  await writeFile(helper, '#!/bin/sh\nread -r server\nprintf \'{"Username":"<token>","Secret":"refresh-%s"}\' "$server"\n', { mode: 0o755 });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'reg.test': 'tok' } }));
  const source = createDockerCredentials({ env: { DOCKER_CONFIG: dir, PATH: dir } });
  assert.deepEqual(await source('reg.test'), { identityToken: 'refresh-reg.test' });
  assert.equal(await source('other.test'), undefined);
});
