/**
 * Public keys parsed once per exact DER bytes and algorithm, for the signature checks that take
 * DER keys (signatures.ts, key-der.ts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { InputError } from '../errors.ts';
import { checkKeyFits, type SignatureAlgorithm } from './algorithms.ts';

// Parsed keys by their exact DER bytes: logs, CAs and CT logs verify the same key many times.
const KEY_CACHE = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 256;

// The same cache by key array object: trust-root keys are verified with again and again through
// the very same Uint8Array, found here without building the string key. An array's bytes can
// change, so the entry remembers the bytes it was made from and is used only while they match.
const KEYS_BY_ARRAY = new WeakMap<Uint8Array, { readonly algorithm: SignatureAlgorithm; readonly bytes: Uint8Array; readonly key: KeyObject }>();

/**
 * The parsed public key of a DER SPKI, checked to fit `algorithm`, from the cache when seen before.
 * @throws ERR_CRYPTO_KEY_INVALID
 */
export function parsePublicKey(algorithm: SignatureAlgorithm, spkiDer: Uint8Array): KeyObject {
  const known = KEYS_BY_ARRAY.get(spkiDer);
  if (known !== undefined && known.algorithm === algorithm && equalArrays(known.bytes, spkiDer)) return known.key;
  const key = parsePublicKeyByBytes(algorithm, spkiDer);
  KEYS_BY_ARRAY.set(spkiDer, { algorithm, bytes: spkiDer.slice(), key });
  return key;
}

function equalArrays(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function parsePublicKeyByBytes(algorithm: SignatureAlgorithm, spkiDer: Uint8Array): KeyObject {
  const bytes = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength);
  // keyed by algorithm and exact bytes: a cached key has already been found to fit its algorithm
  const id = `${algorithm}|${bytes.toString('latin1')}`;
  let key = KEY_CACHE.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    } catch (cause) {
      throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
    }
    checkKeyFits(algorithm, key);
    if (KEY_CACHE.size >= KEY_CACHE_LIMIT) KEY_CACHE.clear();
    KEY_CACHE.set(id, key);
  }
  return key;
}
