/**
 * Checkpoints (C2SP tlog-checkpoint; Rekor's signed tree heads): the body of a signed note,
 * `<origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n ...]`.
 */
import { decodeBase64, encodeBase64, encodeHex, equalBytes, InputError, VerificationError } from '../core/index.ts';
import { HASH_SIZE_BYTES } from './hasher.ts';
import { toTreeIndex, type TreeIndex } from './node-id.ts';
import { signNote, verifySignedNote, type NoteSigner, type NoteVerifier } from './note.ts';

/** A parsed checkpoint body. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  /** extra signed lines, e.g. Rekor v1's `Timestamp: <unix ns>`; kept because they are signed */
  readonly extensions: readonly string[];
}

/** What a checkpoint is expected to state; absent fields are not checked. */
export interface CheckpointExpectation {
  readonly origin?: string;
  readonly size?: TreeIndex;
  readonly rootHash?: Uint8Array;
}

const MAX_UINT64 = (1n << 64n) - 1n;

function invalid(message: string): InputError {
  return new InputError('ERR_CHECKPOINT_INVALID', message);
}

/**
 * Parses a checkpoint body (the signed note text, ending in a newline).
 * @throws ERR_CHECKPOINT_INVALID for a missing origin, size or root, or an empty extension line
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw invalid('checkpoint does not end in a newline');
  const [origin = '', sizeText = '', rootText = '', ...extensions] = text.slice(0, -1).split('\n');
  if (origin === '') throw invalid('checkpoint origin line is empty');
  // tlog-checkpoint: ASCII decimal, no leading zeros
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText) || BigInt(sizeText) > MAX_UINT64) {
    throw invalid(`checkpoint tree size ${JSON.stringify(sizeText.slice(0, 40))} is not a uint64 in decimal`);
  }
  const rootHash = decodeBase64(rootText, (t) => invalid(`checkpoint root hash ${JSON.stringify(t.slice(0, 60))} is not base64`));
  if (rootHash.byteLength !== HASH_SIZE_BYTES) throw invalid(`checkpoint root hash is ${rootHash.byteLength} bytes, want ${HASH_SIZE_BYTES}`);
  if (extensions.some((line) => line === '')) throw invalid('checkpoint has an empty extension line');
  return { origin, size: BigInt(sizeText), rootHash, extensions };
}

/**
 * The checkpoint body text. Requires a non-empty origin and extension lines without newlines.
 * @throws ERR_CHECKPOINT_INVALID when a line is empty or contains a newline
 */
export function encodeCheckpoint(checkpoint: Checkpoint): string {
  const { origin, extensions } = checkpoint;
  if ([origin, ...extensions].some((line) => line === '' || line.includes('\n'))) throw invalid('checkpoint lines must be non-empty single lines');
  if (checkpoint.rootHash.byteLength !== HASH_SIZE_BYTES) throw invalid(`root hash is ${checkpoint.rootHash.byteLength} bytes, want ${HASH_SIZE_BYTES}`);
  const size = toTreeIndex(checkpoint.size, 'tree size');
  return [origin, String(size), encodeBase64(checkpoint.rootHash), ...extensions].map((l) => `${l}\n`).join('');
}

/** The Rekor v1 checkpoint origin `<hostname> - <tree ID in decimal>`; its key name is the hostname alone. */
export function rekorV1Origin(hostname: string, treeId: bigint | string): string {
  return `${hostname} - ${treeId}`;
}

/**
 * Signs a checkpoint with each signer and returns the signed note.
 * @throws ERR_CHECKPOINT_INVALID when the checkpoint cannot be encoded
 */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(encodeCheckpoint(checkpoint), signers);
}

/**
 * Verifies a signed checkpoint note against trusted keys, then parses its body. Other
 * signature lines (witness cosignatures, unknown keys) are ignored.
 * @throws ERR_CHECKPOINT_SIGNATURE when no trusted signature verifies or a trusted one is bad
 * @throws ERR_CHECKPOINT_INVALID when the note or its body is malformed
 */
export function verifyCheckpoint(note: string, verifiers: readonly NoteVerifier[]): Checkpoint {
  return parseCheckpoint(verifySignedNote(note, verifiers).text);
}

/**
 * Checks that a checkpoint states the expected origin, tree size and root hash.
 * @throws ERR_CHECKPOINT_MISMATCH naming the first field that differs
 */
export function verifyCheckpointMatches(checkpoint: Checkpoint, expected: CheckpointExpectation): void {
  if (expected.origin !== undefined && checkpoint.origin !== expected.origin) {
    throw new VerificationError('ERR_CHECKPOINT_MISMATCH', `checkpoint origin ${JSON.stringify(checkpoint.origin)} != ${JSON.stringify(expected.origin)}`);
  }
  if (expected.size !== undefined && checkpoint.size !== toTreeIndex(expected.size, 'expected tree size')) {
    throw new VerificationError('ERR_CHECKPOINT_MISMATCH', `checkpoint tree size ${checkpoint.size} != ${expected.size}`);
  }
  if (expected.rootHash !== undefined && !equalBytes(checkpoint.rootHash, expected.rootHash)) {
    throw new VerificationError('ERR_CHECKPOINT_MISMATCH', `checkpoint root ${encodeHex(checkpoint.rootHash)} != ${encodeHex(expected.rootHash)}`);
  }
}
