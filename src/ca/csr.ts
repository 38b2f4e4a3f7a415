/**
 * PKCS#10 certificate signing requests (RFC 2986), as Fulcio takes them: only the key is used
 * (subject and attributes are ignored) and the self-signature is the proof of possession.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { decodePem, InputError, isAppError, isSignatureValid, type KeyType, type SignatureAlgorithm } from '../core/index.ts';
import { checkRequestedKey, type RequestedKey } from './public-key.ts';

// signature algorithm OID → the algorithm for each key type it may be used with
const CSR_ALGORITHMS: Readonly<Record<string, Partial<Record<KeyType, SignatureAlgorithm>>>> = {
  '1.2.840.10045.4.3.2': { 'ecdsa-p256': 'ecdsa-p256-sha256', 'ecdsa-p384': 'ecdsa-p384-sha256', 'ecdsa-p521': 'ecdsa-p521-sha256' },
  '1.2.840.10045.4.3.3': { 'ecdsa-p384': 'ecdsa-p384-sha384' },
  '1.2.840.10045.4.3.4': { 'ecdsa-p521': 'ecdsa-p521-sha512' },
  '1.2.840.113549.1.1.11': { rsa: 'rsa-pkcs1v15-sha256' },
  '1.3.101.112': { ed25519: 'ed25519' },
};

function invalid(message: string, cause?: unknown): InputError {
  return new InputError('ERR_CA_CSR_INVALID', `The certificate signing request could not be parsed: ${message}`, cause === undefined ? {} : { cause });
}

function toDer(text: string): Uint8Array {
  let blocks;
  try {
    blocks = decodePem(text);
  } catch (cause) {
    throw invalid('not pem', cause);
  }
  const block = blocks.find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
  if (block === undefined) throw invalid('no CERTIFICATE REQUEST pem block');
  return block.der;
}

/**
 * Parses a PEM CSR, checks its key against the key rules and verifies its self-signature.
 * @throws ERR_CA_CSR_INVALID; ERR_CA_PUBLIC_KEY_INVALID or ERR_CA_PUBLIC_KEY_UNSUPPORTED for its key
 */
export function parseCsrPem(text: string): RequestedKey {
  const der = toDer(text);
  let csr: CertificationRequest;
  try {
    csr = AsnConvert.parse(der, CertificationRequest);
  } catch (cause) {
    throw invalid('not a DER PKCS#10 request', cause);
  }
  const info = csr.certificationRequestInfoRaw;
  if (info === undefined) throw invalid('the request info is missing');
  const key = checkRequestedKey(new Uint8Array(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo)));
  const algorithm = CSR_ALGORITHMS[csr.signatureAlgorithm.algorithm]?.[key.type];
  if (algorithm === undefined) throw invalid(`signature algorithm ${csr.signatureAlgorithm.algorithm} does not fit a ${key.type} key`);
  let ok = false;
  try {
    ok = isSignatureValid(algorithm, key.spkiDer, new Uint8Array(info), new Uint8Array(csr.signature), [algorithm]);
  } catch (cause) {
    if (!isAppError(cause)) throw cause;
  }
  if (!ok) throw new InputError('ERR_CA_CSR_INVALID', 'The signature supplied in the request could not be verified: the CSR self-signature does not verify');
  return key;
}
