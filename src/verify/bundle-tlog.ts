/**
 * Offline verification of a bundle's transparency log entries, Rekor v1 and v2 alike: the log is
 * found by `logId` in the trust root; the SignedEntryTimestamp (v1) is checked and yields a signed
 * time; the inclusion proof is checked with the proof's own index and size; the checkpoint must be
 * signed by the same log (other signature lines are ignored) and state the proof's size and root.
 */
import { encodeHex, equalBytes, isSignatureValid, VerificationError } from '../core/index.ts';
import {
  c2spKeyId, C2SP_TYPE_ED25519, createNoteVerifier, hashLeaf, parseCheckpoint, parseSignedNote, verifyCheckpointMatches, verifyInclusion, verifyParsedSignedNote,
  type NoteKeyIdStyle, type NoteVerifier,
} from '../merkle/index.ts';
import { encodeSetPayload, type TransparencyLogEntry } from '../bundle/index.ts';
import { parsePublicKeyInfo } from './signature.ts';
import { isWithinValidity, type TransparencyLogInstance } from './trust-root.ts';

/** What one verified entry contributes. */
export interface VerifiedTlogEntry {
  readonly log: TransparencyLogInstance;
  /** the SET-signed integrated time, when the entry carries an inclusion promise */
  readonly integratedTime?: Date;
}

/** A trust-root log whose key sigil can verify with. */
export type TrustedLog = TransparencyLogInstance & { readonly algorithm: NonNullable<TransparencyLogInstance['algorithm']> };

function untrusted(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_TLOG_UNTRUSTED', message);
}

/**
 * The trust root's log that an entry names by `logId`.
 * @throws ERR_VERIFY_TLOG_UNTRUSTED when there is none, or its key is of an unsupported kind
 */
export function findLog(entry: TransparencyLogEntry, tlogs: readonly TransparencyLogInstance[]): TrustedLog {
  const log = tlogs.find((l) => equalBytes(l.logId, entry.logId.keyId));
  if (!log) throw untrusted(`log entry ${entry.logIndex} names log ${encodeHex(entry.logId.keyId)}, which the trust root does not hold`);
  if (!isTrustedLog(log)) throw untrusted(`log ${log.baseUrl} has a key of unsupported type ${log.keyDetails}`);
  return log;
}

function isTrustedLog(log: TransparencyLogInstance): log is TrustedLog {
  return log.algorithm !== null;
}

/** The checkpoint signer name of a log: its base URL without scheme and trailing slash. */
export function checkpointNameOf(log: TransparencyLogInstance): string {
  return log.baseUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
}

function keyIdStyleOf(log: TransparencyLogInstance, name: string): NoteKeyIdStyle {
  if (log.algorithm !== 'ed25519') return 'spki-sha256';
  // a C2SP log's ID is its note key ID; a Rekor v1-style Ed25519 log's ID is SHA-256(SPKI)
  const raw = parsePublicKeyInfo(log.spkiDer).raw;
  return equalBytes(c2spKeyId(name, C2SP_TYPE_ED25519, raw), log.logId) ? 'c2sp-ed25519' : 'spki-sha256';
}

/**
 * Verifies the SET: the log key's signature over JCS {body, integratedTime, logID, logIndex}.
 * @throws ERR_TLOG_SET_INVALID
 */
export function verifyInclusionPromise(entry: TransparencyLogEntry, log: TrustedLog, set: Uint8Array): void {
  const payload = encodeSetPayload(entry.canonicalizedBodyBase64, Number(entry.integratedTime), encodeHex(entry.logId.keyId), Number(entry.logIndex));
  if (!isSignatureValid(log.algorithm, log.spkiDer, payload, set, [log.algorithm])) {
    throw new VerificationError('ERR_TLOG_SET_INVALID', `signed entry timestamp of log entry ${entry.logIndex} does not verify with the key of ${log.baseUrl}`);
  }
}

// One note verifier per trusted log object: trust roots are parsed once and never modified.
const NOTE_VERIFIERS = new WeakMap<TrustedLog, NoteVerifier>();

function noteVerifierOf(log: TrustedLog, name: string): NoteVerifier {
  let verifier = NOTE_VERIFIERS.get(log);
  if (!verifier) {
    verifier = createNoteVerifier({ name, algorithm: log.algorithm, spkiDer: log.spkiDer, keyIdStyle: keyIdStyleOf(log, name) });
    NOTE_VERIFIERS.set(log, verifier);
  }
  return verifier;
}

/**
 * Verifies the inclusion proof and its checkpoint.
 * @throws ERR_TLOG_PROOF_MISSING, ERR_MERKLE_*, ERR_CHECKPOINT_*
 */
export function verifyEntryInclusion(entry: TransparencyLogEntry, log: TrustedLog): void {
  const proof = entry.inclusionProof;
  if (!proof) throw new VerificationError('ERR_TLOG_PROOF_MISSING', `log entry ${entry.logIndex} has no inclusion proof`);
  if (proof.checkpoint === undefined) throw new VerificationError('ERR_TLOG_PROOF_MISSING', `log entry ${entry.logIndex} has an inclusion proof without a checkpoint`);
  verifyInclusion(proof.logIndex, proof.treeSize, hashLeaf(entry.canonicalizedBody), proof.hashes, proof.rootHash);
  const name = checkpointNameOf(log);
  const verifier = noteVerifierOf(log, name);
  // a malformed body is reported as such, before its (then necessarily broken) signature
  const note = parseSignedNote(proof.checkpoint);
  const checkpoint = parseCheckpoint(note.text);
  verifyParsedSignedNote(note, [verifier]);
  // Rekor v1 origins are `<name> - <tree ID>`; C2SP logs use the name itself
  if (checkpoint.origin !== name && !checkpoint.origin.startsWith(`${name} - `)) {
    throw new VerificationError('ERR_CHECKPOINT_MISMATCH', `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not log ${name}`);
  }
  verifyCheckpointMatches(checkpoint, { size: proof.treeSize, rootHash: proof.rootHash });
}

/**
 * Verifies one entry against the trust root: log known, SET (when present, and its time inside
 * the log's validity), inclusion proof with checkpoint (when present); at least one of the two.
 * The body's consistency with the bundle is checked separately (tlog-body.ts).
 * @throws ERR_VERIFY_TLOG_UNTRUSTED, ERR_TLOG_UNVERIFIABLE, and the codes of the checks
 */
export function verifyTlogEntry(entry: TransparencyLogEntry, tlogs: readonly TransparencyLogInstance[]): VerifiedTlogEntry {
  const log = findLog(entry, tlogs);
  const set = entry.inclusionPromise?.signedEntryTimestamp;
  if (!set && !entry.inclusionProof) throw new VerificationError('ERR_TLOG_UNVERIFIABLE', `log entry ${entry.logIndex} has neither an inclusion promise nor an inclusion proof`);
  let integratedTime: Date | undefined;
  if (set) {
    verifyInclusionPromise(entry, log, set);
    integratedTime = new Date(Number(entry.integratedTime) * 1000);
    if (!isWithinValidity(log.validFor, integratedTime)) throw untrusted(`log ${log.baseUrl} was not valid at integrated time ${integratedTime.toISOString()}`);
  }
  if (entry.inclusionProof) verifyEntryInclusion(entry, log);
  return { log, ...(integratedTime ? { integratedTime } : {}) };
}
