import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase64, generatePrivateKey } from '../../src/core/index.ts';
import { issueCertificate, ROOT_NAME } from '../../src/ca/index.ts';
import { buildTrustedRoot, writeTrustMaterial, type TrustContribution } from '../../src/server/trust-material.ts';
import { parseCertificate, toTrustedRoot } from '../../src/verify/index.ts';
import { verifyKeylessCertificate } from '../../src/verify/keyless.ts';
import { makeTempDir } from '../support/temp.ts';
import { createTestCa, EMAIL_IDENTITY, type TestCa } from '../ca/support.ts';

function contributions(ca: TestCa, validFrom: Date): TrustContribution[] {
  const logKey = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  return [
    { tlog: { baseUrl: 'http://sigil.test', spkiDer: logKey, validFrom }, rekorUrl: 'http://sigil.test' },
    {
      certificateAuthority: { uri: 'http://sigil.test', ...ROOT_NAME, chainDer: [ca.intermediateDer, ca.rootDer], validFrom },
      ctlog: { baseUrl: 'http://sigil.test/ct', spkiDer: ca.ctSigner.spkiDer, validFrom },
      caUrl: 'http://sigil.test',
    },
    { oidcUrl: 'http://sigil.test/oidc' },
  ];
}

test('the trusted root loads with src/verify/trust-root.ts and an issued certificate verifies against it', async () => {
  const ca = await createTestCa();
  const validFrom = new Date(ca.now.getTime() - 3_600_000);
  const root = toTrustedRoot(buildTrustedRoot(contributions(ca, validFrom)));
  assert.equal(root.certificateAuthorities.length, 1);
  assert.equal(root.ctlogs[0]?.algorithm, 'ecdsa-p256-sha256');
  assert.equal(root.tlogs.length, 1);
  const issued = await issueCertificate(ca.issuer, EMAIL_IDENTITY, generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer());
  const leaf = parseCertificate(issued.certificateDer);
  verifyKeylessCertificate(leaf, [leaf.notBefore, new Date(leaf.notBefore.getTime() + 60_000)], root);
  // outside the ten minutes the chain no longer validates
  assert.throws(() => verifyKeylessCertificate(leaf, [new Date(leaf.notAfter.getTime() + 1000)], root), { code: 'ERR_CERT_CHAIN' });
  // a CT log the root does not name cannot vouch for the SCT
  const other = { ...root, ctlogs: toTrustedRoot(buildTrustedRoot([{ ctlog: { baseUrl: 'x', spkiDer: generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer(), validFrom } }])).ctlogs };
  assert.throws(() => verifyKeylessCertificate(leaf, [leaf.notBefore], other), { code: 'ERR_SCT_INVALID' });
});

test('the files on disk: trusted_root.json with keys and log IDs, signing_config.json v0.2 naming every service', async () => {
  const ca = await createTestCa();
  const dir = makeTempDir('sigil-trust-');
  const parts = contributions(ca, new Date('2026-01-02T03:04:05.678Z'));
  writeTrustMaterial(dir, parts, 'http://sigil.test');
  const trusted = JSON.parse(readFileSync(join(dir, 'trusted_root.json'), 'utf8'));
  assert.equal(trusted.mediaType, 'application/vnd.dev.sigstore.trustedroot+json;version=0.1');
  assert.equal(trusted.ctlogs[0].publicKey.rawBytes, encodeBase64(ca.ctSigner.spkiDer));
  assert.equal(trusted.ctlogs[0].publicKey.validFor.start, '2026-01-02T03:04:05Z');
  assert.equal(trusted.certificateAuthorities[0].certChain.certificates[1].rawBytes, encodeBase64(ca.rootDer));
  toTrustedRoot(trusted);
  const config = JSON.parse(readFileSync(join(dir, 'signing_config.json'), 'utf8'));
  assert.equal(config.mediaType, 'application/vnd.dev.sigstore.signingconfig.v0.2+json');
  assert.deepEqual(config.caUrls, [{ url: 'http://sigil.test', majorApiVersion: 1, validFor: { start: '2026-01-02T03:04:05Z' }, operator: 'sigil.test' }]);
  assert.equal(config.rekorTlogUrls[0].url, 'http://sigil.test');
  assert.equal(config.oidcUrls[0].url, 'http://sigil.test/oidc');
  assert.deepEqual(config.rekorTlogConfig, { selector: 'ANY' });
});
