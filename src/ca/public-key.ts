/**
 * The key a certificate is requested for: parsed from PEM (or DER), held to Fulcio's key rules
 * (ECDSA P-256/384/521, RSA 2048–4096 bits, Ed25519), and its proof of possession checked: a
 * signature by that key over the identity's challenge (the email, or the token subject).
 */
import {
  decodePem, describePublicKey, encodeUtf8, importSpkiPublicKey, InputError, isAppError,
  signatureAlgorithmsFor, type KeyType, type PublicKey,
} from '../core/index.ts';

/** A submitted public key that passed the key rules. */
export interface RequestedKey {
  readonly spkiDer: Uint8Array;
  readonly type: KeyType;
  /** the key as parsed once, for the proof of possession */
  readonly publicKey: PublicKey;
}

const MAX_RSA_BITS = 4096;

/**
 * Checks a DER SPKI against the key rules.
 * @throws ERR_CA_PUBLIC_KEY_INVALID when it does not parse, ERR_CA_PUBLIC_KEY_UNSUPPORTED for another type or size
 */
export function checkRequestedKey(spkiDer: Uint8Array): RequestedKey {
  let publicKey: PublicKey;
  try {
    publicKey = importSpkiPublicKey(spkiDer);
  } catch (cause) {
    if (isAppError(cause) && cause.code === 'ERR_KEY_UNSUPPORTED') {
      throw new InputError('ERR_CA_PUBLIC_KEY_UNSUPPORTED', `The public key supplied in the request is insecure: ${cause.message}`, { cause });
    }
    throw new InputError('ERR_CA_PUBLIC_KEY_INVALID', 'The public key supplied in the request could not be parsed', { cause });
  }
  const type = publicKey.type;
  if (type === 'rsa') {
    const description = describePublicKey(spkiDer);
    const bits = description.keyType === 'rsa' ? description.modulusBits : 0;
    if (bits > MAX_RSA_BITS || bits % 8 !== 0) {
      throw new InputError('ERR_CA_PUBLIC_KEY_UNSUPPORTED', `The public key supplied in the request is insecure: rsa ${bits} bits, want 2048 to ${MAX_RSA_BITS}`);
    }
  }
  return { spkiDer, type, publicKey };
}

/**
 * Parses the `content` of a public key request: PEM `PUBLIC KEY` text, or DER bytes.
 * @throws ERR_CA_PUBLIC_KEY_INVALID, ERR_CA_PUBLIC_KEY_UNSUPPORTED
 */
export function parseRequestedKey(content: Uint8Array): RequestedKey {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  if (!text.includes('-----BEGIN')) return checkRequestedKey(content);
  let der: Uint8Array | undefined;
  try {
    der = decodePem(text).find((b) => b.label === 'PUBLIC KEY')?.der;
  } catch (cause) {
    throw new InputError('ERR_CA_PUBLIC_KEY_INVALID', 'The public key supplied in the request could not be parsed: not pem', { cause });
  }
  if (der === undefined) throw new InputError('ERR_CA_PUBLIC_KEY_INVALID', 'The public key supplied in the request could not be parsed: no PUBLIC KEY pem block');
  return checkRequestedKey(der);
}

/**
 * Verifies the proof of possession: `signature` by `key` over the UTF-8 `challenge`, under any
 * scheme the key type allows (ECDSA with SHA-256 or the curve's hash, RSA PKCS#1 v1.5 or PSS, Ed25519).
 * @throws ERR_CA_PROOF_INVALID
 */
export function verifyProofOfPossession(key: RequestedKey, challenge: string, signature: Uint8Array): void {
  const data = encodeUtf8(challenge);
  const algorithms = signatureAlgorithmsFor(key.type);
  const ok = algorithms.some((a) => {
    try { return key.publicKey.isSignatureValid(a, data, signature, algorithms); } catch { return false; }
  });
  if (!ok) throw new InputError('ERR_CA_PROOF_INVALID', 'The signature supplied in the request could not be verified: the proof of possession is not a signature of the identity\'s challenge by the submitted key');
}
