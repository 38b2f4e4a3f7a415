/**
 * Offline verification of Rekor v1 entries: the SignedEntryTimestamp (the log's promise) and the
 * inclusion proof with its signed checkpoint, against a log key the caller trusts.
 */
import {
  VerificationError, canonicalJsonBytes, encodeHex, equalBytes, verifySignature, type SignatureAlgorithm,
} from '../core/index.ts';
import {
  createNoteVerifier, hashLeaf, parseSignedNote, rekorKeyId, verifyCheckpoint, verifyCheckpointMatches, verifyInclusion,
  type Checkpoint,
} from '../merkle/index.ts';
import type { RekorLogEntry } from '../bundle/index.ts';

/** A transparency log key a verifier trusts. */
export interface TrustedLogKey {
  readonly spkiDer: Uint8Array;
  readonly algorithm: SignatureAlgorithm;
}

/** What was checked for one entry. */
export interface VerifiedRekorEntry {
  readonly setVerified: boolean;
  /** the checkpoint the inclusion proof was checked against, when the entry had a proof */
  readonly checkpoint?: Checkpoint;
}

/** The hex logID of a key: SHA-256 of its DER SPKI. */
export function logIdOf(key: TrustedLogKey): string {
  return encodeHex(rekorKeyId(key.spkiDer));
}

/**
 * Verifies the SET: the log's signature over the JCS of {body, integratedTime, logID, logIndex}.
 * @throws ERR_TLOG_LOG_ID_MISMATCH, ERR_TLOG_SET_MISSING, ERR_CRYPTO_SIGNATURE_INVALID
 */
export function verifyRekorSet(entry: RekorLogEntry, key: TrustedLogKey): void {
  if (entry.logId !== logIdOf(key)) {
    throw new VerificationError('ERR_TLOG_LOG_ID_MISMATCH', `entry logID ${entry.logId} is not the trusted log's ${logIdOf(key)}`);
  }
  if (!entry.signedEntryTimestamp) throw new VerificationError('ERR_TLOG_SET_MISSING', `entry ${entry.uuid} has no signedEntryTimestamp`);
  const payload = canonicalJsonBytes({ body: entry.bodyBase64, integratedTime: entry.integratedTime, logID: entry.logId, logIndex: entry.logIndex });
  verifySignature(key.algorithm, key.spkiDer, payload, entry.signedEntryTimestamp, [key.algorithm]);
}

/**
 * Verifies that the entry's body is the leaf its UUID names, that the proof leads to the root, and
 * that the checkpoint is signed by the log and states that size and root.
 * @throws ERR_TLOG_PROOF_MISSING, ERR_TLOG_UUID_MISMATCH, ERR_MERKLE_INCLUSION_PROOF, ERR_CHECKPOINT_*
 */
export function verifyRekorInclusion(entry: RekorLogEntry, key: TrustedLogKey): Checkpoint {
  const proof = entry.inclusionProof;
  if (!proof) throw new VerificationError('ERR_TLOG_PROOF_MISSING', `entry ${entry.uuid} has no inclusion proof`);
  const leafHash = hashLeaf(entry.body);
  if (encodeHex(leafHash) !== entry.uuid) {
    throw new VerificationError('ERR_TLOG_UUID_MISMATCH', `entry body hashes to ${encodeHex(leafHash)}, not its uuid ${entry.uuid}`);
  }
  verifyInclusion(proof.logIndex, proof.treeSize, leafHash, proof.hashes, proof.rootHash);
  return verifyRekorCheckpoint(proof.checkpoint, key, { size: proof.treeSize, rootHash: proof.rootHash });
}

/**
 * Verifies a Rekor v1 signed checkpoint (an inclusion proof's, or `signedTreeHead` of GET /api/v1/log)
 * with the log key, and that it states `expected` size and root.
 * @throws ERR_CHECKPOINT_INVALID, ERR_CHECKPOINT_SIGNATURE, ERR_CHECKPOINT_MISMATCH
 */
export function verifyRekorCheckpoint(note: string, key: TrustedLogKey, expected: { readonly size: number; readonly rootHash: Uint8Array }): Checkpoint {
  // Rekor v1 signs checkpoints as `<host>`, the part of the origin `<host> - <treeID>` before the dash
  const origin = parseSignedNote(note).text.split('\n')[0] ?? '';
  const name = origin.split(' - ')[0] ?? origin;
  const verifier = createNoteVerifier({ name, algorithm: key.algorithm, spkiDer: key.spkiDer, keyIdStyle: 'spki-sha256' });
  const checkpoint = verifyCheckpoint(note, [verifier]);
  verifyCheckpointMatches(checkpoint, expected);
  return checkpoint;
}

/**
 * Verifies what an entry carries: its SET when present, its inclusion proof when present; at least one.
 * @throws ERR_TLOG_UNVERIFIABLE when it has neither, and the codes of the two checks
 */
export function verifyRekorEntry(entry: RekorLogEntry, key: TrustedLogKey): VerifiedRekorEntry {
  if (!entry.signedEntryTimestamp && !entry.inclusionProof) {
    throw new VerificationError('ERR_TLOG_UNVERIFIABLE', `entry ${entry.uuid} has neither a signedEntryTimestamp nor an inclusion proof`);
  }
  if (entry.signedEntryTimestamp) verifyRekorSet(entry, key);
  const checkpoint = entry.inclusionProof ? verifyRekorInclusion(entry, key) : undefined;
  return { setVerified: entry.signedEntryTimestamp !== undefined, ...(checkpoint ? { checkpoint } : {}) };
}

/** True when two keys are the same DER SPKI. */
export function isSameLogKey(a: TrustedLogKey, b: TrustedLogKey): boolean {
  return a.algorithm === b.algorithm && equalBytes(a.spkiDer, b.spkiDer);
}
