import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePem, generatePrivateKey } from '../../src/core/index.ts';
import { createHttpServer, drainServer } from '../../src/http/serve.ts';
import { systemClock, systemRandom } from '../../src/adapters/system.ts';
import { createCaServiceWith } from '../../src/server/ca.ts';
import type { ServiceContext } from '../../src/server/service.ts';
import { makeTempDir } from '../support/temp.ts';
import { createTestTokens, emailIdentityOf, TEST_ISSUER, type TestTokens } from '../ca/test-verifier.ts';

async function withCa<T>(dataDir: string, tokens: TestTokens, body: (base: string) => Promise<T>): Promise<T> {
  const ctx: ServiceContext = { dataDir, publicUrl: () => 'http://sigil.test', listenUrl: () => 'http://sigil.test', clock: systemClock, random: systemRandom, log: () => undefined, services: ['ca'] };
  const service = await createCaServiceWith(ctx, {
    verifier: tokens.verifier, identityOf: emailIdentityOf,
    issuers: [{ issuerUrl: TEST_ISSUER, audience: 'sigstore', challengeClaim: 'email', issuerType: 'email' }],
  });
  const server = createHttpServer({ routes: [...service.routes], baseUrl: () => 'http://sigil.test', fallbackDialect: 'plain', onInternalError: () => undefined });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await drainServer(server, 1000);
    await service.close?.();
  }
}

async function issue(base: string, tokens: TestTokens): Promise<number> {
  const key = generatePrivateKey('ecdsa-p256');
  const email = 'alice@example.com';
  const res = await fetch(`${base}/api/v2/signingCert`, {
    method: 'POST',
    body: JSON.stringify({
      credentials: { oidcIdentityToken: await tokens.mint({ sub: 'alice', email }) },
      publicKeyRequest: { publicKey: { content: encodePem('PUBLIC KEY', key.publicKey().toSpkiDer()) }, proofOfPossession: Buffer.from(key.sign('ecdsa-p256-sha256', new TextEncoder().encode(email))).toString('base64') },
    }),
  });
  return res.status;
}

test('a restart keeps the CA root, the CT log key and the CT tree; private keys are 0600', async () => {
  const dataDir = makeTempDir('sigil-ca-restart-');
  const tokens = await createTestTokens();
  const first = await withCa(dataDir, tokens, async (base) => {
    assert.equal(await issue(base, tokens), 200);
    assert.equal(await issue(base, tokens), 200);
    const roots = await (await fetch(`${base}/ct/v1/get-roots`)).json();
    return { bundle: await (await fetch(`${base}/api/v2/trustBundle`)).text(), roots, sth: (await (await fetch(`${base}/ct/v1/get-sth`)).json()) as { tree_size: number; sha256_root_hash: string } };
  });
  assert.equal(first.sth.tree_size, 2);
  for (const file of ['ca/root-key.pem', 'ca/intermediate-key.pem', 'ct/signing-key.pem']) {
    assert.equal(statSync(join(dataDir, file)).mode & 0o777, 0o600, file);
  }
  await withCa(dataDir, tokens, async (base) => {
    assert.equal(await (await fetch(`${base}/api/v2/trustBundle`)).text(), first.bundle);
    assert.deepEqual(await (await fetch(`${base}/ct/v1/get-roots`)).json(), first.roots);
    const sth = (await (await fetch(`${base}/ct/v1/get-sth`)).json()) as { tree_size: number; sha256_root_hash: string };
    assert.equal(sth.sha256_root_hash, first.sth.sha256_root_hash);
    assert.equal(await issue(base, tokens), 200);
    const consistency = (await (await fetch(`${base}/ct/v1/get-sth-consistency?first=2&second=3`)).json()) as { consistency: string[] };
    assert.ok(consistency.consistency.length > 0);
  });
});

test('CA material that does not fit together stops the service with ERR_CONFIG_INVALID; half-created material starts over', async () => {
  const tokens = await createTestTokens();
  const identity = { verifier: tokens.verifier, identityOf: emailIdentityOf, issuers: [] };
  const ctxOf = (dataDir: string): ServiceContext => ({ dataDir, publicUrl: () => 'http://sigil.test', listenUrl: () => 'http://sigil.test', clock: systemClock, random: systemRandom, log: () => undefined, services: ['ca'] });
  const broken = makeTempDir('sigil-ca-broken-');
  await (await createCaServiceWith(ctxOf(broken), identity)).close?.();
  writeFileSync(join(broken, 'ca', 'intermediate-key.pem'), encodePem('PRIVATE KEY', generatePrivateKey('ecdsa-p256').toPkcs8Der()));
  await assert.rejects(createCaServiceWith(ctxOf(broken), identity), { code: 'ERR_CONFIG_INVALID' });
  // keys without chain.pem: a first start that died before finishing; no certificate came from them
  const half = makeTempDir('sigil-ca-half-');
  await (await createCaServiceWith(ctxOf(half), identity)).close?.();
  rmSync(join(half, 'ca', 'chain.pem'));
  const restarted = await createCaServiceWith(ctxOf(half), identity);
  assert.ok(readFileSync(join(half, 'ca', 'chain.pem'), 'utf8').includes('BEGIN CERTIFICATE'));
  await restarted.close?.();
});
