/**
 * Embedded signed certificate timestamps (RFC 6962 §3.2–3.3): parse the SCT list extension of a
 * leaf, rebuild the precertificate entry each SCT signs (the TBS without the SCT extension, and
 * the issuer key hash), and verify against the trust root's CT logs. CT extensions (non-empty for
 * Static CT / TesseraCT logs) are signed bytes and are copied as they are.
 */
import { equalBytes, hashBytes, VerificationError } from '../core/index.ts';
import { findExtension, tbsWithoutExtension, unwrapOctetString, type X509Certificate } from './certificate.ts';
import { cachedPublicKeyInfo, isMessageSignatureValid } from './signature.ts';
import { isWithinValidity, type TransparencyLogInstance } from './trust-root.ts';

/** OID of the embedded SCT list extension. */
export const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';

/** One parsed SCT (v1). */
export interface SignedCertificateTimestamp {
  readonly logId: Uint8Array;
  readonly timestampMs: bigint;
  readonly extensions: Uint8Array;
  readonly hashAlgorithm: number;
  readonly signatureAlgorithm: number;
  readonly signature: Uint8Array;
}

const TLS_HASH: Readonly<Record<number, 'sha256' | 'sha384' | 'sha512'>> = { 4: 'sha256', 5: 'sha384', 6: 'sha512' };

function sctError(message: string): VerificationError {
  return new VerificationError('ERR_SCT_INVALID', message);
}

/** A bounds-checked big-endian reader over TLS-encoded bytes. */
function reader(data: Uint8Array): { take(n: number): Uint8Array; uint(n: number): number; done(): boolean } {
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > data.byteLength) throw sctError(`sct list is truncated: want ${n} bytes at offset ${at} of ${data.byteLength}`);
    const out = data.subarray(at, at + n);
    at += n;
    return out;
  };
  return { take, uint: (n) => take(n).reduce((acc, b) => acc * 256 + b, 0), done: () => at === data.byteLength };
}

function parseSct(data: Uint8Array): SignedCertificateTimestamp {
  const r = reader(data);
  const version = r.uint(1);
  if (version !== 0) throw sctError(`sct version ${version} is not v1`);
  const logId = r.take(32);
  const timestampMs = BigInt(r.uint(4)) * 0x100000000n + BigInt(r.uint(4));
  const extensions = r.take(r.uint(2));
  const hashAlgorithm = r.uint(1);
  const signatureAlgorithm = r.uint(1);
  const signature = r.take(r.uint(2));
  if (!r.done()) throw sctError('sct has trailing bytes');
  return { logId, timestampMs, extensions, hashAlgorithm, signatureAlgorithm, signature };
}

/**
 * The SCTs embedded in a certificate (an empty list when it has no SCT extension).
 * @throws ERR_SCT_INVALID when the extension is malformed
 */
export function parseEmbeddedScts(cert: X509Certificate): readonly SignedCertificateTimestamp[] {
  const ext = findExtension(cert, OID_SCT_LIST);
  if (!ext) return [];
  let list: Uint8Array;
  try { list = unwrapOctetString(ext.value); } catch { throw sctError('sct list extension is not an OCTET STRING'); }
  const outer = reader(list);
  const body = reader(outer.take(outer.uint(2)));
  const scts: SignedCertificateTimestamp[] = [];
  while (!body.done()) scts.push(parseSct(body.take(body.uint(2))));
  return scts;
}

/** The RFC 6962 §3.2 `digitally-signed` input of a precert_entry SCT, written in one buffer. */
function signedData(sct: SignedCertificateTimestamp, tbs: Uint8Array, issuerKeyHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + 8 + 2 + issuerKeyHash.byteLength + 3 + tbs.byteLength + 2 + sct.extensions.byteLength);
  const view = new DataView(out.buffer);
  // version v1 (0) and signature_type certificate_timestamp (0) are the two zero bytes at 0 and 1
  view.setBigUint64(2, sct.timestampMs);
  view.setUint16(10, 1); // entry_type precert_entry
  let at = 12;
  out.set(issuerKeyHash, at);
  at += issuerKeyHash.byteLength;
  out[at] = (tbs.byteLength >>> 16) & 0xff;
  view.setUint16(at + 1, tbs.byteLength & 0xffff);
  out.set(tbs, at + 3);
  at += 3 + tbs.byteLength;
  view.setUint16(at, sct.extensions.byteLength);
  out.set(sct.extensions, at + 2);
  return out;
}

// SHA-256 of an issuing certificate's key, by certificate: trust-root chains are parsed once and
// never modified, so each issuer's hash is computed once.
const ISSUER_KEY_HASHES = new WeakMap<X509Certificate, Uint8Array>();

function issuerKeyHashOf(issuer: X509Certificate): Uint8Array {
  let digest = ISSUER_KEY_HASHES.get(issuer);
  if (!digest) {
    digest = hashBytes('sha256', issuer.publicKey.spkiDer);
    ISSUER_KEY_HASHES.set(issuer, digest);
  }
  return digest;
}

/**
 * Verifies that at least one embedded SCT of `leaf` (issued by `issuer`) is signed by a CT log of
 * the trust root whose validity covers the SCT time. SCTs from unknown logs are skipped.
 * @throws ERR_SCT_MISSING when there is no SCT, ERR_SCT_INVALID when none verifies
 */
export function verifyEmbeddedScts(leaf: X509Certificate, issuer: X509Certificate, ctlogs: readonly TransparencyLogInstance[]): SignedCertificateTimestamp {
  const scts = parseEmbeddedScts(leaf);
  if (scts.length === 0) throw new VerificationError('ERR_SCT_MISSING', 'the signing certificate has no embedded sct');
  const tbs = tbsWithoutExtension(leaf, OID_SCT_LIST);
  const issuerKeyHash = issuerKeyHashOf(issuer);
  for (const sct of scts) {
    const hash = TLS_HASH[sct.hashAlgorithm];
    const time = new Date(Number(sct.timestampMs));
    for (const log of ctlogs.filter((l) => equalBytes(l.logId, sct.logId) && isWithinValidity(l.validFor, time))) {
      if (!hash || log.algorithm === null) continue;
      try {
        if (isMessageSignatureValid(cachedPublicKeyInfo(log.spkiDer), { hash }, signedData(sct, tbs, issuerKeyHash), sct.signature)) return sct;
      } catch {
        // a CT log key that does not parse cannot vouch for anything; try the next
      }
    }
  }
  throw sctError(`none of ${scts.length} embedded sct(s) verifies with a trusted ct log`);
}
