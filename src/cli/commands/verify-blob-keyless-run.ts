/**
 * `sigil verify-blob --bundle` for Sigstore bundles (v0.1–v0.3, by key or by identity) and for
 * cosign 2's legacy bundle JSON signed with a certificate (base64Signature, cert, rekorBundle):
 * the signature by the certificate key, the Rekor SET logging this file, signature and
 * certificate, the certificate chain to a trusted CA valid at the integrated time with an SCT,
 * and the identity policy.
 */
import {
  VerificationError, decodeBase64, decodeUtf8, encodeBase64, hashHex, type AppError,
} from '../../core/index.ts';
import { parseBundle, parseCosignBlobBundle, type RekorLogEntry } from '../../bundle/index.ts';
import type { LayerFacts } from '../../verify/cosign-bundle.ts';
import {
  leafOfAnnotation, logKeysOf, parseCertificate, readFulcioIdentity, verifyBundle, verifyCosignBundleAnnotation,
  verifyGithubWorkflow, verifyIdentity, type TrustedRoot, type VerificationPolicy,
} from '../../verify/index.ts';
import { verifyKeylessCertificate } from '../../verify/keyless.ts';
import { defaultHashOf, isMessageSignatureValid } from '../../verify/signature.ts';
import type { CliIo } from '../io.ts';
import { resolveTrustedRoot } from '../trust-root.ts';
import { identityPolicyOf } from './identity-flags.ts';
import type { VerifyBlobResult } from './verify-blob-run.ts';
import type { VerifyBlobOptions } from './verify-blob.ts';

function signerOf(o: { readonly certificateDer: Uint8Array; readonly identity: { readonly subjects: readonly string[]; readonly issuer: string } }): NonNullable<VerifyBlobResult['signer']> {
  return { subjects: o.identity.subjects, issuer: o.identity.issuer };
}

/**
 * Verifies a Sigstore bundle for the file, by --key (a PEM public key already read) or by identity.
 * @throws bundle verification codes (12), ERR_BUNDLE_INVALID (2), ERR_USAGE
 */
export async function verifySigstoreBlobBundle(io: CliIo, blob: Uint8Array, bundleBytes: Uint8Array, opts: VerifyBlobOptions, keySpki: Uint8Array | undefined): Promise<VerifyBlobResult> {
  const bundle = parseBundle(bundleBytes);
  const id = keySpki === undefined ? identityPolicyOf(opts) : undefined;
  const policy: VerificationPolicy = keySpki !== undefined ? { kind: 'public-key', spkiDer: keySpki } : { kind: 'identity', identities: id?.identities ?? [] };
  const trustedRoot = await resolveTrustedRoot(io, opts.trustedRoot);
  const result = verifyBundle(bundle, { kind: 'bytes', data: blob }, {
    trustedRoot, policy, clock: () => new Date(), ...(opts.insecureIgnoreSct ? { ignoreSct: true } : {}),
  });
  if (result.signer.kind === 'certificate' && id?.github) verifyGithubWorkflow(parseCertificate(result.signer.certificateDer), id.github);
  const c = bundle.content;
  const signature = c.kind === 'message' ? c.signature : (c.signatures[0]?.sig ?? new Uint8Array(0));
  const entry = result.tlogEntries[0];
  const tlogTime = result.verifiedTimes.find((t) => t.source === 'tlog');
  return {
    digest: `sha256:${hashHex('sha256', blob)}`, signature: encodeBase64(signature),
    ...(result.signer.kind === 'certificate' ? { signer: signerOf(result.signer) } : {}),
    ...(entry && tlogTime ? { tlogEntry: { logIndex: Number(entry.logIndex), uuid: '', integratedTime: Math.floor(tlogTime.time.getTime() / 1000), source: 'bundle' as const } } : {}),
  };
}

function invalidSignature(): AppError {
  return new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', 'the signature does not verify with the certificate key');
}

/** A certificate signature to verify: its certificate (PEM), the signature, and the Rekor bundle when one came with it. */
export interface CertificateSignature {
  readonly certPem: string;
  readonly signature: Uint8Array;
  readonly rekorBundle?: Uint8Array | undefined;
}

/** How the log entry is found when no Rekor bundle came with the signature (a search of the log). */
export type FindLoggedEntry = (digest: string, logKeys: ReturnType<typeof logKeysOf>, facts: LayerFacts) => Promise<RekorLogEntry>;

/**
 * Verifies cosign's legacy bundle keylessly (no --key): it must carry the certificate, unless --certificate gives one.
 * @throws ERR_VERIFY_CERTIFICATE_MISSING (13), ERR_VERIFY_TLOG_MISSING, ERR_CERT_*, ERR_SCT_*, ERR_VERIFY_IDENTITY_MISMATCH (12), ERR_USAGE
 */
export async function verifyLegacyBlobBundleKeyless(io: CliIo, blob: Uint8Array, bundleBytes: Uint8Array, opts: VerifyBlobOptions, certPem?: string): Promise<VerifyBlobResult> {
  const bundle = parseCosignBlobBundle(bundleBytes);
  if (certPem === undefined && bundle.certBase64 === undefined) throw new VerificationError('ERR_VERIFY_CERTIFICATE_MISSING', 'no certificate found on signature');
  const pem = certPem ?? decodeUtf8(decodeBase64(bundle.certBase64 ?? '', () => new VerificationError('ERR_CERT_INVALID', 'the bundle cert is not base64')));
  const signature = decodeBase64(bundle.signatureBase64, () => new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', 'the bundle\'s base64Signature is not base64'));
  return verifyCertificateBlob(io, blob, { certPem: pem, signature, rekorBundle: bundle.rekorBundle }, opts);
}

/**
 * Verifies a signature made with a Fulcio certificate (cosign verify-blob --certificate, or a
 * legacy bundle's cert): the signature by the certificate key, the log entry (the bundle's, else
 * one `find` finds), the chain to the trusted root at the logged time with an SCT, the identity.
 * @throws ERR_VERIFY_TLOG_MISSING, ERR_CRYPTO_SIGNATURE_INVALID, ERR_CERT_*, ERR_SCT_*, ERR_VERIFY_IDENTITY_MISMATCH (12), ERR_USAGE
 */
export async function verifyCertificateBlob(io: CliIo, blob: Uint8Array, signed: CertificateSignature, opts: VerifyBlobOptions, find?: FindLoggedEntry): Promise<VerifyBlobResult> {
  const { identities, github } = identityPolicyOf(opts);
  const leaf = leafOfAnnotation(signed.certPem);
  const { signature } = signed;
  const signatureBase64 = encodeBase64(signature);
  if (!isMessageSignatureValid(leaf.publicKey, { hash: defaultHashOf(leaf.publicKey.kind) }, blob, signature)) throw invalidSignature();
  const trustedRoot: TrustedRoot = await resolveTrustedRoot(io, opts.trustedRoot);
  let time = new Date();
  let tlogEntry: VerifyBlobResult['tlogEntry'];
  if (opts.insecureIgnoreTlog !== true) {
    const facts: LayerFacts = { payload: blob, signatureBase64, certificateDer: leaf.der };
    const digest = `sha256:${hashHex('sha256', blob)}`;
    let entry: RekorLogEntry;
    if (signed.rekorBundle) entry = verifyCosignBundleAnnotation(signed.rekorBundle, logKeysOf(trustedRoot), facts);
    else if (find) entry = await find(digest, logKeysOf(trustedRoot), facts);
    else throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'the bundle has no rekorBundle (use --insecure-ignore-tlog to accept it)');
    time = new Date(entry.integratedTime * 1000);
    tlogEntry = { logIndex: entry.logIndex, uuid: entry.uuid, integratedTime: entry.integratedTime, source: signed.rekorBundle ? 'bundle' : 'search' };
  }
  verifyKeylessCertificate(leaf, [time], trustedRoot, { ignoreSct: opts.insecureIgnoreSct === true });
  const identity = readFulcioIdentity(leaf);
  verifyIdentity(identity, identities);
  if (github) verifyGithubWorkflow(leaf, github);
  return {
    digest: `sha256:${hashHex('sha256', blob)}`, signature: signatureBase64,
    signer: { subjects: identity.subjects, issuer: identity.issuer },
    ...(tlogEntry ? { tlogEntry } : {}),
  };
}
