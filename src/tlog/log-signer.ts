/**
 * The log's signing key as the log uses it: SETs and checkpoints are ECDSA P-256 / SHA-256
 * signatures (DER), the key's SPKI hash is the log ID and the checkpoint key hint.
 */
import { encodeHex, encodePem, importPkcs8PrivateKey } from '../core/index.ts';
import { keyHintOf, rekorKeyId, type NoteSigner } from '../merkle/index.ts';

/** Signs with the log key; `sign` returns an ASN.1 DER ECDSA P-256 signature over SHA-256(data). */
export interface LogSigner {
  readonly spkiDer: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/** The log key's public identity. */
export interface LogKeyInfo {
  /** SHA-256 of the SPKI: Rekor's logID */
  readonly logId: Uint8Array;
  readonly logIdHex: string;
  readonly publicKeyPem: string;
}

/**
 * A signer from a DER PKCS#8 ECDSA P-256 private key and its DER SPKI.
 * @throws ERR_KEY_MALFORMED or ERR_KEY_UNSUPPORTED for an unreadable key, ERR_CRYPTO_KEY_INVALID when it is not P-256
 */
export function createLogSigner(pkcs8Der: Uint8Array, spkiDer: Uint8Array): LogSigner {
  // parse the key once: every SET and checkpoint is signed with it, on the hot path of appends
  const key = importPkcs8PrivateKey(pkcs8Der);
  key.sign('ecdsa-p256-sha256', new Uint8Array(0));
  return { spkiDer, sign: (data) => key.sign('ecdsa-p256-sha256', data) };
}

/** The log ID and public key PEM of a signer. */
export function logKeyInfo(signer: LogSigner): LogKeyInfo {
  const logId = rekorKeyId(signer.spkiDer);
  return { logId, logIdHex: encodeHex(logId), publicKeyPem: encodePem('PUBLIC KEY', signer.spkiDer) };
}

/** The note signer for checkpoints: key name = host, key hint = first 4 bytes of the log ID (Rekor v1). */
export function createCheckpointSigner(signer: LogSigner, host: string): NoteSigner {
  return { name: host, keyHint: keyHintOf(rekorKeyId(signer.spkiDer)), sign: (m) => signer.sign(m) };
}
