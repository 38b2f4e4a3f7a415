// `sigil scan repo` reaching registries: a self-signed TLS registry (refused, then accepted with
// --allow-insecure-registry) and one behind htpasswd basic auth (-u/-p, wrong password, none).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createSelfSigned } from '../support/tls.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage } from '../support/images.ts';
import { runCli } from '../support/cli.ts';
import type { JsonRepoDocument } from '../../src/scan/index.ts';

const USER = { username: 'scanner', password: 'scan-secret' };
let tls: Distribution;
let auth: Distribution;

before(async () => {
  [tls, auth] = await Promise.all([startDistribution({ tls: createSelfSigned() }), startDistribution({ users: [USER] })]);
});
after(async () => { await Promise.all([tls?.stop(), auth?.stop()]); });

async function scan(argv: readonly string[]): Promise<{ code: number; doc: JsonRepoDocument; stderr: string }> {
  const r = await runCli(['scan', 'repo', ...argv, '--output', 'json', '--fail-on', 'unverified']);
  return { code: r.code, doc: JSON.parse(r.stdout) as JsonRepoDocument, stderr: r.stderr };
}

test('a self-signed registry: the catalog failure is reported without the flag; with --allow-insecure-registry its tags are scanned', async () => {
  const { client } = createTestClient({ allowInsecure: true, insecureFetch: async (input, init) => {
    const undici = await import('undici');
    const dispatcher = new undici.Agent({ connect: { rejectUnauthorized: false } });
    return undici.fetch(String(input), { ...(init as object), dispatcher }) as unknown as Response;
  } });
  await pushImage(client, { registry: tls.host, repository: 'tls/app' }, buildImage([32]), 'v1');
  const refused = await scan([tls.host]);
  assert.equal(refused.code, 13);
  assert.deepEqual(refused.doc.problems.map((p) => p.code), ['ERR_NETWORK']);
  assert.match(refused.doc.problems[0]?.message ?? '', /tls certificate/);
  const accepted = await scan([tls.host, '--allow-insecure-registry']);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.deepEqual(accepted.doc.entries.map((e) => e.path), ['tls/app:v1']);
});

test('basic auth: -u/-p scans; a wrong password and no credentials are reported as ERR_OCI_UNAUTHORIZED', async () => {
  const { client } = createTestClient({ credential: USER });
  await pushImage(client, { registry: auth.host, repository: 'auth/app' }, buildImage([32]), 'v1');
  const ok = await scan([auth.host, '-u', USER.username, '-p', USER.password]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(ok.doc.entries.map((e) => e.path), ['auth/app:v1']);
  for (const creds of [['-u', USER.username, '-p', 'wrong'], []]) {
    const denied = await scan([auth.host, ...creds]);
    assert.equal(denied.code, 13);
    assert.deepEqual(denied.doc.problems.map((p) => p.code), ['ERR_OCI_UNAUTHORIZED']);
    assert.doesNotMatch(JSON.stringify(denied.doc), /wrong|scan-secret/, 'no password in the report');
  }
});
