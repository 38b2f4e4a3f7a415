/**
 * Object identifiers of CMS, RFC 3161 and Authenticode, and the algorithms the scanner names.
 */
import type { LegacyDigestAlgorithm, SignatureKeyType } from '../core/index.ts';

/** OIDs read by the scanner. */
export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  counterSignature: '1.2.840.113549.1.9.6',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  spcPeImageData: '1.3.6.1.4.1.311.2.1.15',
  spcNestedSignature: '1.3.6.1.4.1.311.2.4.1',
  spcRfc3161: '1.3.6.1.4.1.311.3.3.1',
} as const;

/** Digest algorithm OIDs to names. */
export const DIGEST_OIDS: Readonly<Record<string, LegacyDigestAlgorithm>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithm OIDs: key type, and the digest when the OID fixes one. */
export const SIGNATURE_OIDS: Readonly<Record<string, { readonly keyType: SignatureKeyType; readonly digest?: LegacyDigestAlgorithm; readonly name: string }>> = {
  '1.2.840.113549.1.1.1': { keyType: 'rsa', name: 'rsa' },
  '1.2.840.113549.1.1.4': { keyType: 'rsa', digest: 'md5', name: 'md5WithRSA' },
  '1.2.840.113549.1.1.5': { keyType: 'rsa', digest: 'sha1', name: 'sha1WithRSA' },
  '1.2.840.113549.1.1.14': { keyType: 'rsa', digest: 'sha224', name: 'sha224WithRSA' },
  '1.2.840.113549.1.1.11': { keyType: 'rsa', digest: 'sha256', name: 'sha256WithRSA' },
  '1.2.840.113549.1.1.12': { keyType: 'rsa', digest: 'sha384', name: 'sha384WithRSA' },
  '1.2.840.113549.1.1.13': { keyType: 'rsa', digest: 'sha512', name: 'sha512WithRSA' },
  '1.2.840.10045.2.1': { keyType: 'ec', name: 'ecdsa' },
  '1.2.840.10045.4.1': { keyType: 'ec', digest: 'sha1', name: 'ecdsaWithSHA1' },
  '1.2.840.10045.4.3.1': { keyType: 'ec', digest: 'sha224', name: 'ecdsaWithSHA224' },
  '1.2.840.10045.4.3.2': { keyType: 'ec', digest: 'sha256', name: 'ecdsaWithSHA256' },
  '1.2.840.10045.4.3.3': { keyType: 'ec', digest: 'sha384', name: 'ecdsaWithSHA384' },
  '1.2.840.10045.4.3.4': { keyType: 'ec', digest: 'sha512', name: 'ecdsaWithSHA512' },
  '1.2.840.10040.4.1': { keyType: 'dsa', name: 'dsa' },
  '1.2.840.10040.4.3': { keyType: 'dsa', digest: 'sha1', name: 'dsaWithSHA1' },
  '2.16.840.1.101.3.4.3.1': { keyType: 'dsa', digest: 'sha224', name: 'dsaWithSHA224' },
  '2.16.840.1.101.3.4.3.2': { keyType: 'dsa', digest: 'sha256', name: 'dsaWithSHA256' },
};

/** JAR manifest digest attribute names (`SHA-256-Digest`) to algorithms. */
export const JAR_DIGEST_NAMES: Readonly<Record<string, LegacyDigestAlgorithm>> = {
  'MD5': 'md5', 'SHA1': 'sha1', 'SHA-1': 'sha1', 'SHA-224': 'sha224', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512',
};
