/** The work of `sigil attest`, loaded only when the command runs. */
import { UsageError, decodeUtf8, encodeUtf8 } from '../../core/index.ts';
import { IN_TOTO_PAYLOAD_TYPE, createDsseProposal, createIntotoProposal, encodeCosignBundleAnnotation, encodeDssePae, encodeDsseEnvelope } from '../../bundle/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, ANNOTATION_CHAIN, ANNOTATION_PREDICATE_TYPE, ANNOTATION_SIGNATURE, DSSE_ENVELOPE_MEDIA_TYPE,
  createAttestationStatement, formatReference, parseManifest, parsePredicateType, parseReference,
  type Descriptor, type Reference, type SignatureLayer,
} from '../../oci/index.ts';
import { appendTaggedSignature } from '../../adapters/signature-store/index.ts';
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import type { RekorClient } from '../../adapters/http-clients/rekor-client.ts';
import type { KeySigner, KeylessSigner } from '../../sign/index.ts';
import type { CliIo } from '../io.ts';
import { readInputFile, readStandardInput } from '../input-file.ts';
import { createCliRegistryClient } from '../registry.ts';
import { uploadToLog } from '../rekor.ts';
import { prepareSigner, refuseKeylessFlagsWithKey } from '../signer-setup.ts';
import { createAppendDeps } from '../signature-deps.ts';
import type { AttestOptions } from './attest.ts';
import { dockerReferenceOf } from './sign-run.ts';

type RunOptions = Omit<AttestOptions, 'upload' | 'tlogUpload'> & { readonly upload: boolean; readonly tlogUpload: boolean };

/** One attested manifest, as `--output json` reports it. */
export interface AttestedManifest {
  readonly reference: string;
  readonly digest: string;
  readonly predicateType: string;
  readonly uploaded: boolean;
  readonly location?: string;
  readonly attestationManifestDigest?: string;
  readonly layers?: number;
  readonly tlogEntry?: { readonly kind: string; readonly logIndex: number; readonly uuid: string; readonly logId: string };
}

function checkFlags(opts: RunOptions): void {
  if (opts.rekorEntryType !== 'dsse' && opts.rekorEntryType !== 'intoto') {
    throw new UsageError('ERR_USAGE', `--rekor-entry-type must be dsse or intoto, got ${JSON.stringify(opts.rekorEntryType)}`);
  }
  if (opts.newBundleFormat === true && opts.rekorEntryType !== 'dsse') throw new UsageError('ERR_USAGE', '--new-bundle-format logs a dsse entry; --rekor-entry-type intoto does not apply');
  if (opts.newBundleFormat === true && opts.replace === true) throw new UsageError('ERR_USAGE', '--replace applies to the .att tag, not to --new-bundle-format referrers');
  refuseKeylessFlagsWithKey(opts);
  if (opts.newBundleFormat === true && opts.certificate !== undefined) throw new UsageError('ERR_FLAG_UNSUPPORTED', '--certificate with --new-bundle-format: sigil stores a bring-your-own certificate in the .att layer\'s annotations only');
}


async function targetsOf(client: RegistryClient, ref: Reference, top: Descriptor, recursive: boolean): Promise<Descriptor[]> {
  if (!recursive) return [top];
  const fetched = await client.getManifest(ref, top.digest);
  const manifest = parseManifest(fetched.bytes, fetched.mediaType);
  return manifest.kind === 'index' ? [top, ...manifest.manifests] : [top];
}

/** The predicate type a stored attestation layer declares: its annotation, else its statement's. */
function predicateTypeOfLayer(layer: SignatureLayer): string | undefined {
  const annotated = layer.annotations[ANNOTATION_PREDICATE_TYPE];
  if (annotated !== undefined) return annotated;
  try {
    const env = JSON.parse(decodeUtf8(layer.payload)) as { payload?: unknown };
    if (typeof env.payload !== 'string') return undefined;
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { predicateType?: unknown };
    return typeof statement.predicateType === 'string' ? statement.predicateType : undefined;
  } catch {
    return undefined;
  }
}

/** What attesting one manifest needs. */
interface AttestContext {
  readonly io: CliIo;
  readonly opts: RunOptions;
  readonly client: RegistryClient;
  readonly ref: Reference;
  readonly signer: KeySigner;
  readonly keyless?: KeylessSigner | undefined;
  /** the certificate, keyless or given beside --key, stored with the attestation and logged instead of the key */
  readonly certified?: { readonly certificatePem: string; readonly chainPem?: string | undefined } | undefined;
  readonly rekor?: RekorClient | undefined;
  readonly build: (digestHex: string) => ReturnType<typeof createAttestationStatement>;
}

/** Logs the envelope (cosign's order: log first, then push); returns the bundle annotation and the entry facts. */
async function logEnvelope(ctx: AttestContext, envelopeJson: string): Promise<{ annotation?: string; tlog: Pick<AttestedManifest, 'tlogEntry'> }> {
  const { io, opts, rekor, certified, signer } = ctx;
  if (!rekor) return { tlog: {} };
  const verifierPem = certified ? certified.certificatePem : signer.publicKeyPem;
  const proposal = opts.rekorEntryType === 'intoto' ? createIntotoProposal(envelopeJson, verifierPem) : createDsseProposal(envelopeJson, verifierPem);
  const entry = await uploadToLog(io, rekor, proposal);
  return { annotation: encodeCosignBundleAnnotation(entry), tlog: { tlogEntry: { kind: opts.rekorEntryType, logIndex: entry.logIndex, uuid: entry.uuid, logId: entry.logId } } };
}

/** Signs the statement about `target`, logs it, and appends it to the `.att` tag. */
async function attestOne(ctx: AttestContext, target: Descriptor): Promise<AttestedManifest> {
  const { io, opts, client, ref, signer, keyless, certified } = ctx;
  const { statement, predicateType } = ctx.build(target.digest.replace(/^sha256:/, ''));
  if (opts.newBundleFormat === true && ctx.rekor) {
    const { attestWithBundle } = await import('./attest-bundle.ts');
    const written = await attestWithBundle(io, { client, ref, target, signer, keyless, rekor: ctx.rekor, statement, predicateType, upload: opts.upload });
    if (written.location) io.stderr.write(`Pushed attestation bundle to: ${dockerReferenceOf(ref)}@${written.location}\n`);
    const pushed = written.location ? { location: written.location, attestationManifestDigest: written.location, layers: 1 } : {};
    return { reference: `${dockerReferenceOf(ref)}@${target.digest}`, digest: target.digest, predicateType, uploaded: opts.upload, ...pushed, tlogEntry: written.tlogEntry };
  }
  const envelopeJson = encodeDsseEnvelope(IN_TOTO_PAYLOAD_TYPE, statement, signer.sign(encodeDssePae(IN_TOTO_PAYLOAD_TYPE, statement)));
  const reference = `${dockerReferenceOf(ref)}@${target.digest}`;
  const { annotation, tlog } = await logEnvelope(ctx, envelopeJson);
  if (!opts.upload) return { reference, digest: target.digest, predicateType, uploaded: false, ...tlog };
  const layer: SignatureLayer = {
    mediaType: DSSE_ENVELOPE_MEDIA_TYPE,
    // the very bytes logged: the entry's envelope hash is over them
    payload: encodeUtf8(envelopeJson),
    annotations: {
      [ANNOTATION_SIGNATURE]: '', [ANNOTATION_PREDICATE_TYPE]: predicateType,
      ...(certified ? { [ANNOTATION_CERTIFICATE]: certified.certificatePem } : {}),
      ...(certified?.chainPem !== undefined ? { [ANNOTATION_CHAIN]: certified.chainPem } : {}),
      ...(annotation ? { [ANNOTATION_BUNDLE]: annotation } : {}),
    },
  };
  const replaces = opts.replace === true ? (l: SignatureLayer): boolean => predicateTypeOfLayer(l) === predicateType : undefined;
  // cosign's --record-creation-timestamp: the attestation image's config records when it was made
  const createdAt = opts.recordCreationTimestamp === true ? { createdAt: new Date() } : {};
  const written = await appendTaggedSignature(client, ref, target.digest, layer, { ...createAppendDeps(io), suffix: 'att', ...(replaces ? { replaces } : {}), ...createdAt });
  io.stderr.write(`Pushed attestation to: ${dockerReferenceOf(ref)}:${written.location}\n`);
  return { reference, digest: target.digest, predicateType, uploaded: true, location: written.location, attestationManifestDigest: written.manifestDigest, layers: written.layerCount, ...tlog };
}

/**
 * Attests the image (and with --recursive every platform manifest) and stores each attestation.
 * @throws ERR_USAGE, ERR_FILE_NOT_FOUND, ERR_ATTEST_*, ERR_OCI_*, key errors, ERR_KEYLESS_*, registry and log errors
 */
export async function runAttest(io: CliIo, image: string, opts: RunOptions): Promise<{ attestations: AttestedManifest[] }> {
  checkFlags(opts);
  const ref = parseReference(image);
  parsePredicateType(opts.type);
  const predicate = opts.predicate === '-' ? await readStandardInput(io, '--predicate -') : await readInputFile(io.cwd, opts.predicate, 'predicate');
  const build = (digestHex: string): ReturnType<typeof createAttestationStatement> =>
    createAttestationStatement({ type: opts.type, predicate, repository: dockerReferenceOf(ref), digestHex, now: new Date() });
  build('0'.repeat(64)); // a bad predicate fails before any key, token or registry is touched
  const { signer, keyless, rekor, keyCertificate } = await prepareSigner(io, opts, { checkCertificate: true });
  if (opts.newBundleFormat === true && !rekor) {
    throw new UsageError('ERR_USAGE', 'a Sigstore bundle needs a transparency log entry: give --rekor-url (or a signing config naming one) and keep --tlog-upload');
  }
  const client = createCliRegistryClient(io, opts);
  const head = await client.headManifest(ref, ref.identifier);
  if (ref.digest === undefined) io.stderr.write(`attesting ${formatReference(ref)}: the tag resolves to ${head.digest}, which is what gets attested\n`);
  io.stderr.write(`Using payload from: ${opts.predicate}\n`);
  const ctx: AttestContext = { io, opts, client, ref, signer, keyless, certified: keyless ?? keyCertificate, rekor, build };
  const results: AttestedManifest[] = [];
  for (const target of await targetsOf(client, ref, { mediaType: head.mediaType, size: head.sizeBytes, digest: head.digest }, opts.recursive === true)) {
    results.push(await attestOne(ctx, target));
  }
  return { attestations: results };
}
