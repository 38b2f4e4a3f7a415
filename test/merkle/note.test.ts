// Signed notes: round trips with Ed25519 (C2SP key ID) and ECDSA (SPKI key ID) keys, tolerance of
// foreign signature lines, and malformed notes by error code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase64 } from '../../src/core/index.ts';
import {
  c2spKeyId, createNoteSigner, createNoteVerifier, encodeSignedNote, keyHintOf, noteKeyId, parseSignedNote,
  rekorKeyId, signNote, verifySignedNote,
} from '../../src/merkle/index.ts';
import { generateNoteKey } from './keys.ts';

const log = generateNoteKey('log.example', 'ed25519');
const witness = generateNoteKey('witness.example', 'ed25519');
const v1 = generateNoteKey('rekor.example', 'ecdsa-p256-sha256');
const text = 'log.example\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n';

test('an Ed25519 note verifies and its hint is the C2SP key ID', () => {
  const note = signNote(text, [createNoteSigner(log)]);
  const verified = verifySignedNote(note, [createNoteVerifier(log)]);
  assert.equal(verified.text, text);
  assert.equal(verified.verified.length, 1);
  assert.equal(verified.verified[0]?.keyHint, keyHintOf(noteKeyId(log)));
});

test('an ECDSA note uses the SPKI key ID', () => {
  assert.deepEqual(noteKeyId(v1), rekorKeyId(v1.spkiDer));
  const note = signNote(text, [createNoteSigner(v1)]);
  assert.equal(verifySignedNote(note, [createNoteVerifier(v1)]).verified.length, 1);
});

test('foreign lines before and after the log line are ignored', () => {
  const note = signNote(text, [createNoteSigner(witness), createNoteSigner(log), createNoteSigner(v1)]);
  const verified = verifySignedNote(note, [createNoteVerifier(log)]);
  assert.deepEqual(verified.verified.map((s) => s.name), ['log.example']);
});

test('every trusted line that is present must verify', () => {
  const note = signNote(text, [createNoteSigner(log), createNoteSigner(witness)]);
  assert.equal(verifySignedNote(note, [createNoteVerifier(log), createNoteVerifier(witness)]).verified.length, 2);
});

test('parse and encode round trip', () => {
  const note = signNote(text, [createNoteSigner(log), createNoteSigner(witness)]);
  assert.equal(encodeSignedNote(parseSignedNote(note)), note);
});

test('C2SP key ID hashes name, newline, type byte and key', () => {
  const id = c2spKeyId('a', 0x01, new Uint8Array([0xff]));
  assert.equal(id.byteLength, 32);
  assert.notDeepEqual(id, c2spKeyId('a', 0x02, new Uint8Array([0xff])));
});

const validNote = signNote(text, [createNoteSigner(log)]);
const [validBody = '', validSigs = ''] = validNote.split('\n\n');
const sigLine = validSigs.trimEnd();
const blob = (bytes: number): string => encodeBase64(new Uint8Array(bytes));
const otherKeyNote = signNote(text, [createNoteSigner(witness)]);
const badSig = sigLine.slice(0, -6) + (sigLine.slice(-6, -5) === 'A' ? 'B' : 'A') + sigLine.slice(-5);

const failures: readonly { name: string; note: string; code: string }[] = [
  { name: 'no blank line', note: `${validBody}\n${sigLine}\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'no final newline', note: validNote.slice(0, -1), code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'no signature lines', note: `${validBody}\n\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'hyphen instead of em dash', note: `${validBody}\n\n- ${sigLine.slice(2)}\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'key name with a plus', note: `${validBody}\n\n\u2014 a+b ${blob(70)}\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'missing key name', note: `${validBody}\n\n\u2014 ${blob(70)}\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'signature not base64', note: `${validBody}\n\n\u2014 log.example not*base64\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'signature shorter than a hint', note: `${validBody}\n\n\u2014 log.example ${blob(4)}\n`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'control character', note: validNote.replace('5\n', '5\r\n'), code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'too many signature lines', note: `${validBody}\n\n${`${sigLine}\n`.repeat(101)}`, code: 'ERR_CHECKPOINT_INVALID' },
  { name: 'only an untrusted key', note: otherKeyNote, code: 'ERR_CHECKPOINT_SIGNATURE' },
  { name: 'bad signature from the trusted key', note: `${validBody}\n\n${badSig}\n`, code: 'ERR_CHECKPOINT_SIGNATURE' },
  { name: 'body changed after signing', note: validNote.replace('\n5\n', '\n6\n'), code: 'ERR_CHECKPOINT_SIGNATURE' },
];

for (const c of failures) {
  test(`note: ${c.name}`, () => assert.throws(() => verifySignedNote(c.note, [createNoteVerifier(log)]), { code: c.code }));
}

test('signing refuses text without a final newline', () => {
  assert.throws(() => signNote('x', [createNoteSigner(log)]), { code: 'ERR_CHECKPOINT_INVALID' });
});

test('a key that does not fit its algorithm, or a mismatched pair, is refused', () => {
  assert.throws(() => createNoteVerifier({ ...v1, algorithm: 'ed25519' }), { code: 'ERR_CRYPTO_KEY_INVALID' });
  assert.throws(() => createNoteVerifier({ ...log, algorithm: 'ecdsa-p256-sha256' }), { code: 'ERR_CRYPTO_KEY_INVALID' });
  assert.throws(() => createNoteSigner({ ...log, pkcs8Der: witness.pkcs8Der }), { code: 'ERR_CRYPTO_KEY_INVALID' });
});
