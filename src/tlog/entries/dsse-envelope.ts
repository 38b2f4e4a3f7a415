/**
 * DSSE envelopes as Rekor's dsse and intoto kinds check them: every signature is over the PAE
 * (DSSE v1 pre-authentication encoding), every signature must verify with one of the keys and
 * every key must verify at least one signature (go-securesystemslib's envelope verifier, once per key).
 * ECDSA and RSA keys verify SHA-256(PAE) whatever their curve (sigstore's LoadVerifier with SHA-256);
 * Ed25519 keys verify the PAE itself.
 */
import { hashBytes, isSignatureValid } from '../../core/index.ts';
import { encodeDssePae } from '../../bundle/dsse-pae.ts';
import { isDigestSignatureValid } from '../../core/digest-signature.ts';
import { arrayField, badEntrySignature, invalidEntry, objectField, optionalString, stringField } from './fields.ts';
import type { VerifierKey } from './verifier-key.ts';

/**
 * Decodes DSSE base64 the way go-securesystemslib does: standard, else URL-safe, padding optional.
 * @throws ERR_TLOG_ENTRY_INVALID when it is neither
 */
export function decodeDsseBase64(text: string, name: string): Uint8Array {
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(text) || /^[A-Za-z0-9_-]*={0,2}$/.test(text)) {
    const bytes = new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
    if ((text.replace(/=+$/, '').length * 3) >> 2 === bytes.byteLength) return bytes;
  }
  throw invalidEntry(`${name} is not base64`);
}

/** A DSSE envelope's fields, the signatures as the strings the envelope holds. */
export interface DsseEnvelopeFields {
  readonly payloadType: string;
  readonly payload: Uint8Array;
  readonly sigs: readonly string[];
}

/**
 * Parses the envelope JSON `text` a dsse or intoto entry carries. `textName` names the text in the
 * not-json error, `where` prefixes the field paths in the others (`envelope`, `content.envelope`).
 * @throws ERR_TLOG_ENTRY_INVALID
 */
export function parseDsseEnvelope(text: string, textName: string, where: string): DsseEnvelopeFields {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidEntry(`${textName} is not a json dsse envelope`);
  }
  const env = objectField(json, where);
  const payloadType = stringField(env['payloadType'], `${where}.payloadType`);
  const payload = decodeDsseBase64(stringField(env['payload'], `${where}.payload`), `${where}.payload`);
  const sigs = arrayField(env['signatures'], `${where}.signatures`).map((s, i) => {
    const sig = objectField(s, `${where}.signatures[${i}]`);
    optionalString(sig['keyid'], `${where}.signatures[${i}].keyid`);
    return stringField(sig['sig'], `${where}.signatures[${i}].sig`);
  });
  return { payloadType, payload, sigs };
}

function isValid(key: VerifierKey, pae: Uint8Array, signature: Uint8Array): boolean {
  try {
    return key.spkiDer.byteLength > 0 && (isEd25519(key)
      ? isSignatureValid('ed25519', key.spkiDer, pae, signature, ['ed25519'])
      : isDigestSignatureValid(key.spkiDer, 'sha256', hashBytes('sha256', pae), signature));
  } catch {
    return false;
  }
}

function isEd25519(key: VerifierKey): boolean {
  // the Ed25519 SPKI is 44 bytes with OID 1.3.101.112 (06 03 2b 65 70)
  return key.spkiDer.byteLength === 44 && key.spkiDer[5] === 0x2b && key.spkiDer[6] === 0x65 && key.spkiDer[7] === 0x70;
}

/**
 * Verifies the envelope signatures (`sigs`: the signature strings as in the envelope) and
 * returns, for each distinct signature string, the key that verified it.
 * @throws ERR_TLOG_ENTRY_SIGNATURE when a key verifies no signature or a signature no key
 */
export function verifyEnvelope(keys: readonly VerifierKey[], payloadType: string, payload: Uint8Array, sigs: readonly string[]): Map<string, VerifierKey> {
  const pae = encodeDssePae(payloadType, payload);
  const decoded = sigs.map((s, i) => decodeDsseBase64(s, `signature ${i}`));
  const bySig = new Map<string, VerifierKey>();
  for (const key of keys) {
    let accepted = 0;
    sigs.forEach((sig, i) => {
      if (isValid(key, pae, decoded[i] as Uint8Array)) {
        accepted++;
        bySig.set(sig, key);
      }
    });
    if (accepted === 0) throw badEntrySignature('could not verify envelope: no valid signature for one of the verifiers');
  }
  if (sigs.some((s) => !bySig.has(s))) throw badEntrySignature('all signatures must have a key that verifies it');
  return bySig;
}
