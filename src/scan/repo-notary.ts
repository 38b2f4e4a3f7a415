/**
 * Notary Project signatures in a registry (notaryproject/specifications signature-specification.md):
 * a manifest with artifactType `application/vnd.cncf.notary.signature` and the empty config, or
 * the older form with that type as config.mediaType; one layer holding a JWS or COSE envelope.
 * Describes the signer (subject DN, chain thumbprints, signing time) and, with trust anchors,
 * verifies integrity, the target, expiry and the chain (notation's strict level minus revocation
 * and timestamps); with a trust policy, notary-policy-verify.ts judges it instead.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { VerificationError, InputError, digestBytes, encodeHex, isLegacySignatureValid, type LegacyDigestAlgorithm } from '../core/index.ts';
import { OCI_EMPTY, type ImageManifest } from '../oci/index.ts';
import { parseDer } from './cms.ts';
import { parseNotaryEnvelope, type NotaryEnvelope } from './notary-envelope.ts';
import { toProblem, type Problem } from './report.ts';
import { createSigner, type RepoSignature, type RepoSignatureSource } from './repo-report.ts';
import type { RepoTrust } from './repo-trust.ts';
import { verifyCertificateChain } from './trust.ts';
import { formatName } from './x509-name.ts';

/** artifactType (or legacy config.mediaType) of Notary signatures. */
export const NOTARY_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
/** The manifest annotation listing the chain's SHA-256 thumbprints. */
export const NOTARY_THUMBPRINTS = 'io.cncf.notary.x509chain.thumbprint#S256';

const ALGORITHMS: Readonly<Record<string, { keyType: 'rsa' | 'ec'; digest: LegacyDigestAlgorithm; pss: boolean }>> = {
  PS256: { keyType: 'rsa', digest: 'sha256', pss: true }, PS384: { keyType: 'rsa', digest: 'sha384', pss: true }, PS512: { keyType: 'rsa', digest: 'sha512', pss: true },
  ES256: { keyType: 'ec', digest: 'sha256', pss: false }, ES384: { keyType: 'ec', digest: 'sha384', pss: false }, ES512: { keyType: 'ec', digest: 'sha512', pss: false },
};

/**
 * True when a manifest is a Notary signature in either accepted form (notation-go's filter:
 * artifactType notary with the empty config, or no artifactType with config type notary).
 */
export function isNotarySignatureManifest(manifest: ImageManifest): boolean {
  if (manifest.artifactType === NOTARY_ARTIFACT_TYPE) return manifest.config.mediaType === OCI_EMPTY;
  return manifest.artifactType === undefined && manifest.config.mediaType === NOTARY_ARTIFACT_TYPE;
}

/**
 * Reads the thumbprint annotation: a JSON array of hex strings, returned lowercase.
 * @throws ERR_SCAN_ENVELOPE_MALFORMED when present but not such an array
 */
export function parseThumbprints(value: string | undefined): readonly string[] {
  if (value === undefined) return [];
  let list: unknown;
  try { list = JSON.parse(value); } catch { list = undefined; }
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || !/^[0-9a-fA-F]{64}$/.test(t))) {
    throw new InputError('ERR_SCAN_ENVELOPE_MALFORMED', `${NOTARY_THUMBPRINTS} is not a json array of sha-256 hex thumbprints`);
  }
  return (list as string[]).map((t) => t.toLowerCase());
}

/** The Notary signature row for a manifest whose envelope could not be read. */
export function describeNotaryFailure(manifest: ImageManifest, source: RepoSignatureSource, manifestDigest: string, error: unknown): RepoSignature {
  let thumbprints: readonly string[] = [];
  try { thumbprints = parseThumbprints(manifest.annotations?.[NOTARY_THUMBPRINTS]); } catch { /* the envelope error is the one reported */ }
  return {
    kind: 'notary', envelope: 'unknown', source, manifestDigest, signer: createSigner('x509', { thumbprints }),
    signingTime: null, signingTimeSource: null, certificate: null, status: 'failed', problems: [toProblem(error)],
  };
}

/** Describes a parsed envelope: leaf subject, thumbprints (annotation, else computed), times, validity. */
export function describeNotary(manifest: ImageManifest, envelope: NotaryEnvelope, source: RepoSignatureSource, manifestDigest: string): RepoSignature {
  const problems: Problem[] = [];
  const computed = envelope.certificatesDer.map((der) => encodeHex(digestBytes('sha256', der)));
  let thumbprints: readonly string[] = computed;
  try {
    const listed = parseThumbprints(manifest.annotations?.[NOTARY_THUMBPRINTS]);
    if (listed.length > 0 && listed.join() !== computed.join()) {
      problems.push({ code: 'ERR_SCAN_ENVELOPE_MALFORMED', message: 'the manifest thumbprint annotation does not match the envelope certificate chain' });
    }
  } catch (error) { problems.push(toProblem(error)); }
  let subject = '';
  let certificate: RepoSignature['certificate'] = null;
  try {
    const leaf = parseDer(envelope.certificatesDer[0] ?? new Uint8Array(0), Certificate, 'notary leaf certificate');
    subject = formatName(leaf.tbsCertificate.subject);
    const v = leaf.tbsCertificate.validity;
    certificate = { notBefore: v.notBefore.getTime().toISOString(), notAfter: v.notAfter.getTime().toISOString() };
  } catch (error) { problems.push(toProblem(error)); }
  return {
    kind: 'notary', envelope: envelope.format, source, manifestDigest, signer: createSigner('x509', { subject, thumbprints }),
    signingTime: envelope.signingTime?.toISOString() ?? null, signingTimeSource: envelope.signingTime ? 'signer' : null, certificate,
    status: problems.length > 0 ? 'failed' : 'not-checked', problems,
  };
}

function verifyIntegrity(envelope: NotaryEnvelope, leaf: Certificate): void {
  const alg = ALGORITHMS[envelope.alg];
  if (!alg) throw new VerificationError('ERR_SCAN_ALGORITHM_UNSUPPORTED', `notary algorithm ${envelope.alg} is not allowed`);
  const ok = isLegacySignatureValid({
    keyType: alg.keyType, digest: alg.digest, pss: alg.pss, ieeeP1363: alg.keyType === 'ec',
    spkiDer: new Uint8Array(AsnConvert.serialize(leaf.tbsCertificate.subjectPublicKeyInfo)), data: envelope.signingInput, signature: envelope.signature,
  });
  if (!ok) throw new VerificationError('ERR_SCAN_SIGNATURE_INVALID', `the ${envelope.format} ${envelope.alg} signature does not verify with the leaf certificate key`);
}

function verifyTarget(envelope: NotaryEnvelope, subject: NotarySubject): void {
  const t = envelope.target;
  if (t.digest !== subject.digest || t.mediaType !== subject.mediaType || t.size !== subject.sizeBytes) {
    throw new VerificationError('ERR_VERIFY_CLAIM_DIGEST', `the signature covers ${t.digest} (${t.mediaType}, ${t.size} bytes), not ${subject.digest}`);
  }
}

/** The subject manifest a Notary signature must name. */
export interface NotarySubject { readonly digest: string; readonly mediaType: string; readonly sizeBytes: number }

/**
 * The integrity checks every verification level enforces: no critical header sigil cannot honour,
 * the signature with the leaf key under an allowed algorithm, and the signed target is `subject`.
 * Returns the parsed chain, leaf first.
 * @throws ERR_SCAN_UNVERIFIABLE, ERR_SCAN_ENVELOPE_MALFORMED, ERR_SCAN_ALGORITHM_UNSUPPORTED, ERR_SCAN_SIGNATURE_INVALID, ERR_VERIFY_CLAIM_DIGEST
 */
export function checkNotaryIntegrity(envelope: NotaryEnvelope, subject: NotarySubject): readonly [Certificate, ...Certificate[]] {
  if (envelope.unsupportedCritical.length > 0) {
    throw new VerificationError('ERR_SCAN_UNVERIFIABLE', `the envelope requires critical headers sigil does not implement: ${envelope.unsupportedCritical.join(', ')}`);
  }
  const certs = envelope.certificatesDer.map((der, i) => parseDer(der, Certificate, `notary certificate ${i}`));
  const leaf = certs[0];
  if (!leaf) throw new InputError('ERR_SCAN_ENVELOPE_MALFORMED', 'the envelope carries no certificate');
  verifyIntegrity(envelope, leaf);
  verifyTarget(envelope, subject);
  return [leaf, ...certs.slice(1)];
}

/**
 * Verifies a Notary signature against `subject` (the manifest it is attached to) and the trust
 * anchors; never throws: failures land in the returned signature's problems.
 */
export function verifyNotary(sig: RepoSignature, envelope: NotaryEnvelope, subject: NotarySubject, trust: RepoTrust): RepoSignature {
  if (sig.status === 'failed') return sig;
  try {
    const [leaf, ...rest] = checkNotaryIntegrity(envelope, subject);
    if (envelope.expiry && envelope.expiry.getTime() <= trust.now.getTime()) {
      throw new VerificationError('ERR_SCAN_CHAIN_UNTRUSTED', `the signature expired at ${envelope.expiry.toISOString()}`);
    }
    if (trust.notaryAnchors.length === 0) throw new VerificationError('ERR_SCAN_UNVERIFIABLE', 'a notary signature needs --trust-store');
    verifyCertificateChain(leaf, rest, trust.notaryAnchors, trust.now);
    return { ...sig, status: 'verified' };
  } catch (error) {
    return { ...sig, status: 'failed', problems: [...sig.problems, toProblem(error)] };
  }
}

/** Parses the envelope bytes of a Notary layer. @throws ERR_SCAN_ENVELOPE_MALFORMED */
export function readNotaryEnvelope(manifest: ImageManifest, bytes: Uint8Array): NotaryEnvelope {
  const layer = manifest.layers[0];
  if (manifest.layers.length !== 1 || !layer) throw new InputError('ERR_SCAN_ENVELOPE_MALFORMED', `a notary signature manifest needs exactly one layer, it has ${manifest.layers.length}`);
  return parseNotaryEnvelope(layer.mediaType, bytes);
}
