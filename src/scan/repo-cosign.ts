/**
 * cosign signatures and attestations in a registry: one per layer of a signature manifest (the
 * `sha256-<hex>.sig`/`.att` tag, or a referrer). Describes the signer from the layer annotations
 * (certificate SAN and issuer, or a bare key) and, with a trust policy, verifies the layer.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import {
  InputError, VerificationError, decodeBase64, decodePem, decodeUtf8, defaultSignatureAlgorithm, encodeUtf8, importSpkiPublicKey, parseDigest, decodeHex,
  verifySignature, type SignatureAlgorithm,
} from '../core/index.ts';
import { ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, type SignatureLayerRef } from '../oci/index.ts';
import {
  parseCertificate, parseCosignBundleAnnotation, readFulcioIdentity, verifyCandidate, type X509Certificate,
} from '../verify/index.ts';
import { encodePae, verifyStatementSubject } from '../verify/dsse.ts';
import { verifyKeylessCertificate } from '../verify/keyless.ts';
import { toProblem, type Problem } from './report.ts';
import { createSigner, type RepoSignature, type RepoSignatureSource, type RepoSigner } from './repo-report.ts';
import { listLogKeys, type RepoTrust } from './repo-trust.ts';
import { formatName } from './x509-name.ts';

/** The layer media type of cosign attestations (a DSSE envelope). */
export const DSSE_LAYER_TYPE = 'application/vnd.dsse.envelope.v1+json';

function unverifiable(message: string): Problem {
  return { code: 'ERR_SCAN_UNVERIFIABLE', message };
}

/** The leaf certificate of a layer, or undefined when it carries none. @throws ERR_CERT_INVALID and pem errors */
function layerCertificate(layer: SignatureLayerRef): X509Certificate | undefined {
  const pem = layer.annotations[ANNOTATION_CERTIFICATE];
  if (pem === undefined || pem.trim() === '') return undefined;
  const block = decodePem(pem)[0];
  if (!block) throw new InputError('ERR_SCAN_ENVELOPE_MALFORMED', 'the certificate annotation holds no pem block');
  return parseCertificate(block.der);
}

/** The signer fields of a certificate: SAN and issuer (Fulcio), subject DN, validity. */
export function describeCertificate(cert: X509Certificate): { signer: RepoSigner; validity: { notBefore: string; notAfter: string } } {
  const identity = readFulcioIdentity(cert);
  const subject = formatName(AsnConvert.parse(cert.subjectDer, Name));
  return {
    signer: createSigner('certificate', { san: identity.subjects, issuer: identity.issuer, subject }),
    validity: { notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString() },
  };
}

/** Describes one cosign layer (no network, no verification). Malformed annotations become problems. */
export function describeCosignLayer(layer: SignatureLayerRef, source: RepoSignatureSource, manifestDigest: string): RepoSignature {
  const attestation = layer.descriptor.mediaType === DSSE_LAYER_TYPE;
  const problems: Problem[] = [];
  let signer = createSigner('key');
  let certificate: RepoSignature['certificate'] = null;
  let signingTime: string | null = null;
  try {
    const cert = layerCertificate(layer);
    if (cert) ({ signer, validity: certificate } = describeCertificate(cert));
  } catch (error) { problems.push(toProblem(error)); }
  const bundle = layer.annotations[ANNOTATION_BUNDLE];
  if (bundle !== undefined) {
    try { signingTime = new Date(parseCosignBundleAnnotation(encodeUtf8(bundle)).integratedTime * 1000).toISOString(); } catch (error) { problems.push(toProblem(error)); }
  }
  return {
    kind: attestation ? 'cosign-attestation' : 'cosign', envelope: attestation ? 'dsse' : 'simplesigning', source, manifestDigest,
    signer, signingTime, signingTimeSource: signingTime === null ? null : 'tlog', certificate,
    status: problems.length > 0 ? 'failed' : 'not-checked', problems,
  };
}

interface DsseParts { readonly pae: Uint8Array; readonly signature: Uint8Array; readonly payloadType: string; readonly payload: Uint8Array }

function parseDsse(bytes: Uint8Array): DsseParts {
  const bad = (): VerificationError => new InputError('ERR_SCAN_ENVELOPE_MALFORMED', 'the attestation layer is not a dsse envelope with one signature');
  let env: unknown;
  try { env = JSON.parse(decodeUtf8(bytes)); } catch { throw bad(); }
  const e = env as { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  if (typeof e.payloadType !== 'string' || typeof e.payload !== 'string' || !Array.isArray(e.signatures)) throw bad();
  const sig = (e.signatures[0] as { sig?: unknown } | undefined)?.sig;
  if (typeof sig !== 'string') throw bad();
  const payload = decodeBase64(e.payload, bad);
  return { pae: encodePae(e.payloadType, payload), signature: decodeBase64(sig, bad), payloadType: e.payloadType, payload };
}

function algorithmOf(spkiDer: Uint8Array): SignatureAlgorithm {
  return defaultSignatureAlgorithm(importSpkiPublicKey(spkiDer).type);
}

/** Verifies a simplesigning layer with one key; returns the Rekor integrated time when a bundle was verified. */
function verifySimpleSigning(layer: SignatureLayerRef, payload: Uint8Array, imageDigest: string, spkiDer: Uint8Array, trust: RepoTrust, requireTlog: boolean): number | undefined {
  const verified = verifyCandidate({ source: 'scan', layer, payload }, {
    imageDigest, publicKey: { spkiDer, algorithm: algorithmOf(spkiDer) }, logKeys: listLogKeys(trust.trustedRoot), requireTlog,
  });
  return verified.integratedTime;
}

function verifyAttestation(payload: Uint8Array, imageDigest: string, spkiDer: Uint8Array): void {
  const dsse = parseDsse(payload);
  const algorithm = algorithmOf(spkiDer);
  verifySignature(algorithm, spkiDer, dsse.pae, dsse.signature, [algorithm]);
  verifyStatementSubject(dsse.payloadType, dsse.payload, decodeHex(parseDigest(imageDigest).hex));
}

function verifyKeyless(sig: RepoSignature, layer: SignatureLayerRef, payload: Uint8Array, imageDigest: string, trust: RepoTrust): RepoSignature {
  if (!trust.trustedRoot) return { ...sig, status: 'failed', problems: [unverifiable('a certificate signature needs --trusted-root')] };
  const cert = layerCertificate(layer);
  if (!cert) throw new InputError('ERR_SCAN_ENVELOPE_MALFORMED', 'certificate vanished');
  let time: Date;
  if (sig.kind === 'cosign-attestation') {
    verifyAttestation(payload, imageDigest, cert.publicKey.spkiDer);
    time = sig.signingTime === null ? trust.now : new Date(sig.signingTime);
  } else {
    const integrated = verifySimpleSigning(layer, payload, imageDigest, cert.publicKey.spkiDer, trust, true);
    time = integrated === undefined ? trust.now : new Date(integrated * 1000);
  }
  verifyKeylessCertificate(cert, [time], trust.trustedRoot);
  return { ...sig, status: 'verified', signingTime: time.toISOString(), signingTimeSource: 'tlog' };
}

function verifyWithKeys(sig: RepoSignature, layer: SignatureLayerRef, payload: Uint8Array, imageDigest: string, trust: RepoTrust): RepoSignature {
  if (trust.keys.length === 0) return { ...sig, status: 'failed', problems: [unverifiable('a key signature needs --key')] };
  let last: unknown;
  for (const key of trust.keys) {
    try {
      if (sig.kind === 'cosign-attestation') verifyAttestation(payload, imageDigest, key.spkiDer);
      else verifySimpleSigning(layer, payload, imageDigest, key.spkiDer, trust, false);
      return { ...sig, status: 'verified', signer: { ...sig.signer, keyFingerprint: key.fingerprint } };
    } catch (error) { last = error; }
  }
  return { ...sig, status: 'failed', problems: [toProblem(last)] };
}

/** Verifies a described cosign layer with its payload bytes against the trust policy; never throws. */
export function verifyCosignLayer(sig: RepoSignature, layer: SignatureLayerRef, payload: Uint8Array, imageDigest: string, trust: RepoTrust): RepoSignature {
  if (sig.status === 'failed') return sig;
  try {
    return sig.signer.type === 'certificate' ? verifyKeyless(sig, layer, payload, imageDigest, trust) : verifyWithKeys(sig, layer, payload, imageDigest, trust);
  } catch (error) {
    return { ...sig, status: 'failed', problems: [...sig.problems, toProblem(error)] };
  }
}


