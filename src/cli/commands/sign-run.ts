/** The work of `sigil sign`, loaded only when the command runs. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, decodeBase64, encodeBase64, isSignatureValid } from '../../core/index.ts';
import { createHashedRekordProposal, encodeCosignBundleAnnotation } from '../../bundle/index.ts';
import type { RekorClient } from '../../adapters/http-clients/rekor-client.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, ANNOTATION_CHAIN, ANNOTATION_SIGNATURE, SIMPLE_SIGNING_MEDIA_TYPE, createSimpleSigningPayload, formatReference, hasSameClaims, parseManifest, parseReference,
  type Descriptor, type Reference, type SignatureLayerEquivalence,
} from '../../oci/index.ts';
import { appendTaggedSignature, startTaggedAppend, writeReferrerSignature, type WrittenSignature } from '../../adapters/signature-store/index.ts';
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import type { CliIo } from '../io.ts';
import type { KeySigner } from '../../sign/index.ts';
import { createCliRegistryClient } from '../registry.ts';
import { createAppendDeps } from '../signature-deps.ts';
import { readInputFile } from '../input-file.ts';
import { uploadToLog } from '../rekor.ts';
import { prepareSigner, refuseKeylessFlagsWithKey } from '../signer-setup.ts';
import type { SignOptions } from './sign.ts';

/** One signed manifest, as `--output json` reports it. */
export interface SignedManifest {
  readonly reference: string;
  readonly digest: string;
  readonly uploaded: boolean;
  readonly location?: string;
  readonly signatureManifestDigest?: string;
  readonly layers?: number;
  readonly alreadyPresent?: boolean;
  /** where the signature was logged, when it was */
  readonly tlogEntry?: { readonly logIndex: number; readonly uuid: string; readonly logId: string };
}

type RunOptions = Omit<SignOptions, 'upload' | 'tlogUpload'> & { readonly upload: boolean; readonly tlogUpload: boolean };

/** The repository name cosign writes as critical.identity.docker-reference. */
export function dockerReferenceOf(ref: Pick<Reference, 'registry' | 'repository'>): string {
  return `${ref.registry === 'docker.io' ? 'index.docker.io' : ref.registry}/${ref.repository}`;
}

async function targetsOf(client: RegistryClient, ref: Reference, top: Descriptor, recursive: boolean): Promise<Descriptor[]> {
  if (!recursive) return [top];
  const fetched = await client.getManifest(ref, top.digest);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  return manifest.kind === 'index' ? [top, ...manifest.manifests] : [top];
}

function checkFlags(opts: RunOptions): void {
  const mode = opts.registryReferrersMode;
  if (mode !== 'legacy' && mode !== 'oci-1-1') throw new UsageError('ERR_USAGE', `--registry-referrers-mode must be legacy or oci-1-1, got ${JSON.stringify(mode)}`);
  refuseKeylessFlagsWithKey(opts, ['newBundleFormat']);
  if (opts.newBundleFormat === true && (opts.payload !== undefined || opts.signContainerIdentity !== undefined)) {
    throw new UsageError('ERR_USAGE', '--payload and --sign-container-identity shape cosign\'s simple signing payload, which --new-bundle-format does not sign');
  }
  if (opts.payload !== undefined && opts.signContainerIdentity !== undefined) throw new UsageError('ERR_USAGE', 'give --payload or --sign-container-identity, not both: a --payload is signed as is');
}


/**
 * Signs the image (and with --recursive every platform manifest) and stores each signature.
 * @throws ERR_OCI_*, key errors, ERR_KEYLESS_*, ERR_FULCIO_*, registry and log errors
 */
export async function runSign(io: CliIo, image: string, opts: RunOptions): Promise<{ signatures: SignedManifest[] }> {
  checkFlags(opts);
  const ref = parseReference(image);
  const client = createCliRegistryClient(io, opts);
  // the image is looked up while the key and certificate are settled (a read, one round trip
  // less); a bad key, token or CA is still the error reported, and nothing is written before
  const looked = client.headManifest(ref, ref.identifier);
  looked.catch(() => undefined);
  const given = opts.payload === undefined ? undefined : await readInputFile(io.cwd, opts.payload, 'payload');
  const { signer, keyless, rekor, keyCertificate } = await prepareSigner(io, opts, { checkCertificate: opts.newBundleFormat !== true, bundleNeedsLog: opts.newBundleFormat === true });
  // cosign's --record-creation-timestamp: the signature image's config records when it was made
  const createdAt = opts.recordCreationTimestamp === true ? new Date() : undefined;
  const head = await looked;
  if (ref.digest === undefined) io.stderr.write(`signing ${formatReference(ref)}: the tag resolves to ${head.digest}, which is what gets signed\n`);
  const top: Descriptor = { mediaType: head.mediaType, size: head.sizeBytes, digest: head.digest };
  const results: SignedManifest[] = [];
  for (const target of await targetsOf(client, ref, top, opts.recursive === true)) {
    if (opts.newBundleFormat === true && keyless && rekor) {
      const { signWithBundle } = await import('./sign-bundle-image.ts');
      results.push(await signWithBundle(io, { client, ref, target, keyless, rekor, annotations: opts.annotations, upload: opts.upload, ...(opts.trustedRoot ? { trustedRoot: opts.trustedRoot } : {}) }));
      continue;
    }
    const payload = given ?? createSimpleSigningPayload(opts.signContainerIdentity ?? dockerReferenceOf(ref), target.digest, opts.annotations);
    const signatureBase64 = encodeBase64(signer.sign(payload));
    await writeOutputs(io, opts, payload, signatureBase64);
    const reference = `${dockerReferenceOf(ref)}@${target.digest}`;
    // cosign logs the certificate, when the key has one, instead of the bare key
    const certified = keyless ?? keyCertificate;
    const verifierPem = certified ? certified.certificatePem : signer.publicKeyPem;
    // while the log entry is written: push the payload blob and read the tag (no manifest is
    // written before the entry exists; a failed log leaves at most an unreferenced blob)
    const started = opts.upload && opts.registryReferrersMode !== 'oci-1-1' ? startTaggedAppend(client, ref, target.digest, payload) : undefined;
    const logged = rekor ? await logSignature(io, rekor, verifierPem, payload, signatureBase64) : undefined;
    const tlog = logged ? { tlogEntry: logged.tlogEntry } : {};
    if (!opts.upload) { results.push({ reference, digest: target.digest, uploaded: false, ...tlog }); continue; }
    const annotations = {
      [ANNOTATION_SIGNATURE]: signatureBase64,
      ...(certified ? { [ANNOTATION_CERTIFICATE]: certified.certificatePem } : {}),
      ...(certified?.chainPem !== undefined ? { [ANNOTATION_CHAIN]: certified.chainPem } : {}),
      ...(logged ? { [ANNOTATION_BUNDLE]: logged.annotation } : {}),
    };
    const layer = { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations };
    io.stderr.write(`Pushing signature to: ${dockerReferenceOf(ref)}\n`);
    const written: WrittenSignature = opts.registryReferrersMode === 'oci-1-1'
      ? await writeReferrerSignature(client, ref, target, layer, createdAt)
      : await appendTaggedSignature(client, ref, target.digest, layer, { ...createAppendDeps(io), isEquivalent: sameKeyEquivalence(signer), ...(started ? { started } : {}), ...(createdAt ? { createdAt } : {}) });
    results.push({ reference, digest: target.digest, uploaded: true, location: written.location, signatureManifestDigest: written.manifestDigest, layers: written.layerCount, alreadyPresent: written.alreadyPresent, ...tlog });
  }
  return { signatures: results };
}

interface LoggedSignature {
  readonly annotation: string;
  readonly tlogEntry: NonNullable<SignedManifest['tlogEntry']>;
}

/** Uploads a hashedrekord entry for the signature (cosign's order: log first, then push) and builds the bundle annotation. */
async function logSignature(io: CliIo, rekor: RekorClient, verifierPem: string, payload: Uint8Array, signatureBase64: string): Promise<LoggedSignature> {
  const entry = await uploadToLog(io, rekor, createHashedRekordProposal(payload, signatureBase64, verifierPem));
  return { annotation: encodeCosignBundleAnnotation(entry), tlogEntry: { logIndex: entry.logIndex, uuid: entry.uuid, logId: entry.logId } };
}

/** cosign's dedupe: an existing layer with the same claims whose signature verifies with our key. */
function sameKeyEquivalence(signer: KeySigner): SignatureLayerEquivalence {
  const spki = signer.publicKey.toSpkiDer();
  return (existing, layer) => {
    if (!hasSameClaims(existing, layer)) return false;
    const sig = existing.annotations[ANNOTATION_SIGNATURE] ?? '';
    try {
      return isSignatureValid(signer.algorithm, spki, existing.payload, decodeBase64(sig), [signer.algorithm]);
    } catch {
      return false;
    }
  };
}

async function writeOutputs(io: CliIo, opts: RunOptions, payload: Uint8Array, signatureBase64: string): Promise<void> {
  if (opts.outputSignature) await writeFile(resolve(io.cwd, opts.outputSignature), signatureBase64);
  if (opts.outputPayload) await writeFile(resolve(io.cwd, opts.outputPayload), payload);
}
