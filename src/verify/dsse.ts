/**
 * DSSE (secure-systems-lab/dsse v1) pre-authentication encoding and the in-toto statement subject
 * check: a DSSE bundle verifies an artifact only when the artifact's digest is a subject.
 */
import { decodeUtf8, encodeHex, VerificationError } from '../core/index.ts';

export { IN_TOTO_PAYLOAD_TYPE, encodeDssePae as encodePae } from '../bundle/dsse-pae.ts';
import { IN_TOTO_PAYLOAD_TYPE } from '../bundle/dsse-pae.ts';

function mismatch(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_ARTIFACT_MISMATCH', message);
}

/**
 * Checks that `payload` is an in-toto statement (of type `payloadType`) with a subject whose
 * sha256 digest is `digest`.
 * @throws ERR_VERIFY_ARTIFACT_MISMATCH when the payload is not a statement or no subject matches
 */
export function verifyStatementSubject(payloadType: string, payload: Uint8Array, digest: Uint8Array): void {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) throw mismatch(`dsse payload type ${JSON.stringify(payloadType.slice(0, 80))} is not ${IN_TOTO_PAYLOAD_TYPE}`);
  let statement: unknown;
  try { statement = JSON.parse(decodeUtf8(payload)); } catch { throw mismatch('dsse payload is not json'); }
  const subjects = typeof statement === 'object' && statement !== null && 'subject' in statement ? statement.subject : undefined;
  if (!Array.isArray(subjects)) throw mismatch('in-toto statement has no subject list');
  const want = encodeHex(digest);
  const found = subjects.some((s: unknown) => {
    const d = typeof s === 'object' && s !== null && 'digest' in s ? s.digest : undefined;
    const sha = typeof d === 'object' && d !== null && 'sha256' in d ? d.sha256 : undefined;
    return typeof sha === 'string' && sha.toLowerCase() === want;
  });
  if (!found) throw mismatch(`no in-toto subject has sha256 digest ${want}`);
}
