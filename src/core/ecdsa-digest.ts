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
import { concatBytes, decodeHex, encodeHex, encodeUtf8 } from './bytes.ts';
import { createBasePointMultiplier, hashBytes, isEcdsaSha256SignatureValid } from './crypto.ts';

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
  /** the DER SubjectPublicKeyInfo up to the uncompressed point (RFC 5480) */
  readonly spkiPrefix: Uint8Array;
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
  return { curve, spkiPrefix: decodeHex(spkiPrefixHex), e0: digestScalar(curve, hashBytes('sha256', M0)) };
}

const CURVES: Readonly<Record<EcdsaCurve, CurveSetup>> = {
  'P-256': setup(p256, '3059301306072a8648ce3d020106082a8648ce3d030107034200'),
  'P-384': setup(p384 as unknown as Curve, '3076301006072a8648ce3d020106052b81040022036200'),
  'P-521': setup(p521 as unknown as Curve, '30819b301006072a8648ce3d020106052b8104002303818600'),
};

/** A check whose signature and point parsed: r, the re-encoded DER, Q. */
interface Parsed { readonly check: EcdsaDigestCheck; readonly r: bigint; readonly der: Uint8Array; readonly q: CurvePoint }

// `points` remembers the points parsed for this batch by their bytes' identity: the entries of
// one signer share one key, and so one point array
function parseCheck(c: CurveSetup, check: EcdsaDigestCheck, points: Map<Uint8Array, CurvePoint>): Parsed | undefined {
  try {
    const sig = c.curve.Signature.fromBytes(check.signature, 'der');
    let q = points.get(check.point);
    if (q === undefined) points.set(check.point, q = c.curve.Point.fromBytes(check.point));
    return q.is0() ? undefined : { check, r: sig.r, der: sig.toBytes('der'), q };
  } catch {
    return undefined;
  }
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
    return t === 0n ? p.q : p.q.add(Point.fromBytes(multiplyBase(Fn.toBytes(t))));
  });
  // the identity (Z = 0) gets no inverse; it takes the fallback below
  const zInverses = Fp.invertBatch(shifted.map((q) => (q.is0() ? Fp.ONE : q.Z)));
  return checks.map((p, i) => {
    const q = shifted[i] as CurvePoint;
    if (q.is0()) return c.curve.verify(p.check.signature, p.check.digest, p.check.point, { prehash: false, lowS: false, format: 'der' });
    // a sum of two valid points is on the curve: encode it without re-checking
    const { x, y } = q.toAffine(zInverses[i]);
    const spki = concatBytes([c.spkiPrefix, new Uint8Array([4]), Fp.toBytes(x), Fp.toBytes(y)]);
    return isEcdsaSha256SignatureValid(spki, M0, p.der);
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
