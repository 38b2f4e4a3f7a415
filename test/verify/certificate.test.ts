import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EKU_CODE_SIGNING, EKU_TIME_STAMPING, isSelfSigned, parseCertificate, verifyCertificatePath, verifyLeafUsage,
} from '../../src/verify/certificate.ts';
import { findIssuingAuthority } from '../../src/verify/keyless.ts';
import { builtinTrustedRoot } from '../../src/verify/index.ts';
import { flipByte, loadCase } from './corpus.ts';

const { leaf } = loadCase('happy-path-v0.3');
const root = builtinTrustedRoot('production');
const ca = root.certificateAuthorities[1];

test('a Fulcio leaf chains to the production CA at any time within its ten minutes, ends included', () => {
  assert.ok(leaf && ca);
  verifyCertificatePath(leaf, ca.certChain, leaf.notBefore);
  verifyCertificatePath(leaf, ca.certChain, leaf.notAfter);
  assert.equal(findIssuingAuthority(leaf, leaf.notBefore, root.certificateAuthorities), ca);
});

test('a leaf outside its validity does not chain', () => {
  assert.ok(leaf && ca);
  assert.throws(() => verifyCertificatePath(leaf, ca.certChain, new Date(leaf.notAfter.getTime() + 1000)), { code: 'ERR_CERT_CHAIN' });
  assert.throws(() => verifyCertificatePath(leaf, ca.certChain, new Date(leaf.notBefore.getTime() - 1000)), { code: 'ERR_CERT_CHAIN' });
});

test('a leaf with a tampered signature does not chain', () => {
  assert.ok(leaf && ca);
  const tampered = { ...leaf, signature: flipByte(leaf.signature, 10) };
  assert.throws(() => verifyCertificatePath(tampered, ca.certChain, leaf.notBefore), { code: 'ERR_CERT_CHAIN' });
});

test('a leaf does not chain to the retired 2021 CA, whose own validity has ended', () => {
  assert.ok(leaf);
  const old = root.certificateAuthorities[0];
  assert.ok(old);
  assert.throws(() => findIssuingAuthority(leaf, leaf.notBefore, [old]), { code: 'ERR_CERT_CHAIN' });
});

test('an issuer without the CA basic constraint breaks the path', () => {
  assert.ok(leaf && ca);
  const [intermediate, ...rest] = ca.certChain;
  assert.ok(intermediate);
  assert.throws(() => verifyCertificatePath(leaf, [{ ...intermediate, isCa: false }, ...rest], leaf.notBefore), { code: 'ERR_CERT_CHAIN' });
});

test('Fulcio leaves may sign code but not timestamps', () => {
  assert.ok(leaf);
  verifyLeafUsage(leaf, EKU_CODE_SIGNING);
  assert.throws(() => verifyLeafUsage(leaf, EKU_TIME_STAMPING), { code: 'ERR_CERT_USAGE' });
});

test('roots are self-signed, leaves are not; garbage does not parse', () => {
  assert.ok(leaf && ca);
  assert.equal(isSelfSigned(ca.certChain.at(-1) ?? leaf), true);
  assert.equal(isSelfSigned(leaf), false);
  assert.throws(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), { code: 'ERR_CERT_INVALID' });
});

test('an unknown critical extension or an exceeded path length breaks the path', () => {
  assert.ok(leaf && ca);
  const critical = { ...leaf, extensions: [...leaf.extensions, { oid: '1.2.3.4', critical: true, value: new Uint8Array(0) }] };
  assert.throws(() => verifyCertificatePath(critical, ca.certChain, leaf.notBefore), { code: 'ERR_CERT_CHAIN' });
  const [intermediate, anchor] = ca.certChain;
  assert.ok(intermediate && anchor);
  // the root vouches for one intermediate: path length 1 allows it, 0 forbids it
  verifyCertificatePath(leaf, [intermediate, { ...anchor, pathLength: 1 }], leaf.notBefore);
  assert.throws(() => verifyCertificatePath(leaf, [intermediate, { ...anchor, pathLength: 0 }], leaf.notBefore), { code: 'ERR_CERT_CHAIN' });
});
