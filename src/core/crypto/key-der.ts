/**
 * DER key material without a key object: a fresh P-256 pair, the public half of a private key,
 * the platform's re-encoding of an SPKI, and an SPKI described for pure-JS verifiers.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { InputError } from '../errors.ts';
import { parsePublicKey } from './key-cache.ts';

/** What a DER SPKI public key is: its type, and the raw material a pure-JS verifier needs. */
export type PublicKeyDescription =
  | { readonly keyType: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521'; readonly point: Uint8Array }
  | { readonly keyType: 'ed25519'; readonly raw: Uint8Array }
  | { readonly keyType: 'rsa'; readonly modulusBits: number };

const JWK_CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };

/**
 * Describes a DER SPKI public key: EC (P-256/384/521, uncompressed point), Ed25519 or RSA.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse or is another key type or curve
 */
export function describePublicKey(spkiDer: Uint8Array): PublicKeyDescription {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { keyType: 'rsa', modulusBits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
  const jwk = key.export({ format: 'jwk' });
  const bytes = (b64url: string | undefined): Uint8Array => new Uint8Array(Buffer.from(b64url ?? '', 'base64url'));
  if (type === 'ed25519') return { keyType: 'ed25519', raw: bytes(jwk.x) };
  const curve = JWK_CURVES[jwk.crv ?? ''];
  if (type === 'ec' && curve !== undefined) {
    return { keyType: 'ec', curve, point: new Uint8Array([0x04, ...bytes(jwk.x), ...bytes(jwk.y)]) };
  }
  throw new InputError('ERR_CRYPTO_KEY_INVALID', `unsupported public key type ${type ?? 'unknown'}${jwk.crv ? ` ${jwk.crv}` : ''}`);
}

/**
 * The DER SPKI re-encoded by the platform (as Go's MarshalPKIXPublicKey would), so equal keys
 * have equal bytes.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse
 */
export function normalizeSpki(spkiDer: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' }));
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
}

/** A DER key pair. */
export interface DerKeyPair {
  readonly pkcs8Der: Uint8Array;
  readonly spkiDer: Uint8Array;
}

/** Generates a fresh ECDSA P-256 key pair (the log's and the CA's key type). */
export function generateP256KeyPair(): DerKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    pkcs8Der: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    spkiDer: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  };
}

/**
 * The DER SPKI public key of a DER PKCS#8 private key.
 * @throws ERR_CRYPTO_KEY_INVALID when the private key does not parse
 */
export function publicKeyOfPrivate(pkcs8Der: Uint8Array): Uint8Array {
  try {
    const key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
    return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `private key is not DER PKCS#8 (${pkcs8Der.byteLength} bytes)`, { cause });
  }
}

/**
 * The 32-byte raw Ed25519 public key inside a DER SPKI.
 * @throws ERR_CRYPTO_KEY_INVALID when the SPKI is not an Ed25519 key
 */
export function ed25519PublicKeyBytes(spkiDer: Uint8Array): Uint8Array {
  const key = parsePublicKey('ed25519', spkiDer);
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
}
