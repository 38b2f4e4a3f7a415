/**
 * ECDSA verification over a precomputed digest, on node:crypto. node:crypto always hashes the
 * message itself, and verifying in big-integer JS (@noble/curves) costs milliseconds, so the
 * check is moved onto a fixed message m0 (e0 = SHA-256(m0)) by shifting the key:
 *
 *   Q' = Q + t·G with t = (e − e0)·r⁻¹ mod n
 *   u1'·G + u2'·Q' = e0·s⁻¹·G + r·s⁻¹·(Q + t·G) = e·s⁻¹·G + r·s⁻¹·Q = u1·G + u2·Q
 *
 * so (r, s) verifies for m0 under Q' exactly when it verifies for digest e under Q (SEC 1
 * §4.1.4). t·G is OpenSSL's fixed-base multiplication; the one point addition is JS. When Q' is
 * the point at infinity (no SPKI can carry it; only a crafted key and digest get there) the
 * check falls back to @noble/curves.
 *
 * The two big-integer inversions of a check (r⁻¹ mod n, and the one making Q' affine) cost more
 * than the rest of its JS; checked together, the checks of a batch share one inversion of each
 * kind (Montgomery's trick: invert the product once, recover each inverse with multiplications).
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { decodeHex, encodeHex, encodeUtf8 } from './bytes.ts';
import { createBasePointMultiplier, hashBytes, isEcdsaSha256SignatureValid } from './crypto/index.ts';

/** The NIST curves sigil verifies ECDSA on. */
export type EcdsaCurve = 'P-256' | 'P-384' | 'P-521';

/** One ECDSA check over a digest: an ASN.1 DER signature, a SEC 1 uncompressed point. */
export interface EcdsaDigestCheck {
  readonly curve: EcdsaCurve;
  readonly point: Uint8Array;
  readonly digest: Uint8Array;
  readonly signature: Uint8Array;
}

type Curve = typeof p256;
type CurvePoint = InstanceType<Curve['Point']>;

interface CurveSetup {
  readonly curve: Curve;
  /** hex of the DER SubjectPublicKeyInfo up to the uncompressed point's coordinates (RFC 5480) */
  readonly spkiPrefixHex: string;
  /** e0: SHA-256(m0) as a scalar of this curve */
  readonly e0: bigint;
}

// Any fixed message does; this one names its purpose.
const M0 = encodeUtf8('sigil: ECDSA verification over a digest, moved onto this message');

// bits2int then mod n (SEC 1 §4.1.3 step 5; FIPS 186-5 §6.4.2): the leftmost bits of the digest.
function digestScalar(curve: Curve, digest: Uint8Array): bigint {
  const { Fn } = curve.Point;
  const e = digest.byteLength === 0 ? 0n : BigInt(`0x${encodeHex(digest)}`);
  const excess = digest.byteLength * 8 - Fn.BITS;
  return Fn.create(excess > 0 ? e >> BigInt(excess) : e);
}

function setup(curve: Curve, spkiPrefixHex: string): CurveSetup {
  return { curve, spkiPrefixHex, e0: digestScalar(curve, hashBytes('sha256', M0)) };
}

const CURVES: Readonly<Record<EcdsaCurve, CurveSetup>> = {
  'P-256': setup(p256, '3059301306072a8648ce3d020106082a8648ce3d03010703420004'),
  'P-384': setup(p384 as unknown as Curve, '3076301006072a8648ce3d020106052b8104002203620004'),
  'P-521': setup(p521 as unknown as Curve, '30819b301006072a8648ce3d020106052b810400230381860004'),
};

/** A check whose signature and point parsed: r and Q. */
interface Parsed { readonly check: EcdsaDigestCheck; readonly r: bigint; readonly q: CurvePoint }

// One DER TLV with `tag` at `at` of `der`, by @noble/curves' rules (which this check must accept
// and refuse exactly as): definite length, long form only for 128 or more in at most 4 bytes
// without a leading zero, the value complete. Returns where the value starts and ends.
function readTlv(der: Uint8Array, at: number, end: number, tag: number): { start: number; end: number } | undefined {
  if (end - at < 2 || der[at] !== tag) return undefined;
  const first = der[at + 1] as number;
  let start = at + 2;
  let length = first;
  if (first & 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4 || start + lengthBytes > end || der[start] === 0) return undefined;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[start + i] as number);
    start += lengthBytes;
    if (length < 128) return undefined;
  }
  return start + length > end ? undefined : { start, end: start + length };
}

// A DER INTEGER's value as a scalar in [1, n): not empty, not negative, no needless leading zero,
// at most `maxBytes` long (noble's limits, then its range check).
function readScalar(der: Uint8Array, v: { start: number; end: number }, maxBytes: number, n: bigint): bigint | undefined {
  const length = v.end - v.start;
  if (length < 1 || length > maxBytes || (der[v.start] as number) & 0x80) return undefined;
  if (length > 1 && der[v.start] === 0 && !((der[v.start + 1] as number) & 0x80)) return undefined;
  const value = BigInt(`0x${encodeHex(der.subarray(v.start, v.end))}`);
  return value >= 1n && value < n ? value : undefined;
}

/**
 * (r, s) of a strict ASN.1 DER ECDSA signature, as @noble/curves' Signature.fromBytes(der) reads
 * it (and so also exactly the bytes its toBytes('der') would write back), or undefined.
 */
function parseDerSignature(c: CurveSetup, der: Uint8Array): { r: bigint; s: bigint } | undefined {
  const { BYTES, ORDER } = c.curve.Point.Fn;
  if (der.byteLength > 2 * BYTES + 16) return undefined;
  const seq = readTlv(der, 0, der.byteLength, 0x30);
  if (seq === undefined || seq.end !== der.byteLength) return undefined;
  const rTlv = readTlv(der, seq.start, seq.end, 0x02);
  const sTlv = rTlv && readTlv(der, rTlv.end, seq.end, 0x02);
  if (rTlv === undefined || sTlv === undefined || sTlv.end !== seq.end) return undefined;
  const r = readScalar(der, rTlv, BYTES + 1, ORDER);
  const s = readScalar(der, sTlv, BYTES + 1, ORDER);
  return r === undefined || s === undefined ? undefined : { r, s };
}

// `points` remembers the points parsed for this batch by their bytes' identity: the entries of
// one signer share one key, and so one point array
function parseCheck(c: CurveSetup, check: EcdsaDigestCheck, points: Map<Uint8Array, CurvePoint>): Parsed | undefined {
  const sig = parseDerSignature(c, check.signature);
  if (sig === undefined) return undefined;
  try {
    let q = points.get(check.point);
    if (q === undefined) points.set(check.point, q = c.curve.Point.fromBytes(check.point));
    return q.is0() ? undefined : { check, r: sig.r, q };
  } catch {
    return undefined;
  }
}

// Fixed-width big-endian hex of a field element or scalar (node decodes hex natively, faster
// than noble's byte conversions).
const hexOf = (v: bigint, bytes: number): string => v.toString(16).padStart(bytes * 2, '0');

// The point in OpenSSL's uncompressed SEC 1 output, taken as it is: t·G is on the curve.
function fromPlatformPoint(c: CurveSetup, sec1: Uint8Array): CurvePoint {
  const size = c.curve.Point.Fp.BYTES;
  const hex = encodeHex(sec1);
  return c.curve.Point.fromAffine({ x: BigInt(`0x${hex.slice(2, 2 + 2 * size)}`), y: BigInt(`0x${hex.slice(2 + 2 * size)}`) });
}

// The checks of one curve: r⁻¹ for all of them with one inversion, then Q' for each, then all
// the Q' made affine with one more inversion, then one node:crypto verify each.
function checkOnCurve(c: CurveSetup, name: EcdsaCurve, checks: readonly Parsed[]): boolean[] {
  const { Point } = c.curve;
  const { Fn, Fp } = Point;
  const rInverses = Fn.invertBatch(checks.map((p) => p.r));
  const multiplyBase = createBasePointMultiplier(name);
  const shifted = checks.map((p, i) => {
    const t = Fn.mul(Fn.sub(digestScalar(c.curve, p.check.digest), c.e0), rInverses[i] as bigint);
    return t === 0n ? p.q : p.q.add(fromPlatformPoint(c, multiplyBase(decodeHex(hexOf(t, Fn.BYTES)))));
  });
  // the identity (Z = 0) gets no inverse; it takes the fallback below
  const zInverses = Fp.invertBatch(shifted.map((q) => (q.is0() ? Fp.ONE : q.Z)));
  return checks.map((p, i) => {
    const q = shifted[i] as CurvePoint;
    if (q.is0()) return c.curve.verify(p.check.signature, p.check.digest, p.check.point, { prehash: false, lowS: false, format: 'der' });
    // a sum of two valid points is on the curve: encode it without re-checking
    const { x, y } = q.toAffine(zInverses[i]);
    const spki = decodeHex(`${c.spkiPrefixHex}${hexOf(x, Fp.BYTES)}${hexOf(y, Fp.BYTES)}`);
    // strict DER, so these are the very bytes a re-encoding of (r, s) would give
    return isEcdsaSha256SignatureValid(spki, M0, p.check.signature);
  });
}

/**
 * For each check, true when its ASN.1 DER ECDSA signature signs its digest (already hashed;
 * truncated to the order's bit length as FIPS 186 does) under its uncompressed SEC 1 point.
 * Accepts and rejects exactly what @noble/curves' verify does with prehash off and high S
 * allowed (Go's ecdsa.VerifyASN1 rule): strict DER, 1 <= r, s < n, a valid non-identity point.
 * Checking many at once is cheaper per check than one at a time.
 */
export function areEcdsaDigestSignaturesValid(checks: readonly EcdsaDigestCheck[]): boolean[] {
  const results = checks.map(() => false);
  for (const name of Object.keys(CURVES) as EcdsaCurve[]) {
    const c = CURVES[name];
    const at: number[] = [];
    const parsed: Parsed[] = [];
    const points = new Map<Uint8Array, CurvePoint>();
    checks.forEach((check, i) => {
      if (check.curve !== name) return;
      const p = parseCheck(c, check, points);
      if (p !== undefined) { at.push(i); parsed.push(p); }
    });
    if (parsed.length === 0) continue;
    checkOnCurve(c, name, parsed).forEach((ok, j) => { results[at[j] as number] = ok; });
  }
  return results;
}

/**
 * True when the ASN.1 DER ECDSA `signature` signs `digest` under the uncompressed SEC 1 `point`
 * on `curve`; the one-check form of areEcdsaDigestSignaturesValid, with the same rules.
 */
export function isEcdsaDigestSignatureValid(curve: EcdsaCurve, point: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  return areEcdsaDigestSignaturesValid([{ curve, point, digest, signature }])[0] === true;
}
