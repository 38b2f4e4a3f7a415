// `sigil server` in process: the ready line, /healthz, --only, address in use, the data-dir
// lock, and persistence across a restart on the same data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseListenAddress, parseServiceNames } from '../../src/server/index.ts';
import { runCli } from '../helpers/cli.ts';
import { digestOf, makeTempDir, pushBlob, pushImage, startTestServer } from '../helpers/registry-server.ts';

test('server prints one ready line, serves /healthz and stops with exit 0', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const cli = runCli(['server', '--addr', '127.0.0.1:0', '--data', dir, '--only', 'registry']);
  const out = await cli.waitFor('\n');
  assert.match(out, /^sigil server listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  const url = out.trim().split(' ').at(-1) ?? '';
  const res = await fetch(`${url}/healthz`);
  assert.equal(await res.text(), 'ok');
  cli.stop();
  assert.equal(await cli.exit, 0);
});

test('unknown services in --only and malformed --addr are usage errors', async () => {
  for (const argv of [['server', '--only', 'registry,nope'], ['server', '--addr', 'nonsense']]) {
    const cli = runCli(argv);
    assert.equal(await cli.exit, 2);
    assert.match(cli.stderr(), /\(ERR_USAGE\)/);
  }
  assert.throws(() => parseServiceNames(''), { code: 'ERR_USAGE' });
  assert.deepEqual(parseServiceNames(undefined), ['registry', 'log', 'oidc', 'ca']);
  assert.deepEqual(parseServiceNames('log'), ['log']);
  assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListenAddress(':8080'), { host: '0.0.0.0', port: 8080 });
  assert.throws(() => parseListenAddress('127.0.0.1:70000'), { code: 'ERR_USAGE' });
});

test('an address in use is ERR_SERVER_LISTEN with exit 3', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.after(() => blocker.close());
  const { port } = blocker.address() as AddressInfo;
  const cli = runCli(['server', '--addr', `127.0.0.1:${port}`, '--data', dir]);
  assert.equal(await cli.exit, 3);
  assert.match(cli.stderr(), /cannot listen on 127\.0\.0\.1:\d+.*\(ERR_SERVER_LISTEN\)/);
  // the failed start released the data directory
  const again = await startTestServer(dir);
  await again.stop();
});

test('a second server on the same data directory is refused', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const first = await startTestServer(dir);
  t.after(() => first.stop());
  await assert.rejects(startTestServer(dir), { code: 'ERR_DATA_DIR_LOCKED' });
});

test('state survives a restart on the same data directory', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const first = await startTestServer(dir);
  const image = await pushImage(first.url, 'keep/me', 'v1', 'persist');
  const blob = await pushBlob(first.url, 'keep/me', 'loose blob');
  const upload = await fetch(`${first.url}/v2/keep/me/blobs/uploads/`, { method: 'POST' });
  const location = upload.headers.get('location') ?? '';
  await (await fetch(`${first.url}${location}`, { method: 'PATCH', headers: { 'content-range': '0-4' }, body: 'hello' })).arrayBuffer();
  await first.stop();
  const second = await startTestServer(dir);
  t.after(() => second.stop());
  const res = await fetch(`${second.url}/v2/keep/me/manifests/v1`);
  assert.equal(res.headers.get('docker-content-digest'), image.digest);
  assert.equal(await res.text(), image.body);
  assert.equal(await (await fetch(`${second.url}/v2/keep/me/blobs/${blob}`)).text(), 'loose blob');
  const tags = await (await fetch(`${second.url}/v2/keep/me/tags/list`)).json();
  assert.deepEqual(tags, { name: 'keep/me', tags: ['v1'] });
  // the upload session resumes where it stopped
  const status = await fetch(`${second.url}${location}`);
  assert.equal(status.headers.get('range'), '0-4');
  const more = await fetch(`${second.url}${location}`, { method: 'PATCH', headers: { 'content-range': '5-10' }, body: ' world' });
  assert.equal(more.status, 202);
  const put = await fetch(`${second.url}${location}?digest=${digestOf('hello world')}`, { method: 'PUT' });
  assert.equal(put.status, 201);
});

test('a missing htpasswd file is ERR_FILE_NOT_FOUND with exit 2 and releases the data directory', async (t) => {
  const { dir, cleanup } = await makeTempDir();
  t.after(cleanup);
  const cli = runCli(['server', '--addr', '127.0.0.1:0', '--data', dir, '--htpasswd', `${dir}/nope`]);
  assert.equal(await cli.exit, 2);
  assert.match(cli.stderr(), /\(ERR_FILE_NOT_FOUND\)/);
  const again = await startTestServer(dir);
  await again.stop();
});
