/**
 * The PKCS#10 certificate signing request (RFC 2986) a keyless signer can send the CA instead of
 * a public key and proof of possession: the CSR's self-signature is the proof. Fulcio reads
 * only its key, so the subject is empty and there are no attributes.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AlgorithmIdentifier, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { encodePem, InputError, type PrivateKey } from '../core/index.ts';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/**
 * Builds and signs a CSR for an ECDSA P-256 key, as PEM `CERTIFICATE REQUEST`.
 * @throws ERR_CRYPTO_KEY_INVALID for another key type
 */
export function createCertificateRequestPem(key: PrivateKey): string {
  if (key.type !== 'ecdsa-p256') throw new InputError('ERR_CRYPTO_KEY_INVALID', `a certificate request is made for ecdsa-p256 keys, not ${key.type}`);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: new Name([]),
    subjectPKInfo: AsnConvert.parse(key.publicKey().toSpkiDer(), SubjectPublicKeyInfo),
    attributes: new Attributes(),
  });
  const signature = key.sign('ecdsa-p256-sha256', new Uint8Array(AsnConvert.serialize(info)));
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signature: signature.slice().buffer,
  });
  return encodePem('CERTIFICATE REQUEST', new Uint8Array(AsnConvert.serialize(request)));
}
