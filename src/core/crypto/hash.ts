/**
 * Explicit-algorithm hashing: incremental and one-shot SHA-2 digests, by their OCI digest names.
 */
import { createHash, hash, type Hash } from 'node:crypto';

/** Hash algorithms sigil computes, by their OCI digest names. */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** An incremental hasher. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** Lowercase hex of the digest; call once. */
  digestHex(): string;
}

/** Creates an incremental hasher for `algorithm`. */
export function createHasher(algorithm: HashAlgorithm): Hasher {
  const hash: Hash = createHash(algorithm);
  return {
    update(chunk) { hash.update(chunk); },
    digestHex() { return hash.digest('hex'); },
  };
}

/** One-shot hash of `data` as lowercase hex. */
export function hashHex(algorithm: HashAlgorithm, data: Uint8Array | string): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** One-shot hash of `data` as raw bytes. */
export function hashBytes(algorithm: HashAlgorithm, data: Uint8Array | string): Uint8Array {
  // the one-shot hash skips creating a Hash object, a third of the cost for small inputs
  return new Uint8Array(hash(algorithm, data, 'buffer'));
}
