// htpasswd basic auth of the registry: 401 with a Basic challenge without or with wrong
// credentials, on /v2/ too; bcrypt `$2y$` entries as htpasswd -B writes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import { parseHtpasswd } from '../../src/adapters/auth/htpasswd.ts';
import { makeTempDir, ociCode, startTestServer, type TestServer } from '../helpers/registry-server.ts';

let srv: TestServer;
let cleanup: () => Promise<void>;
let dir: string;
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

before(async () => {
  const tmp = await makeTempDir();
  cleanup = tmp.cleanup;
  dir = tmp.dir;
  const hash = hashSync('s3cret', 4).replace(/^\$2b\$/, '$2y$');
  await writeFile(join(dir, 'htpasswd'), `# users\nalice:${hash}\n`);
  srv = await startTestServer(join(dir, 'data'), join(dir, 'htpasswd'));
});
after(async () => { await srv.stop(); await cleanup(); });

test('missing or wrong credentials answer 401 UNAUTHORIZED with a Basic challenge', async () => {
  for (const headers of [{}, { authorization: basic('alice', 'wrong') }, { authorization: basic('bob', 's3cret') }, { authorization: 'Bearer x' }]) {
    for (const path of ['/v2/', '/v2/x/manifests/latest', '/v2/_catalog']) {
      const res = await fetch(`${srv.url}${path}`, { headers });
      assert.equal(res.status, 401, path);
      assert.equal(res.headers.get('www-authenticate'), 'Basic realm="sigil"');
      assert.equal(await ociCode(res), 'UNAUTHORIZED');
    }
  }
});

test('right credentials pass, repeatedly (verdict remembered)', async () => {
  for (let i = 0; i < 3; i += 1) {
    const res = await fetch(`${srv.url}/v2/`, { headers: { authorization: basic('alice', 's3cret') } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
});

test('htpasswd lines that are not bcrypt are a config error', () => {
  assert.throws(() => parseHtpasswd('bob:$apr1$abc$def\n'), { code: 'ERR_CONFIG_INVALID' });
  assert.throws(() => parseHtpasswd('plain:password\n'), { code: 'ERR_CONFIG_INVALID' });
});

test('an anonymous large upload gets its 401 and the connection closes instead of draining', async () => {
  const { status, connection } = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const req = request(`${srv.url}/v2/x/blobs/uploads/?digest=sha256:${'0'.repeat(64)}`, {
      method: 'POST', agent: false, headers: { 'content-length': String(64 * 1024 * 1024) },
    }, (res) => { res.resume(); resolve({ status: res.statusCode ?? 0, connection: res.headers['connection'] }); });
    req.on('error', (e: Error) => { if (!req.destroyed) reject(e); });
    req.write(Buffer.alloc(64 * 1024));
  });
  assert.equal(status, 401);
  assert.equal(connection, 'close');
});
