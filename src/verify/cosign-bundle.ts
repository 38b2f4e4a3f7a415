/**
 * cosign's `dev.sigstore.cosign/bundle` layer annotation: the Rekor entry's SET (an offline
 * inclusion promise) plus the entry body, which must describe this very layer.
 */
import { VerificationError, decodeBase64, decodePem, decodeUtf8, encodeHex, equalBytes, hashHex } from '../core/index.ts';
import { hashLeaf } from '../merkle/index.ts';
import type { RekorLogEntry } from '../bundle/index.ts';
import { bundleInvalid as bad, bundleObject as obj, parseLoggedBody } from './logged-body.ts';
import { logIdOf, verifyRekorSet, type TrustedLogKey } from './tlog.ts';

/** What the logged entry must match. */
export interface LayerFacts {
  readonly payload: Uint8Array;
  readonly signatureBase64: string;
  /** DER SPKI of the key the layer was verified with (key-based signatures) */
  readonly publicKeySpki?: Uint8Array;
  /** DER of the signing certificate (keyless signatures: the entry logs the certificate PEM) */
  readonly certificateDer?: Uint8Array;
}

/** Parses the annotation JSON into a Rekor entry carrying its SET. @throws ERR_VERIFY_BUNDLE_INVALID */
export function parseCosignBundleAnnotation(bytes: Uint8Array): RekorLogEntry {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(bytes)); } catch { throw bad('the rekor bundle annotation is not json'); }
  const top = obj(json, 'bundle');
  const p = obj(top['Payload'], 'bundle.Payload');
  const set = top['SignedEntryTimestamp'];
  const { body, integratedTime, logIndex, logID } = p;
  if (typeof set !== 'string' || typeof body !== 'string' || typeof logID !== 'string') throw bad('bundle needs SignedEntryTimestamp, Payload.body and Payload.logID strings');
  if (!Number.isSafeInteger(integratedTime) || !Number.isSafeInteger(logIndex)) throw bad('bundle Payload.integratedTime and logIndex must be integers');
  const bodyBytes = decodeBase64(body, () => bad('bundle Payload.body is not base64'));
  const uuid = encodeHex(hashLeaf(bodyBytes));
  return {
    entryId: uuid, uuid, bodyBase64: body, body: bodyBytes,
    integratedTime: integratedTime as number, logIndex: logIndex as number, logId: logID,
    signedEntryTimestamp: decodeBase64(set, () => bad('bundle SignedEntryTimestamp is not base64')),
  };
}

function checkBodyMatches(entry: RekorLogEntry, facts: LayerFacts): void {
  const body = parseLoggedBody(entry);
  if (body['kind'] !== 'hashedrekord') throw bad(`the logged entry is a ${String(body['kind'])}, want hashedrekord`);
  const spec = obj(body['spec'], 'spec');
  const hash = obj(obj(spec['data'], 'spec.data')['hash'], 'spec.data.hash');
  const signature = obj(spec['signature'], 'spec.signature');
  const keyContent = obj(signature['publicKey'], 'spec.signature.publicKey')['content'];
  if (hash['algorithm'] !== 'sha256' || String(hash['value']).toLowerCase() !== hashHex('sha256', facts.payload)) {
    throw new VerificationError('ERR_VERIFY_BUNDLE_MISMATCH', 'the logged entry hashes another payload');
  }
  if (signature['content'] !== facts.signatureBase64) throw new VerificationError('ERR_VERIFY_BUNDLE_MISMATCH', 'the logged entry carries another signature');
  if (typeof keyContent !== 'string') throw bad('spec.signature.publicKey.content must be a string');
  checkLoggedVerifier(keyContent, facts);
}

/**
 * Compares the key or certificate a log entry names (base64 of its PEM, as Rekor bodies hold it)
 * with the one the layer verified with.
 * @throws ERR_VERIFY_BUNDLE_INVALID when it is not base64 PEM; ERR_VERIFY_BUNDLE_MISMATCH when it is another
 */
export function checkLoggedVerifier(pemBase64: unknown, facts: Pick<LayerFacts, 'publicKeySpki' | 'certificateDer'>): void {
  if (typeof pemBase64 !== 'string') throw bad('the logged verifier must be a base64 string');
  let block;
  try { block = decodePem(decodeUtf8(decodeBase64(pemBase64, () => bad('the logged verifier is not base64'))))[0]; } catch (e) { throw e instanceof VerificationError ? e : bad('the logged verifier is not PEM'); }
  const [label, want] = facts.certificateDer ? ['CERTIFICATE', facts.certificateDer] : ['PUBLIC KEY', facts.publicKeySpki];
  if (block?.label !== label || want === undefined || !equalBytes(block.der, want)) {
    throw new VerificationError('ERR_VERIFY_BUNDLE_MISMATCH', `the logged entry names another ${facts.certificateDer ? 'certificate' : 'public key'}`);
  }
}

/**
 * Parses the annotation and verifies its SET with the trusted log it names.
 * @throws ERR_VERIFY_BUNDLE_INVALID, ERR_TLOG_LOG_ID_MISMATCH, ERR_CRYPTO_SIGNATURE_INVALID
 */
export function verifyAnnotationSet(bytes: Uint8Array, logKeys: readonly TrustedLogKey[]): RekorLogEntry {
  const entry = parseCosignBundleAnnotation(bytes);
  const key = logKeys.find((k) => logIdOf(k) === entry.logId);
  if (!key) throw new VerificationError('ERR_TLOG_LOG_ID_MISMATCH', `the bundle's log ${entry.logId} is not a trusted log`);
  verifyRekorSet(entry, key);
  return entry;
}

/**
 * Verifies the annotation against the trusted logs and the layer it sits on.
 * @throws ERR_VERIFY_BUNDLE_INVALID, ERR_VERIFY_BUNDLE_MISMATCH, ERR_TLOG_LOG_ID_MISMATCH, ERR_CRYPTO_SIGNATURE_INVALID
 */
export function verifyCosignBundleAnnotation(bytes: Uint8Array, logKeys: readonly TrustedLogKey[], facts: LayerFacts): RekorLogEntry {
  const entry = verifyAnnotationSet(bytes, logKeys);
  checkBodyMatches(entry, facts);
  return entry;
}
