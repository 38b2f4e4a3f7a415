/**
 * The keyless half of `sigil verify`: finds the image's classic signature layers and its Sigstore
 * bundle referrers, verifies both kinds against the trust root and identity policy, and shows
 * each verified signature in cosign's simple-signing shape with cosign's `optional` additions
 * (Subject, Issuer, the GitHub workflow values, the Rekor Bundle).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InternalError, NotFoundError, VerificationError, decodeUtf8, encodePem, isAppError } from '../../core/index.ts';
import { ANNOTATION_CERTIFICATE, formatReference, type Reference } from '../../oci/index.ts';
import { readCertificateFile } from '../certificate-file.ts';
import { findBundleReferrers, findSignatures } from '../../adapters/signature-store/index.ts';
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import {
  GITHUB_WORKFLOW_EXTENSIONS, verifyImageBundle, verifyKeylessCandidate, type KeylessVerifiedSignature, type RejectedSignature,
  type SignerCertificate, type VerifiedImageBundle,
} from '../../verify/index.ts';
import type { CliIo } from '../io.ts';
import { resolveTrustedRoot, withPrivateCa } from '../trust-root.ts';
import { identityPolicyOf } from './identity-flags.ts';
import type { VerifyResult } from './verify-run.ts';
import type { VerifyOptions } from './verify.ts';

const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

/** cosign's `optional` additions for a certificate-signed payload. */
function certificateClaims(cert: SignerCertificate): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Subject: cert.identity.subjects[0] ?? '', Issuer: cert.identity.issuer, [OID_ISSUER_V1]: cert.identity.issuer,
  };
  for (const ext of GITHUB_WORKFLOW_EXTENSIONS) {
    const value = cert.githubWorkflow[ext.oid];
    if (value !== undefined) { out[ext.oid] = value; out[ext.field] = value; }
  }
  return out;
}

/** Key order as Go's encoding/json writes a map: byte order of the keys. */
function sortedObject(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseJsonOr(text: string): unknown {
  try { return JSON.parse(text) as unknown; } catch { return text; }
}

type Shown = { source: string; payload: unknown; signature: string; integratedTime?: number; cert: SignerCertificate };
type Outcome = { verified: Shown[]; rejected: RejectedSignature[] };

/** Runs `verifyOne` on each candidate, keeping what passed and each reason for what did not. */
function verifyAll<T extends { source: string }>(candidates: readonly T[], verifyOne: (c: T) => Shown, into: Outcome): void {
  for (const candidate of candidates) {
    try {
      into.verified.push(verifyOne(candidate));
    } catch (error) {
      if (!isAppError(error)) throw error;
      into.rejected.push({ source: candidate.source, reason: error });
    }
  }
}

/** A classic layer, shown as cosign shows it: its payload with the certificate claims and Rekor bundle added. */
function showClassic(v: KeylessVerifiedSignature): Shown {
  const payload = JSON.parse(decodeUtf8(v.payloadBytes)) as Record<string, unknown>;
  const optional = {
    ...(payload['optional'] as Record<string, unknown> | null ?? {}), ...certificateClaims(v.certificate),
    ...(v.bundleAnnotation ? { Bundle: parseJsonOr(v.bundleAnnotation) } : {}),
  };
  return { source: v.source, payload: { ...payload, optional: sortedObject(optional) }, signature: v.signatureBase64, cert: v.certificate, ...(v.integratedTime === undefined ? {} : { integratedTime: v.integratedTime }) };
}

/** A bundle's statement in cosign's simple-signing shape, the predicate type as `type`. */
function showBundle(v: VerifiedImageBundle, ref: Reference, digest: string): Shown {
  const payload = {
    critical: { identity: { 'docker-reference': formatReference(ref) }, image: { 'docker-manifest-digest': digest }, type: v.predicateType },
    optional: sortedObject({ ...v.annotations, ...certificateClaims(v.certificate) }),
  };
  return { source: v.source, payload, signature: '', cert: v.certificate, ...(v.integratedTime === undefined ? {} : { integratedTime: v.integratedTime }) };
}

/** cosign's failure when nothing verified: exit 13 when no signature had a certificate, else 12 with every reason. */
function noneVerified(rejected: readonly RejectedSignature[]): VerificationError {
  if (rejected.every((r) => r.reason.code === 'ERR_VERIFY_CERTIFICATE_MISSING')) return new VerificationError('ERR_VERIFY_CERTIFICATE_MISSING', 'no certificate found on signature');
  const reasons = rejected.map((r) => `${r.reason.message} (${r.reason.code}, ${r.source})`);
  return new VerificationError('ERR_VERIFY_NO_MATCHING_SIGNATURE', `no matching signatures: ${reasons.join('\n ')}`, {
    details: { rejected: rejected.map((r) => ({ source: r.source, code: r.reason.code, message: r.reason.message })) },
  });
}

async function writeCertificate(io: CliIo, path: string, der: Uint8Array): Promise<void> {
  try {
    await writeFile(resolve(io.cwd, path), encodePem('CERTIFICATE', der));
  } catch (cause) {
    throw new InternalError('ERR_FILE_IO', `cannot write the certificate to ${path}`, { cause });
  }
}

function checksOf(opts: VerifyOptions): string[] {
  return [
    ...(opts.verifyClaims !== false && opts.annotations && Object.keys(opts.annotations).length > 0 ? ['The specified annotations were verified.'] : []),
    ...(opts.verifyClaims === false ? [] : ['The cosign claims were validated']),
    ...(opts.insecureIgnoreTlog === true ? [] : ['Existence of the claims in the transparency log was verified offline']),
    opts.caRoots !== undefined || opts.certificateChain !== undefined
      ? 'The code-signing certificate was verified using the given certificate authority certificates'
      : 'The code-signing certificate was verified using trusted certificate authority certificates',
  ];
}

/**
 * Verifies the image keylessly; needs the identity and issuer flags.
 * @throws ERR_USAGE, ERR_VERIFY_NO_SIGNATURES (10), ERR_VERIFY_NO_MATCHING_SIGNATURE (12), ERR_VERIFY_CERTIFICATE_MISSING (13), trust-root and registry errors
 */
export async function runVerifyKeyless(io: CliIo, client: RegistryClient, ref: Reference, digest: string, opts: VerifyOptions): Promise<VerifyResult> {
  const { identities, github } = identityPolicyOf(opts);
  // cosign's --ca-roots/--ca-intermediates (or --certificate-chain): a private CA instead of the root's
  const trustedRoot = await withPrivateCa(io, await resolveTrustedRoot(io, opts.trustedRoot), opts);
  const common = {
    imageDigest: digest, identities, annotations: opts.annotations, trustedRoot,
    ignoreSct: opts.insecureIgnoreSct === true, clock: () => new Date(), ...(github ? { github } : {}),
  };
  // cosign's --certificate: every classic signature is checked with that certificate instead of
  // its own; bundle referrers (which cosign 2.5 reads only with --new-bundle-format) are not read
  const given = opts.certificate === undefined ? undefined : await readCertificateFile(io, opts.certificate);
  const found = await findSignatures(client, ref, digest);
  const classic = given === undefined ? found : found.map((c) => ({ ...c, layer: { ...c.layer, annotations: { ...c.layer.annotations, [ANNOTATION_CERTIFICATE]: given } } }));
  const bundles = given === undefined ? await findBundleReferrers(client, ref, digest) : [];
  if (classic.length === 0 && bundles.length === 0) throw new NotFoundError('ERR_VERIFY_NO_SIGNATURES', 'no signatures found');
  const outcome: Outcome = { verified: [], rejected: [] };
  const classicPolicy = { ...common, requireTlog: opts.insecureIgnoreTlog !== true, checkClaims: opts.verifyClaims !== false };
  verifyAll(classic, (c) => showClassic(verifyKeylessCandidate(c, classicPolicy)), outcome);
  verifyAll(bundles, (c) => showBundle(verifyImageBundle(c, common), ref, digest), outcome);
  const first = outcome.verified[0];
  if (!first) throw noneVerified(outcome.rejected);
  if (opts.outputCertificate !== undefined) await writeCertificate(io, opts.outputCertificate, first.cert.der);
  return {
    reference: formatReference(ref), digest, checks: checksOf(opts),
    verified: outcome.verified.map(({ cert: _cert, ...v }) => v),
    rejected: outcome.rejected.map((r) => ({ source: r.source, code: r.reason.code, message: r.reason.message })),
  };
}
