// ECDSA over a digest on node:crypto (the shifted-key check) against @noble/curves' own verify,
// the reference: in a seeded loop over P-256, P-384 and P-521 with every digest length, and on
// the edge cases (t = 0, Q' = infinity, high S, scalars out of range, DER quirks, tampering),
// both must give the same answer every time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeUtf8 } from '../../src/core/index.ts';
import { areEcdsaDigestSignaturesValid, isEcdsaDigestSignatureValid, type EcdsaCurve, type EcdsaDigestCheck } from '../../src/core/ecdsa-digest.ts';

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;
type Curve = typeof p256;
const curveOf = (name: EcdsaCurve): Curve => CURVES[name] as unknown as Curve;

// the fixed message of src/core/ecdsa-digest.ts: its digest reaches the t = 0 path
const M0_DIGEST = sha256(encodeUtf8('sigil: ECDSA verification over a digest, moved onto this message'));

// A seeded byte source (xorshift32), so a failure reproduces.
function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 0xff; }
    return out;
  };
}

function reference(c: Curve, point: Uint8Array, digest: Uint8Array, sig: Uint8Array): boolean {
  return c.verify(sig, digest, point, { prehash: false, lowS: false, format: 'der' });
}

// every case of the file, with the reference's answer, for the batch test at the end
const cases: { check: EcdsaDigestCheck; want: boolean }[] = [];

function same(name: EcdsaCurve, point: Uint8Array, digest: Uint8Array, sig: Uint8Array, expected?: boolean): void {
  const want = reference(curveOf(name), point, digest, sig);
  if (expected !== undefined) assert.equal(want, expected, 'the reference gave an unexpected answer');
  assert.equal(isEcdsaDigestSignatureValid(name, point, digest, sig), want);
  cases.push({ check: { curve: name, point, digest, signature: sig }, want });
}

for (const name of ['P-256', 'P-384', 'P-521'] as const) {
  const c = curveOf(name);
  test(`${name}: random keys, digests of every length, tampered digests and signatures agree with noble`, () => {
    const rand = seeded(0x5161 + name.length);
    for (let i = 0; i < (name === 'P-256' ? 12 : 3); i++) {
      const secret = c.utils.randomSecretKey(rand(c.lengths.seed ?? 48));
      const point = c.getPublicKey(secret, false);
      for (const size of [32, 48, 64]) {
        const digest = rand(size);
        const sig = c.sign(digest, secret, { prehash: false, format: 'der', lowS: false });
        same(name, point, digest, sig, true);
        const badDigest = digest.slice();
        badDigest[i % size]! ^= 1 << (i % 8);
        same(name, point, badDigest, sig);
        const badSig = sig.slice();
        badSig[badSig.length - 1 - (i % 20)]! ^= 1;
        same(name, point, digest, badSig);
        const otherKey = c.getPublicKey(c.utils.randomSecretKey(rand(c.lengths.seed ?? 48)), false);
        same(name, otherKey, digest, sig, false);
      }
    }
  });

  test(`${name}: high S, r or s out of range, and the digest of m0 (t = 0) agree with noble`, () => {
    const rand = seeded(77);
    const { n } = c.Point.CURVE();
    const secret = c.utils.randomSecretKey(rand(c.lengths.seed ?? 48));
    const point = c.getPublicKey(secret, false);
    const digest = rand(32);
    const sig = c.Signature.fromBytes(c.sign(digest, secret, { prehash: false, format: 'der', lowS: false }), 'der');
    const highS = new c.Signature(sig.r, n - sig.s).toBytes('der');
    same(name, point, digest, highS, true);
    for (const [r, s] of [[0n, sig.s], [sig.r, 0n], [n, sig.s], [sig.r, n], [sig.r + n, sig.s], [sig.r, sig.s + n]] as const) {
      same(name, point, digest, derOf(r, s), false);
    }
    const m0 = c.sign(M0_DIGEST, secret, { prehash: false, format: 'der', lowS: false });
    same(name, point, M0_DIGEST, m0, true);
    same(name, point, M0_DIGEST, highS, false);
  });

  test(`${name}: a key and digest crafted so that Q' is the point at infinity agree with noble`, () => {
    const { Fn } = c.Point;
    const rand = seeded(99);
    const e0 = Fn.create(bytesToBig(M0_DIGEST));
    let crafted = 0;
    for (let i = 0; i < 3; i++) {
      // k random, r = x(kG); choose e, then d = (e0 - e)/r and s = e0/k make a valid signature
      const k = Fn.create(bytesToBig(rand(Fn.BYTES)));
      const r = Fn.create(c.Point.BASE.multiply(k).toAffine().x);
      const digest = rand(32);
      const e = bytesToBig(digest);
      if (e >= Fn.ORDER) continue; // not a scalar as it stands (P-256 only, rarely)
      const d = Fn.create((e0 - e) * Fn.inv(r));
      const s = Fn.create(e0 * Fn.inv(k));
      const point = c.Point.BASE.multiply(d).toBytes(false);
      assert.equal(c.Point.fromBytes(point).add(c.Point.BASE.multiply(Fn.create((e - e0) * Fn.inv(r)))).is0(), true);
      crafted += 1;
      same(name, point, digest, derOf(r, s), true);
      same(name, point, digest, derOf(r, Fn.create(s + 1n)), false);
    }
    assert.ok(crafted > 0);
  });

  test(`${name}: malformed DER, trailing bytes, a bad point and the identity are refused as noble refuses them`, () => {
    const rand = seeded(5);
    const secret = c.utils.randomSecretKey(rand(c.lengths.seed ?? 48));
    const point = c.getPublicKey(secret, false);
    const digest = rand(32);
    const sig = c.sign(digest, secret, { prehash: false, format: 'der', lowS: false });
    same(name, point, digest, new Uint8Array([...sig, 0]), false);
    same(name, point, digest, sig.slice(0, -1), false);
    same(name, point, digest, new Uint8Array(0), false);
    same(name, point, digest, c.Signature.fromBytes(sig, 'der').toBytes('compact'), false);
    // DER mutations, each refused (or not) as noble's own DER reader decides
    const { r, s } = c.Signature.fromBytes(sig, 'der');
    const intBytes = (v: bigint): number[] => { const b = [...Buffer.from(v.toString(16).padStart(2 * Math.ceil(v.toString(16).length / 2), '0'), 'hex')]; return (b[0]! & 0x80) ? [0, ...b] : b; };
    const tlv = (tag: number, body: number[], longForm = false): number[] => (longForm || body.length >= 0x80 ? [tag, 0x81, body.length, ...body] : [tag, body.length, ...body]);
    const seqOf = (parts: number[][], longForm = false): Uint8Array => new Uint8Array(tlv(0x30, parts.flat(), longForm));
    const rInt = tlv(0x02, intBytes(r));
    const sInt = tlv(0x02, intBytes(s));
    for (const mutated of [
      seqOf([rInt, sInt], true),
      seqOf([tlv(0x02, [0, ...intBytes(r)]), sInt]),
      seqOf([tlv(0x02, intBytes(r).filter((_, i) => i > 0 || intBytes(r)[0] !== 0)), sInt]),
      seqOf([tlv(0x02, []), sInt]),
      seqOf([rInt]),
      seqOf([rInt, sInt, tlv(0x02, [1])]),
      seqOf([tlv(0x03, intBytes(r)), sInt]),
      seqOf([rInt, tlv(0x02, [0, 0, ...intBytes(s)])]),
      seqOf([tlv(0x02, intBytes(r), true), sInt]),
      new Uint8Array([0x30, 0x84, 0, 0, 0, sig.length - 2, ...sig.slice(2)]),
      new Uint8Array([0x31, ...sig.slice(1)]),
    ]) same(name, point, digest, mutated);
    same(name, point, digest, seqOf([rInt, sInt]), true);
    const offCurve = point.slice();
    offCurve[offCurve.length - 1]! ^= 1;
    same(name, offCurve, digest, sig, false);
    same(name, new Uint8Array([0]), digest, sig, false);
  });
}

test('a P-256 signature made by node:crypto over a message verifies over its digest', async () => {
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = new Uint8Array([4, ...Buffer.from(jwk.x ?? '', 'base64url'), ...Buffer.from(jwk.y ?? '', 'base64url')]);
  const data = Buffer.from('artifact');
  const digest = new Uint8Array(createHash('sha256').update(data).digest());
  same('P-256', point, digest, new Uint8Array(sign('sha256', data, privateKey)), true);
});

function bytesToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

// DER SEQUENCE of two INTEGERs, minimal encoding, for scalars a signer would never produce.
function derOf(r: bigint, s: bigint): Uint8Array {
  const int = (v: bigint): number[] => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    const bytes = [...Buffer.from(hex, 'hex')];
    if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
    return [0x02, ...len(bytes.length), ...bytes];
  };
  const len = (l: number): number[] => (l < 0x80 ? [l] : [0x81, l]);
  const body = [...int(r), ...int(s)];
  return new Uint8Array([0x30, ...len(body.length), ...body]);
}

test('every case above checked in one batch (curves, failures and Q\' at infinity mixed) agrees with noble', () => {
  assert.ok(cases.length > 100 && cases.some((c) => c.want) && cases.some((c) => !c.want));
  assert.deepEqual(areEcdsaDigestSignaturesValid(cases.map((c) => c.check)), cases.map((c) => c.want));
  // and some in another order, so no answer leans on its neighbours
  const reversed = cases.slice(0, 40).reverse();
  assert.deepEqual(areEcdsaDigestSignaturesValid(reversed.map((c) => c.check)), reversed.map((c) => c.want));
  assert.deepEqual(areEcdsaDigestSignaturesValid([]), []);
});
