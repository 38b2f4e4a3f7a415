/**
 * Consistency between a transparency log entry's canonicalized body and the bundle it sits in
 * (rekor-fulcio research §2.4, §3.3, §3.4, §5.4 step 6): the body must record the bundle's
 * signature, its certificate or key, and the artifact digest (or DSSE payload/PAE digest).
 * Handles hashedrekord 0.0.1/0.0.2, dsse 0.0.1 and intoto 0.0.2; everything else fails closed.
 */
import {
  decodeBase64, decodePem, decodeUtf8, encodeBase64, encodeHex, encodePem, encodeUtf8, equalBytes, VerificationError, type HashAlgorithm,
} from '../core/index.ts';
import type { TransparencyLogEntry } from '../bundle/index.ts';

/** What the bundle says was signed, in the terms log bodies use. */
export interface SignedContent {
  /** the message signature, or the DSSE envelope's one signature */
  readonly signature: Uint8Array;
  /** DER certificate (keyless) or DER SPKI (managed key) */
  readonly verifier: { readonly kind: 'certificate' | 'public-key'; readonly der: Uint8Array };
  /** the digest a hashedrekord entry must record under `algorithm`: artifact digest, or digest of the DSSE PAE */
  digestFor(algorithm: HashAlgorithm): Uint8Array | undefined;
  /** for DSSE content: SHA-256 of the payload */
  readonly dssePayloadSha256?: Uint8Array;
}

type Json = Readonly<Record<string, unknown>>;

function mismatch(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_TLOG_ENTRY_MISMATCH', `log entry: ${message}`);
}

function text(bytes: Uint8Array, what: string): string {
  try { return decodeUtf8(bytes); } catch { throw mismatch(`${what} is not utf-8`); }
}

function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const key of path) cur = typeof cur === 'object' && cur !== null && !Array.isArray(cur) ? (cur as Json)[key] : undefined;
  return cur;
}

function b64(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string') throw mismatch(`${what} is missing`);
  return decodeBase64(v, () => mismatch(`${what} is not base64`));
}

/** The DER inside a base64 PEM (certificate or public key) as Rekor v1 bodies store it. */
function pemDer(v: unknown, what: string): Uint8Array {
  let blocks: ReturnType<typeof decodePem>;
  try { blocks = decodePem(text(b64(v, what), what)); } catch { throw mismatch(`${what} is not pem`); }
  if (blocks.length === 0 || !blocks[0]) throw mismatch(`${what} holds no pem block`);
  return blocks[0].der;
}

function checkVerifier(der: Uint8Array, content: SignedContent, what: string): void {
  if (!equalBytes(der, content.verifier.der)) throw mismatch(`${what} is not the bundle's ${content.verifier.kind === 'certificate' ? 'certificate' : 'public key'}`);
}

/**
 * Checks a base64 PEM verifier field. Rekor writes the PEM as Go's pem.Encode does, so the field
 * is first compared with that encoding of the bundle's own certificate or key: equal text decodes
 * to equal DER. Any other text is decoded and its DER compared, as before.
 */
function checkPemVerifier(v: unknown, content: SignedContent, what: string): void {
  const label = content.verifier.kind === 'certificate' ? 'CERTIFICATE' : 'PUBLIC KEY';
  if (typeof v === 'string' && v === encodeBase64(encodeUtf8(encodePem(label, content.verifier.der)))) return;
  checkVerifier(pemDer(v, what), content, what);
}

function checkSignature(sig: Uint8Array, content: SignedContent): void {
  if (!equalBytes(sig, content.signature)) throw mismatch('signature is not the bundle signature');
}

/** Checks a base64 signature field: the canonical encoding of the bundle signature, or bytes equal to it. */
function checkSignatureBase64(v: unknown, content: SignedContent, what: string): void {
  if (typeof v === 'string' && v === encodeBase64(content.signature)) return;
  checkSignature(b64(v, what), content);
}

const V1_HASHES: Readonly<Record<string, HashAlgorithm>> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };
const V2_HASHES: Readonly<Record<string, HashAlgorithm>> = { SHA2_256: 'sha256', SHA2_384: 'sha384', SHA2_512: 'sha512' };

function checkDigest(algorithm: HashAlgorithm | undefined, recorded: Uint8Array, content: SignedContent): void {
  const expected = algorithm ? content.digestFor(algorithm) : undefined;
  if (!expected) throw mismatch(`records a ${algorithm ?? 'unknown'} digest the verifier cannot compare`);
  if (!equalBytes(expected, recorded)) throw mismatch(`records digest ${encodeHex(recorded)}, not the artifact's ${encodeHex(expected)}`);
}

function checkHashedRekordV1(spec: unknown, content: SignedContent): void {
  const alg = at(spec, 'data', 'hash', 'algorithm');
  const value = at(spec, 'data', 'hash', 'value');
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value) || value.length % 2 !== 0) throw mismatch('data.hash.value is not hex');
  checkDigest(V1_HASHES[typeof alg === 'string' ? alg : 'sha256'], new Uint8Array(Buffer.from(value, 'hex')), content);
  checkSignatureBase64(at(spec, 'signature', 'content'), content, 'signature.content');
  checkPemVerifier(at(spec, 'signature', 'publicKey', 'content'), content, 'signature.publicKey');
}

function checkHashedRekordV2(spec: unknown, content: SignedContent): void {
  const inner = at(spec, 'hashedRekordV002') ?? at(spec, 'hashedRekordV0_0_2');
  const alg = at(inner, 'data', 'algorithm');
  checkDigest(typeof alg === 'string' ? V2_HASHES[alg] : undefined, b64(at(inner, 'data', 'digest'), 'data.digest'), content);
  checkSignatureBase64(at(inner, 'signature', 'content'), content, 'signature.content');
  const cert = at(inner, 'signature', 'verifier', 'x509Certificate', 'rawBytes');
  const key = at(inner, 'signature', 'verifier', 'publicKey', 'rawBytes');
  checkVerifier(b64(cert ?? key, 'signature.verifier'), content, 'signature.verifier');
}

function checkPayloadHash(v: unknown, content: SignedContent): void {
  if (!content.dssePayloadSha256) throw mismatch('records a dsse envelope but the bundle has a message signature');
  if (at(v, 'algorithm') !== 'sha256' || at(v, 'value') !== encodeHex(content.dssePayloadSha256)) throw mismatch('payloadHash is not the hash of the envelope payload');
}

function checkDsseV1(spec: unknown, content: SignedContent): void {
  checkPayloadHash(at(spec, 'payloadHash'), content);
  const sigs = at(spec, 'signatures');
  if (!Array.isArray(sigs) || sigs.length !== 1) throw mismatch('dsse entry must record exactly the one envelope signature');
  checkSignatureBase64(at(sigs[0], 'signature'), content, 'signatures[0].signature');
  checkPemVerifier(at(sigs[0], 'verifier'), content, 'signatures[0].verifier');
}

function checkIntotoV2(spec: unknown, content: SignedContent): void {
  checkPayloadHash(at(spec, 'content', 'payloadHash'), content);
  const sigs = at(spec, 'content', 'envelope', 'signatures');
  if (!Array.isArray(sigs) || sigs.length !== 1) throw mismatch('intoto entry must record exactly the one envelope signature');
  // intoto 0.0.2 stores the signature base64 twice over (research §2.4)
  checkSignature(decodeBase64(text(b64(at(sigs[0], 'sig'), 'sig'), 'sig'), () => mismatch('sig is not double base64')), content);
  checkPemVerifier(at(sigs[0], 'publicKey'), content, 'publicKey');
}

const CHECKS: Readonly<Record<string, (spec: unknown, content: SignedContent) => void>> = {
  'hashedrekord/0.0.1': checkHashedRekordV1,
  'hashedrekord/0.0.2': checkHashedRekordV2,
  'dsse/0.0.1': checkDsseV1,
  'intoto/0.0.2': checkIntotoV2,
};

/**
 * Checks that the entry body records what the bundle carries.
 * @throws ERR_VERIFY_TLOG_KIND_UNSUPPORTED for another kind/version, ERR_VERIFY_TLOG_ENTRY_MISMATCH otherwise
 */
export function verifyEntryBody(entry: TransparencyLogEntry, content: SignedContent): void {
  let body: unknown;
  try { body = JSON.parse(text(entry.canonicalizedBody, 'canonicalizedBody')); } catch { throw mismatch('canonicalizedBody is not json'); }
  const kind = at(body, 'kind');
  const version = at(body, 'apiVersion');
  if (kind !== entry.kindVersion.kind || version !== entry.kindVersion.version) {
    throw mismatch(`body is ${String(kind)}/${String(version)} but the entry says ${entry.kindVersion.kind}/${entry.kindVersion.version}`);
  }
  const check = CHECKS[`${kind}/${version}`];
  if (!check) throw new VerificationError('ERR_VERIFY_TLOG_KIND_UNSUPPORTED', `log entry kind ${entry.kindVersion.kind}/${entry.kindVersion.version} is not supported`);
  check(at(body, 'spec'), content);
}
