/**
 * The Rekor intoto 0.0.1 proposed entry `cosign attest --rekor-entry-type intoto` uploads (cosign
 * 2.5; rekor pkg/types/intoto/v0.0.1): the envelope JSON as a string, its sha256, and the
 * verifier (public key or certificate PEM) base64-encoded.
 */
import { encodeBase64, encodeUtf8, hashHex } from '../core/index.ts';

/** The intoto 0.0.1 proposed entry for `envelopeJson` signed by the key or certificate in `verifierPem`. */
export function createIntotoProposal(envelopeJson: string, verifierPem: string): unknown {
  return {
    apiVersion: '0.0.1',
    kind: 'intoto',
    spec: {
      content: { envelope: envelopeJson, hash: { algorithm: 'sha256', value: hashHex('sha256', encodeUtf8(envelopeJson)) } },
      publicKey: encodeBase64(encodeUtf8(verifierPem)),
    },
  };
}
