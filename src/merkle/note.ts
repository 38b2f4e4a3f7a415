/**
 * Signed notes (C2SP signed-note): a UTF-8 text, a blank line, then signature lines
 * `— <key name> <base64(4-byte key ID || signature)>`. Pure parsing, encoding and checking;
 * the keys behind `NoteVerifier`/`NoteSigner` come from key-id.ts.
 */
import { decodeBase64, encodeBase64, encodeUtf8, InputError, VerificationError } from '../core/index.ts';

/** One signature line. */
export interface NoteSignature {
  readonly name: string;
  /** the first 4 bytes of the key ID, big-endian */
  readonly keyHint: number;
  /** the signature bytes that follow the key hint */
  readonly signature: Uint8Array;
}

/** A parsed signed note: the signed text (ending in a newline) and its signature lines. */
export interface SignedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Checks signatures of one key; `verify` gets the exact signed bytes. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyHint: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs with one key; `sign` returns the signature without the key hint. */
export interface NoteSigner {
  readonly name: string;
  readonly keyHint: number;
  sign(message: Uint8Array): Uint8Array;
}

/** A verified note: its text and the signature lines that verified with a trusted key. */
export interface VerifiedNote {
  readonly text: string;
  readonly verified: readonly NoteSignature[];
}

const DASH = '\u2014 ';
// Attacker-controlled input: bound the work a note can ask for.
const MAX_SIGNATURES = 100;
const MAX_NOTE_CHARS = 1 << 20;

function invalid(message: string): InputError {
  return new InputError('ERR_CHECKPOINT_INVALID', message);
}

/** True when `name` is a valid key name: non-empty, no whitespace, no `+`. */
export function isNoteKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(DASH)) throw invalid(`signature line ${JSON.stringify(line.slice(0, 40))} does not start with an em dash and a space`);
  const rest = line.slice(DASH.length);
  const space = rest.lastIndexOf(' ');
  const name = rest.slice(0, space);
  if (space < 0 || !isNoteKeyName(name)) throw invalid(`signature line has a bad key name ${JSON.stringify(name.slice(0, 40))}`);
  const blob = decodeBase64(rest.slice(space + 1), (t) => invalid(`signature of ${name} is not base64: ${JSON.stringify(t.slice(0, 40))}`));
  if (blob.byteLength < 5) throw invalid(`signature of ${name} has ${blob.byteLength} bytes, want a 4-byte key hint and a signature`);
  const keyHint = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0);
  return { name, keyHint, signature: blob.slice(4) };
}

/**
 * Parses a signed note; splits at the last blank line (C2SP signed-note).
 * @throws ERR_CHECKPOINT_INVALID when it is not a well-formed note with 1..100 signature lines
 */
export function parseSignedNote(note: string): SignedNote {
  if (note.length > MAX_NOTE_CHARS) throw invalid(`note has ${note.length} characters, more than ${MAX_NOTE_CHARS}`);
  // only newline may appear among the control characters (C2SP signed-note)
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/u.test(note)) throw invalid('note contains control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw invalid('note has no blank line before its signatures or does not end in a newline');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (note.length === split + 2 || lines.length > MAX_SIGNATURES) throw invalid(`note has ${note.length === split + 2 ? 0 : lines.length} signature lines, want 1..${MAX_SIGNATURES}`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** The note bytes: text, blank line, one line per signature. Requires text ending in a newline. */
export function encodeSignedNote(note: SignedNote): string {
  const lines = note.signatures.map((s) => {
    const blob = new Uint8Array(4 + s.signature.byteLength);
    new DataView(blob.buffer).setUint32(0, s.keyHint);
    blob.set(s.signature, 4);
    return `${DASH}${s.name} ${encodeBase64(blob)}\n`;
  });
  return `${note.text}\n${lines.join('')}`;
}

/**
 * Signs `text` (which must end in a newline) with each signer and encodes the note.
 * @throws ERR_CHECKPOINT_INVALID when the text does not end in a newline or a name is invalid
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n') || text.includes('\n\n')) throw invalid('note text must end in a newline and have no blank line');
  const message = encodeUtf8(text);
  const signatures = signers.map((s) => {
    if (!isNoteKeyName(s.name)) throw invalid(`bad key name ${JSON.stringify(s.name)}`);
    return { name: s.name, keyHint: s.keyHint, signature: s.sign(message) };
  });
  return encodeSignedNote({ text, signatures });
}

/**
 * Verifies a signed note: lines from keys in `verifiers` (same name and key hint) must verify,
 * and at least one must; lines from other keys (witnesses, other logs) are ignored.
 * @throws ERR_CHECKPOINT_SIGNATURE when no trusted line verifies or a trusted line is bad
 * @throws ERR_CHECKPOINT_INVALID when the note is malformed
 */
export function verifySignedNote(note: string, verifiers: readonly NoteVerifier[]): VerifiedNote {
  return verifyParsedSignedNote(parseSignedNote(note), verifiers);
}

/**
 * {@link verifySignedNote} for a note already parsed with {@link parseSignedNote}.
 * @throws ERR_CHECKPOINT_SIGNATURE when no trusted line verifies or a trusted line is bad
 */
export function verifyParsedSignedNote(parsed: SignedNote, verifiers: readonly NoteVerifier[]): VerifiedNote {
  const message = encodeUtf8(parsed.text);
  const verified: NoteSignature[] = [];
  for (const line of parsed.signatures) {
    const key = verifiers.find((v) => v.name === line.name && v.keyHint === line.keyHint);
    if (key === undefined) continue;
    if (!key.verify(message, line.signature)) {
      throw new VerificationError('ERR_CHECKPOINT_SIGNATURE', `signature of ${line.name} (key hint ${hex8(line.keyHint)}) does not verify`);
    }
    verified.push(line);
  }
  if (verified.length === 0) {
    const seen = parsed.signatures.map((s) => `${s.name}/${hex8(s.keyHint)}`).join(', ');
    const want = verifiers.map((v) => `${v.name}/${hex8(v.keyHint)}`).join(', ');
    throw new VerificationError('ERR_CHECKPOINT_SIGNATURE', `no signature from a trusted key: note has [${seen}], trusted [${want}]`);
  }
  return { text: parsed.text, verified };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
