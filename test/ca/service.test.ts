import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePem, generatePrivateKey } from '../../src/core/index.ts';
import { createCaService } from '../../src/ca/index.ts';
import { openCtLog } from '../../src/ct/index.ts';
import { openSqliteCtStore } from '../../src/adapters/sqlite/ct-store.ts';
import { toErrorResponse } from '../../src/http/respond.ts';
import { createTestCa } from './support.ts';
import { createTestTokens, emailIdentityOf } from './test-verifier.ts';

test('when the CT log refuses the precertificate, no certificate is issued and the answer is a 500 without internals', async () => {
  const ca = await createTestCa();
  const stranger = await createTestCa();
  // a real CT log that accepts another CA's root only
  const ct = await openCtLog({ store: openSqliteCtStore(':memory:'), signer: ca.ctSigner, roots: [stranger.rootDer], clock: () => ca.now });
  const tokens = await createTestTokens();
  const service = createCaService({
    verifier: tokens.verifier, identityOf: emailIdentityOf,
    issuer: { ...ca.issuer, logPrecertificate: async (chain) => { const s = await ct.add(chain, true); return { ...s, timestampMs: BigInt(s.timestampMs) }; } },
  });
  const key = generatePrivateKey('ecdsa-p256');
  const email = 'alice@example.com';
  const request = {
    kind: 'public-key' as const,
    content: new TextEncoder().encode(encodePem('PUBLIC KEY', key.publicKey().toSpkiDer())),
    proofOfPossession: key.sign('ecdsa-p256-sha256', new TextEncoder().encode(email)),
  };
  const failure = await service.signingCertificate(await tokens.mint({ sub: 'a', email }), request).then(() => undefined, (e: unknown) => e);
  assert.equal((failure as { code?: string }).code, 'ERR_CA_CT_FAILED');
  const response = toErrorResponse(failure, 'fulcio');
  assert.equal(response.status, 500);
  assert.deepEqual(JSON.parse(String(response.body)), { code: 13, message: 'internal server error', details: [] });
  assert.equal((await ct.latestHead()).treeSize, 0);
});
