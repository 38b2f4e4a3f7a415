// Shared fixtures for the offline cosign verification tests: fresh P-256 key pairs, the image
// digest they sign, and a cosign bundle annotation (a SET over a Rekor v1 entry) from a test log.
import { generateKeyPairSync } from 'node:crypto';
import { canonicalJsonBytes, encodeBase64, encodeHex, encodePem, encodeUtf8, signData } from '../../src/core/index.ts';
import { rekorKeyId } from '../../src/merkle/index.ts';

export const ALG = 'ecdsa-p256-sha256' as const;

/** The image digest the tests sign. */
export const IMAGE_DIGEST = `sha256:${'1'.repeat(64)}`;

/** A test key pair in DER form. */
export interface TestKeyPair { readonly spki: Uint8Array; readonly pkcs8: Uint8Array }

/** A fresh P-256 key pair. */
export function keyPair(): TestKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })), pkcs8: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })) };
}

/** Base64 of the PEM public key, as Rekor entry bodies carry it. */
export function pemB64(spki: Uint8Array): string {
  return encodeBase64(encodeUtf8(encodePem('PUBLIC KEY', spki)));
}

/** The cosign bundle annotation for a log entry `body`: its Payload and the SET `log` signs over it. */
export function encodeBundleAnnotation(body: Uint8Array, log: TestKeyPair, logIndex: number): string {
  const p = { body: encodeBase64(body), integratedTime: 1_700_000_000, logID: encodeHex(rekorKeyId(log.spki)), logIndex };
  return JSON.stringify({ SignedEntryTimestamp: encodeBase64(signData(ALG, log.pkcs8, canonicalJsonBytes(p))), Payload: p });
}
