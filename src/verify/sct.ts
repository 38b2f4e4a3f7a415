/**
 * Embedded signed certificate timestamps (RFC 6962 §3.2–3.3): parse the SCT list extension of a
 * leaf, rebuild the precertificate entry each SCT signs (the TBS without the SCT extension, and
 * the issuer key hash), and verify against the trust root's CT logs. CT extensions (non-empty for
 * Static CT / TesseraCT logs) are signed bytes and are copied as they are.
 */
import { concatBytes, equalBytes, hashBytes, VerificationError } from '../core/index.ts';
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

function u(n: number | bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt(n);
  for (let i = bytes - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** The RFC 6962 §3.2 `digitally-signed` input of a precert_entry SCT. */
function signedData(sct: SignedCertificateTimestamp, tbs: Uint8Array, issuerKeyHash: Uint8Array): Uint8Array {
  return concatBytes([
    u(0, 1), u(0, 1), u(sct.timestampMs, 8), u(1, 2),
    issuerKeyHash, u(tbs.byteLength, 3), tbs,
    u(sct.extensions.byteLength, 2), sct.extensions,
  ]);
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
  const issuerKeyHash = hashBytes('sha256', issuer.publicKey.spkiDer);
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
