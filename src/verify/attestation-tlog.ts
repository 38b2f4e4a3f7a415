/**
 * The Rekor bundle annotation of an attestation layer (`dev.sigstore.cosign/bundle`): its SET must
 * verify with a trusted log key, and the logged entry (dsse 0.0.1, intoto 0.0.1 or intoto 0.0.2)
 * must describe this very layer: the envelope's hash (what cosign compares), the statement's hash,
 * the envelope's signature where the kind keeps it, and the key or certificate that verified it.
 */
import { VerificationError, decodeBase64, decodeUtf8, encodeUtf8, hashHex } from '../core/index.ts';
import type { RekorLogEntry } from '../bundle/index.ts';
import { checkLoggedVerifier, verifyAnnotationSet } from './cosign-bundle.ts';
import { bundleInvalid as bad, bundleObject as obj, parseLoggedBody, type Json } from './logged-body.ts';
import type { TrustedLogKey } from './tlog.ts';

/** What the logged entry must match. */
export interface AttestationLayerFacts {
  /** the layer payload: the envelope JSON as stored */
  readonly envelope: Uint8Array;
  /** the envelope's decoded payload: the statement */
  readonly statement: Uint8Array;
  /** the envelope signature (base64, as in the envelope) that verified */
  readonly signatureBase64: string;
  /** DER SPKI of the verifying key (key-based) */
  readonly publicKeySpki?: Uint8Array;
  /** DER of the signing certificate (keyless) */
  readonly certificateDer?: Uint8Array;
}

function differs(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_BUNDLE_MISMATCH', message);
}

function hashValue(v: unknown, where: string): string {
  const h = obj(v, where);
  if (h['algorithm'] !== 'sha256' || typeof h['value'] !== 'string') throw bad(`${where} must be a sha256 hash`);
  return h['value'].toLowerCase();
}

function checkHashes(envelopeHash: string, payloadHash: string | undefined, facts: AttestationLayerFacts): void {
  if (envelopeHash !== hashHex('sha256', facts.envelope)) throw differs('the logged entry hashes another envelope');
  if (payloadHash !== undefined && payloadHash !== hashHex('sha256', facts.statement)) throw differs('the logged entry hashes another statement');
}

function checkOneSignature(list: unknown, where: string): Json {
  if (!Array.isArray(list) || list.length !== 1) throw bad(`${where} must hold exactly one signature`);
  return obj(list[0], `${where}[0]`);
}

function checkBody(entry: RekorLogEntry, facts: AttestationLayerFacts): void {
  const body = parseLoggedBody(entry);
  const spec = obj(body['spec'], 'spec');
  const kind = `${String(body['kind'])} ${String(body['apiVersion'])}`;
  if (kind === 'dsse 0.0.1') {
    checkHashes(hashValue(spec['envelopeHash'], 'spec.envelopeHash'), hashValue(spec['payloadHash'], 'spec.payloadHash'), facts);
    const sig = checkOneSignature(spec['signatures'], 'spec.signatures');
    if (sig['signature'] !== facts.signatureBase64) throw differs('the logged entry carries another signature');
    checkLoggedVerifier(sig['verifier'], facts);
  } else if (kind === 'intoto 0.0.1') {
    const content = obj(spec['content'], 'spec.content');
    const payloadHash = content['payloadHash'] === undefined ? undefined : hashValue(content['payloadHash'], 'spec.content.payloadHash');
    checkHashes(hashValue(content['hash'], 'spec.content.hash'), payloadHash, facts);
    checkLoggedVerifier(spec['publicKey'], facts);
  } else if (kind === 'intoto 0.0.2') {
    const content = obj(spec['content'], 'spec.content');
    checkHashes(hashValue(content['hash'], 'spec.content.hash'), hashValue(content['payloadHash'], 'spec.content.payloadHash'), facts);
    const sig = checkOneSignature(obj(content['envelope'], 'spec.content.envelope')['signatures'], 'spec.content.envelope.signatures');
    // intoto 0.0.2 keeps the envelope's base64 signature text base64-encoded once more
    if (typeof sig['sig'] !== 'string' || decodeUtf8(decodeBase64(sig['sig'], () => bad('the logged signature is not base64'))) !== facts.signatureBase64) {
      throw differs('the logged entry carries another signature');
    }
    checkLoggedVerifier(sig['publicKey'], facts);
  } else {
    throw bad(`the logged entry is a ${kind}, want dsse 0.0.1 or intoto 0.0.1/0.0.2`);
  }
}

/**
 * Verifies the annotation against the trusted logs and the attestation layer it sits on.
 * @throws ERR_VERIFY_BUNDLE_INVALID, ERR_VERIFY_BUNDLE_MISMATCH, ERR_TLOG_LOG_ID_MISMATCH, ERR_CRYPTO_SIGNATURE_INVALID
 */
export function verifyAttestationBundle(annotation: string, logKeys: readonly TrustedLogKey[], facts: AttestationLayerFacts): RekorLogEntry {
  const entry = verifyAnnotationSet(encodeUtf8(annotation), logKeys);
  checkBody(entry, facts);
  return entry;
}
