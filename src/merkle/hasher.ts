/**
 * RFC 6962 §2.1 Merkle tree hashing with SHA-256, domain-separated leaves and interior nodes.
 */
import { concatBytes, hashBytes, InputError } from '../core/index.ts';

/** Size of every node hash, in bytes. */
export const HASH_SIZE_BYTES = 32;

// RFC 6962 §2.1: 0x00 prefixes leaf data, 0x01 prefixes the two child hashes.
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** The root of the empty tree, MTH({}) = SHA-256(""). */
export function emptyRoot(): Uint8Array {
  return hashBytes('sha256', new Uint8Array(0));
}

/** The leaf hash MTH({d}) = SHA-256(0x00 || d) of one log entry. */
export function hashLeaf(leaf: Uint8Array): Uint8Array {
  return hashBytes('sha256', concatBytes([LEAF_PREFIX, leaf]));
}

/**
 * The interior hash SHA-256(0x01 || left || right).
 * Requires both hashes to be HASH_SIZE_BYTES long.
 * @throws ERR_INPUT_INVALID when a child hash has the wrong size
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.byteLength !== HASH_SIZE_BYTES || right.byteLength !== HASH_SIZE_BYTES) {
    throw new InputError('ERR_INPUT_INVALID', `child hashes are ${left.byteLength} and ${right.byteLength} bytes, want ${HASH_SIZE_BYTES}`);
  }
  return hashBytes('sha256', concatBytes([NODE_PREFIX, left, right]));
}
