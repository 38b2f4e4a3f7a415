/**
 * What a signer writes for DSSE (secure-systems-lab/dsse v1): the pre-authentication encoding it
 * signs, the envelope JSON, the Rekor dsse 0.0.1 proposed entry, and the in-toto Statement v1
 * cosign 3 signs for an image (`predicateType https://sigstore.dev/cosign/sign/v1`).
 */
import { encodeBase64, encodeUtf8 } from '../core/index.ts';
import { IN_TOTO_PAYLOAD_TYPE, encodeDssePae } from './dsse-pae.ts';

export { IN_TOTO_PAYLOAD_TYPE, encodeDssePae };
/** The predicate type of cosign's image signature statement. */
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';

/** The envelope JSON as go-securesystemslib writes it (payloadType, payload, signatures[{keyid, sig}]). */
export function encodeDsseEnvelope(payloadType: string, payload: Uint8Array, signature: Uint8Array): string {
  return JSON.stringify({ payloadType, payload: encodeBase64(payload), signatures: [{ keyid: '', sig: encodeBase64(signature) }] });
}

/** The Rekor dsse 0.0.1 proposed entry for an envelope signed by the key or certificate in `verifierPem`. */
export function createDsseProposal(envelopeJson: string, verifierPem: string): unknown {
  return { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: envelopeJson, verifiers: [encodeBase64(encodeUtf8(verifierPem))] } } };
}

/**
 * The statement cosign 3 signs for an image: the image digest as the only subject (no name),
 * `-a` pairs as the subject's annotations, an empty predicate. Requires a lower-case hex digest.
 */
export function createImageSignStatement(digestHex: string, annotations: Readonly<Record<string, string>> = {}): Uint8Array {
  const sorted = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const subject = Object.keys(sorted).length > 0 ? { digest: { sha256: digestHex }, annotations: sorted } : { digest: { sha256: digestHex } };
  return encodeUtf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [subject], predicateType: COSIGN_SIGN_PREDICATE_TYPE, predicate: {} }));
}
