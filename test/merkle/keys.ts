// Test-only note keys, generated per run (signatures need no fixed bytes here).
import { generateKeyPairSync } from 'node:crypto';
import type { SignatureAlgorithm } from '../../src/core/index.ts';
import type { NoteSigningKey } from '../../src/merkle/index.ts';

/** A fresh key pair as DER bytes, for `algorithm`. */
export function generateNoteKey(name: string, algorithm: 'ed25519' | 'ecdsa-p256-sha256' | 'ecdsa-p384-sha384', keyIdStyle?: NoteSigningKey['keyIdStyle']): NoteSigningKey {
  const pair = algorithm === 'ed25519'
    ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('ec', { namedCurve: algorithm === 'ecdsa-p256-sha256' ? 'prime256v1' : 'secp384r1' });
  const key = {
    name,
    algorithm: algorithm satisfies SignatureAlgorithm,
    spkiDer: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
    pkcs8Der: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
  return keyIdStyle === undefined ? key : { ...key, keyIdStyle };
}
