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
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { concatBytes, decodeHex, encodeUtf8 } from './bytes.ts';
import { hashBytes, isEcdsaSha256SignatureValid, multiplyBasePoint } from './crypto.ts';

/** The NIST curves sigil verifies ECDSA on. */
export type EcdsaCurve = 'P-256' | 'P-384' | 'P-521';

interface CurveSetup {
  readonly curve: typeof p256;
  /** the DER SubjectPublicKeyInfo up to the uncompressed point (RFC 5480) */
  readonly spkiPrefix: Uint8Array;
  /** e0: SHA-256(m0) as a scalar of this curve */
  readonly e0: bigint;
}

// Any fixed message does; this one names its purpose.
const M0 = encodeUtf8('sigil: ECDSA verification over a digest, moved onto this message');

// bits2int then mod n (SEC 1 §4.1.3 step 5; FIPS 186-5 §6.4.2): the leftmost bits of the digest.
function digestScalar(curve: typeof p256, digest: Uint8Array): bigint {
  const { Fn } = curve.Point;
  let e = 0n;
  for (const b of digest) e = (e << 8n) | BigInt(b);
  const excess = digest.byteLength * 8 - Fn.BITS;
  return Fn.create(excess > 0 ? e >> BigInt(excess) : e);
}

function setup(curve: typeof p256, spkiPrefixHex: string): CurveSetup {
  return { curve, spkiPrefix: decodeHex(spkiPrefixHex), e0: digestScalar(curve, hashBytes('sha256', M0)) };
}

const CURVES: Readonly<Record<EcdsaCurve, CurveSetup>> = {
  'P-256': setup(p256, '3059301306072a8648ce3d020106082a8648ce3d030107034200'),
  'P-384': setup(p384 as unknown as typeof p256, '3076301006072a8648ce3d020106052b81040022036200'),
  'P-521': setup(p521 as unknown as typeof p256, '30819b301006072a8648ce3d020106052b8104002303818600'),
};

/**
 * True when the ASN.1 DER ECDSA `signature` signs `digest` (already hashed; truncated to the
 * order's bit length as FIPS 186 does) under the uncompressed SEC 1 `point` on `curve`. Accepts
 * and rejects exactly what @noble/curves' verify does with prehash off and high S allowed (Go's
 * ecdsa.VerifyASN1 rule): strict DER, 1 <= r, s < n, a valid non-identity point.
 */
export function isEcdsaDigestSignatureValid(curve: EcdsaCurve, point: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const c = CURVES[curve];
  const { Point } = c.curve;
  const { Fn } = Point;
  let r: bigint;
  let der: Uint8Array;
  let q: InstanceType<typeof Point>;
  try {
    const sig = c.curve.Signature.fromBytes(signature, 'der');
    r = sig.r;
    der = sig.toBytes('der');
    q = Point.fromBytes(point);
  } catch {
    return false;
  }
  if (q.is0()) return false;
  const t = Fn.create((digestScalar(c.curve, digest) - c.e0) * Fn.inv(r));
  const shifted = t === 0n ? q : q.add(Point.fromBytes(multiplyBasePoint(curve, Fn.toBytes(t))));
  if (shifted.is0()) {
    return c.curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
  }
  // shifted is a sum of two valid points, so it is on the curve: encode it without re-checking
  const { x, y } = shifted.toAffine();
  const { Fp } = Point;
  const spki = concatBytes([c.spkiPrefix, new Uint8Array([4]), Fp.toBytes(x), Fp.toBytes(y)]);
  return isEcdsaSha256SignatureValid(spki, M0, der);
}
