/**
 * DSSE v1 (secure-systems-lab/dsse) pre-authentication encoding: what every DSSE signature is
 * over, for signing (src/bundle/dsse-sign.ts), the log's dsse/intoto kinds and bundle verification.
 */
import { concatBytes, encodeUtf8 } from '../core/index.ts';

/** The in-toto payload type. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in ASCII decimal bytes. */
export function encodeDssePae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encodeUtf8(payloadType);
  return concatBytes([encodeUtf8(`DSSEv1 ${type.byteLength} `), type, encodeUtf8(` ${payload.byteLength} `), payload]);
}
