/** The work of `sigil verify-blob`, loaded only when the command runs. */
import {
  ConfigError, InputError, UsageError, VerificationError, decodeBase64, decodeUtf8, defaultSignatureAlgorithm, encodeBase64, encodeUtf8, hashHex,
  isAppError, parsePublicKeyPem, verifySignature,
} from '../../core/index.ts';
import { encodeCosignBundleAnnotation, parseCosignBlobBundle, type CosignBlobBundle, type RekorLogEntry } from '../../bundle/index.ts';
import { verifyCosignBundleAnnotation, type LayerFacts } from '../../verify/cosign-bundle.ts';
import type { TrustedLogKey } from '../../verify/tlog.ts';
import { readKeyRef } from '../../adapters/key-ref.ts';
import type { CliIo } from '../io.ts';
import { readInputFile, readStandardInput } from '../input-file.ts';
import { readCertificateFile } from '../certificate-file.ts';
import { createCliRekorClient, resolveRekorUrl, resolveVerifierLogKeys } from '../rekor.ts';
import type { VerifyBlobOptions } from './verify-blob.ts';
import { hasIdentityFlags, identityPolicyOf } from './identity-flags.ts';

/** What `sigil verify-blob --output json` prints. */
export interface VerifyBlobResult {
  readonly digest: string;
  readonly signature: string;
  /** the certificate identity, for keyless signatures */
  readonly signer?: { readonly subjects: readonly string[]; readonly issuer: string };
  readonly tlogEntry?: { readonly logIndex: number; readonly uuid: string; readonly integratedTime: number; readonly source: 'bundle' | 'search' };
}

/** At most this many search hits are fetched and checked. */
const MAX_SEARCH_HITS = 10;

function tryBase64(text: string): Uint8Array | undefined {
  if (text === '') return undefined;
  try { return decodeBase64(text); } catch { return undefined; }
}

/**
 * The --signature as cosign reads it: a file holding the base64 signature or (cosign sign-blob
 * --b64=false) the raw bytes; or, when no such file exists, the base64 text itself.
 */
async function signatureArgument(io: CliIo, arg: string): Promise<Uint8Array> {
  try {
    const bytes = await readInputFile(io.cwd, arg, 'signature');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
    if (text === '') throw new InputError('ERR_INPUT_INVALID', `the signature file ${arg} is empty`);
    return tryBase64(text) ?? bytes;
  } catch (error) {
    // a literal base64 signature, as cosign takes one; anything else names a missing file
    const literal = isAppError(error) && error.code === 'ERR_FILE_NOT_FOUND' ? tryBase64(arg.trim()) : undefined;
    if (literal) return literal;
    throw error;
  }
}

/** The signature: --signature wins over the bundle's, as in cosign; surrounding whitespace is ignored. */
async function signatureBytes(io: CliIo, opts: VerifyBlobOptions, bundle: CosignBlobBundle | undefined): Promise<Uint8Array> {
  if (opts.signature) return signatureArgument(io, opts.signature);
  if (!bundle) throw new UsageError('ERR_USAGE', 'give --signature or --bundle');
  const text = bundle.signatureBase64;
  if (text === '') throw new InputError('ERR_INPUT_INVALID', 'the bundle\'s base64Signature is empty');
  return decodeBase64(text, () => new InputError('ERR_INPUT_INVALID', 'the bundle\'s base64Signature is not standard base64'));
}

/** True when the bundle file is a Sigstore bundle (it names its media type), not cosign's legacy JSON. */
export function isSigstoreBundle(bytes: Uint8Array): boolean {
  try {
    const json = JSON.parse(decodeUtf8(bytes)) as unknown;
    return typeof json === 'object' && json !== null && typeof (json as Record<string, unknown>)['mediaType'] === 'string';
  } catch {
    return false;
  }
}

/**
 * Verifies the signature over the file and, unless --insecure-ignore-tlog, its log entry.
 * @throws ERR_USAGE, ERR_FILE_NOT_FOUND, ERR_INPUT_INVALID (2); ERR_CONFIG_INVALID (3); ERR_CRYPTO_SIGNATURE_INVALID, ERR_VERIFY_TLOG_MISSING, log-entry, certificate and identity errors (12); ERR_VERIFY_CERTIFICATE_MISSING (13)
 */
export async function runVerifyBlob(io: CliIo, file: string, opts: VerifyBlobOptions): Promise<VerifyBlobResult> {
  if (opts.key !== undefined && hasIdentityFlags(opts)) throw new UsageError('ERR_USAGE', '--key cannot be combined with the --certificate-* identity flags');
  if (opts.key === undefined) identityPolicyOf(opts); // cosign's usage errors first
  // cosign's `-`: the blob on standard input
  const blob = file === '-' ? await readStandardInput(io, 'verify-blob -') : await readInputFile(io.cwd, file, 'file');
  const bundleBytes = opts.bundle ? await readInputFile(io.cwd, opts.bundle, 'bundle') : undefined;
  const publicKey = opts.key === undefined ? undefined : parsePublicKeyPem((await readKeyRef(opts.key, io)).text);
  // Sigstore bundles and certificates need the keyless verifier's code, loaded only then
  if (bundleBytes && isSigstoreBundle(bundleBytes)) {
    return (await import('./verify-blob-keyless-run.ts')).verifySigstoreBlobBundle(io, blob, bundleBytes, opts, publicKey?.toSpkiDer());
  }
  if (opts.certificate !== undefined) return verifyWithCertificate(io, blob, bundleBytes, opts, publicKey !== undefined);
  if (!publicKey) {
    if (!bundleBytes) throw new UsageError('ERR_USAGE', 'keyless verification needs --bundle (a Sigstore bundle, or cosign\'s legacy bundle with its certificate)');
    return (await import('./verify-blob-keyless-run.ts')).verifyLegacyBlobBundleKeyless(io, blob, bundleBytes, opts);
  }
  const bundle = bundleBytes ? parseCosignBlobBundle(bundleBytes) : undefined;
  const signature = await signatureBytes(io, opts, bundle);
  const algorithm = defaultSignatureAlgorithm(publicKey.type);
  const spki = publicKey.toSpkiDer();
  verifySignature(algorithm, spki, blob, signature, [algorithm]);
  const signatureBase64 = encodeBase64(signature);
  const digest = `sha256:${hashHex('sha256', blob)}`;
  if (opts.insecureIgnoreTlog === true) return { digest, signature: signatureBase64 };
  const logKeys = await resolveVerifierLogKeys(io, opts);
  if (logKeys.length === 0) {
    throw new ConfigError('ERR_CONFIG_INVALID', 'no trusted log key: set SIGSTORE_REKOR_PUBLIC_KEY, give --rekor-url, or pass --insecure-ignore-tlog');
  }
  const facts: LayerFacts = { payload: blob, signatureBase64, publicKeySpki: spki };
  const [entry, source] = bundle?.rekorBundle
    ? [verifyCosignBundleAnnotation(bundle.rekorBundle, logKeys, facts), 'bundle' as const]
    : [await findLoggedEntry(io, opts, digest, logKeys, facts), 'search' as const];
  return { digest, signature: signatureBase64, tlogEntry: { logIndex: entry.logIndex, uuid: entry.uuid, integratedTime: entry.integratedTime, source } };
}

/**
 * `--certificate`: keyless verification of a detached signature (or a legacy bundle's) made with
 * that Fulcio certificate; its log entry is the bundle's, else searched for, as cosign does.
 */
async function verifyWithCertificate(io: CliIo, blob: Uint8Array, bundleBytes: Uint8Array | undefined, opts: VerifyBlobOptions & { readonly certificate?: string }, withKey: boolean): Promise<VerifyBlobResult> {
  if (withKey) throw new UsageError('ERR_USAGE', 'give --key or --certificate, not both');
  if (bundleBytes && isSigstoreBundle(bundleBytes)) throw new UsageError('ERR_USAGE', 'a Sigstore bundle carries its own certificate: drop --certificate');
  identityPolicyOf(opts);
  const certPem = await readCertificateFile(io, opts.certificate ?? '');
  const bundle = bundleBytes ? parseCosignBlobBundle(bundleBytes) : undefined;
  const signature = await signatureBytes(io, opts, bundle);
  const { verifyCertificateBlob } = await import('./verify-blob-keyless-run.ts');
  return verifyCertificateBlob(io, blob, { certPem, signature, rekorBundle: bundle?.rekorBundle }, opts, (digest, logKeys, facts) => findLoggedEntry(io, opts, digest, logKeys, facts));
}

/** Searches the log for the file's hash and returns the first hit that verifies for this signature and key. */
async function findLoggedEntry(io: CliIo, opts: VerifyBlobOptions, digest: string, logKeys: readonly TrustedLogKey[], facts: LayerFacts): Promise<RekorLogEntry> {
  if (opts.offline === true) {
    throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'no log entry: the bundle has no rekorBundle, and --offline forbids searching the log (give a bundle, or --insecure-ignore-tlog)');
  }
  const url = resolveRekorUrl(io, opts.rekorUrl);
  if (url === undefined) {
    throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'no log entry: the bundle has no rekorBundle and no --rekor-url (or SIGIL_REKOR_URL) names a log to search');
  }
  const rekor = createCliRekorClient(io, url);
  const ids = (await rekor.searchIndex({ hash: digest })).slice(0, MAX_SEARCH_HITS);
  const reasons: string[] = [];
  for (const id of ids) {
    const entry = await rekor.getEntryByUuid(id);
    if (!entry.signedEntryTimestamp) { reasons.push(`${entry.uuid}: no signedEntryTimestamp`); continue; }
    try {
      const annotation = encodeUtf8(encodeCosignBundleAnnotation({ ...entry, signedEntryTimestamp: entry.signedEntryTimestamp }));
      return verifyCosignBundleAnnotation(annotation, logKeys, facts);
    } catch (e) {
      if (!isAppError(e)) throw e;
      reasons.push(`${entry.uuid}: ${e.code}`);
    }
  }
  const why = reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
  throw new VerificationError('ERR_VERIFY_TLOG_MISSING', `no entry in the log at ${rekor.baseUrl} records this signature over ${digest}${why}`);
}
