import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey } from '../../src/core/index.ts';
import { createLeafTbsEncoder } from '../../src/ca/leaf-der.ts';
import { buildLeafTbsWith, toIssuingCertificate, toLeafConstants } from '../../src/ca/profile.ts';
import { poisonExtension } from '../../src/ca/sct-list.ts';
import { toDer, toSerial } from '../../src/ca/x509-build.ts';
import type { CertificateIdentity } from '../../src/ca/ports.ts';
import { createSeededRandom } from '../support/seeded-random.ts';
import { createTestCa, EMAIL_IDENTITY, GITHUB_IDENTITY } from './support.ts';

const ca = await createTestCa();
const constants = toLeafConstants(toIssuingCertificate(ca.intermediateDer));
const encode = createLeafTbsEncoder(constants);
const random = createSeededRandom('leaf-der');
const USERNAME: CertificateIdentity = { ...EMAIL_IDENTITY, san: { kind: 'other-name', value: 'alice!example.com' } };

test('the assembled leaf TBS is byte for byte the one asn1-x509 serializes, for every SAN kind, key type and extension set', () => {
  const keys = [
    generatePrivateKey('ecdsa-p256'), generatePrivateKey('ecdsa-p384'), generatePrivateKey('ed25519'), generatePrivateKey('rsa'),
  ].map((k) => k.publicKey().toSpkiDer());
  for (const identity of [EMAIL_IDENTITY, GITHUB_IDENTITY, USERNAME]) {
    for (const subjectSpkiDer of keys) {
      for (const extra of [[], [poisonExtension()]]) {
        const fields = { identity, subjectSpkiDer, serial: toSerial(random.bytes(20)), notBefore: new Date(Date.UTC(2026, 10, 23, 12, 0, 7)) };
        assert.deepEqual(encode(fields, extra), toDer(buildLeafTbsWith(fields, constants, extra)), `${identity.san.kind} ${subjectSpkiDer.byteLength}`);
      }
    }
  }
});

test('a key in BER rather than DER takes the schema path (re-encoded as before); bad identities are refused the same way', () => {
  const der = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  // the same SPKI with a non-minimal (long-form) outer length
  const ber = Uint8Array.from([0x30, 0x81, der[1] ?? 0, ...der.subarray(2)]);
  const fields = { identity: EMAIL_IDENTITY, subjectSpkiDer: ber, serial: toSerial(random.bytes(20)), notBefore: new Date() };
  assert.deepEqual(encode(fields, []), toDer(buildLeafTbsWith({ ...fields, subjectSpkiDer: der }, constants)));
  assert.throws(() => encode({ ...fields, subjectSpkiDer: der, identity: { ...EMAIL_IDENTITY, san: { kind: 'email', value: '' } } }, []), { code: 'ERR_INPUT_INVALID' });
  assert.throws(() => encode({ ...fields, subjectSpkiDer: der, identity: { ...EMAIL_IDENTITY, extensions: [{ oid: '1.2.3', value: 'x' }] } }, []), { code: 'ERR_INPUT_INVALID' });
  assert.throws(() => encode({ ...fields, subjectSpkiDer: new Uint8Array([1, 2, 3]) }, []), { code: 'ERR_INPUT_INVALID' });
});
