/**
 * cosign's signature image: the manifest stored under `sha256-<hex>.sig` (or as a referrer) whose
 * layers are signed payloads with the signature, certificate, chain and Rekor bundle as layer
 * annotations. Built byte for byte as go-containerregistry writes it for cosign.
 */
import { InputError, sha256Digest } from '../core/index.ts';
import { encodeGoJson, sortedStringMap } from './go-json.ts';
import { parseManifest, type Descriptor, type Manifest } from './manifest.ts';
import { DOCKER_CONFIG, DOCKER_MANIFEST, OCI_CONFIG, OCI_MANIFEST } from './media-types.ts';

/** Layer annotation keys cosign uses (pkg/oci/static). */
export const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature';
export const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate';
export const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain';
export const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle';
export const ANNOTATION_RFC3161 = 'dev.sigstore.cosign/rfc3161timestamp';
/** config.mediaType and artifactType of a signature written in OCI 1.1 referrers mode. */
export const COSIGN_SIG_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
/** Reader limit on layers per signature manifest, as cosign's. */
export const MAX_SIGNATURE_LAYERS = 1000;

/** One signature: its payload bytes, layer media type and annotations. */
export interface SignatureLayer {
  readonly mediaType: string;
  readonly payload: Uint8Array;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A layer as listed in a signature manifest (payload not yet fetched). */
export interface SignatureLayerRef {
  readonly descriptor: Descriptor;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The blobs and manifest bytes of a signature image, ready to push. */
export interface SignatureImage {
  readonly config: Uint8Array;
  readonly configDigest: string;
  readonly manifest: Uint8Array;
  readonly manifestDigest: string;
  readonly mediaType: string;
  /** payload blobs by digest */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/** Options of buildSignatureImage. */
export interface SignatureImageOptions {
  /** Docker schema 2 media types instead of OCI (COSIGN_DOCKER_MEDIA_TYPES=1) */
  readonly dockerMediaTypes?: boolean;
  /** write as an OCI 1.1 referrer of this subject */
  readonly subject?: Descriptor;
  /** the config's `created` (cosign's --record-creation-timestamp); default Go's zero time, as cosign */
  readonly created?: Date;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Go's RFC 3339 with nanoseconds writes it in UTC: no trailing zeros in the fraction, none at all for whole seconds. */
export function formatGoTime(time: Date): string {
  return time.toISOString().replace(/\.?0*Z$/, 'Z');
}

/** The synthetic config blob cosign writes: one history entry and one diff_id per layer; `created` only with --record-creation-timestamp. */
export function createSignatureConfig(layerDigests: readonly string[], created?: Date): Uint8Array {
  return encodeGoJson({
    architecture: '',
    created: created === undefined ? ZERO_TIME : formatGoTime(created),
    history: layerDigests.map(() => ({ created: ZERO_TIME })),
    os: '',
    rootfs: { type: 'layers', diff_ids: layerDigests },
    config: {},
  });
}

/** Builds the signature image for `layers` (config, manifest and payload blobs). */
export function buildSignatureImage(layers: readonly SignatureLayer[], options: SignatureImageOptions = {}): SignatureImage {
  const blobs = new Map<string, Uint8Array>();
  const layerDescriptors = layers.map((l) => {
    const digest = sha256Digest(l.payload);
    blobs.set(digest, l.payload);
    const annotations = Object.keys(l.annotations).length > 0 ? { annotations: sortedStringMap(l.annotations) } : {};
    return { mediaType: l.mediaType, size: l.payload.byteLength, digest, ...annotations };
  });
  const config = createSignatureConfig(layerDescriptors.map((d) => d.digest), options.created);
  const configDigest = sha256Digest(config);
  const referrer = options.subject !== undefined;
  const mediaType = options.dockerMediaTypes ? DOCKER_MANIFEST : OCI_MANIFEST;
  const configType = referrer ? COSIGN_SIG_ARTIFACT_TYPE : options.dockerMediaTypes ? DOCKER_CONFIG : OCI_CONFIG;
  const subject = options.subject;
  const manifestObject = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: configType, size: config.byteLength, digest: configDigest },
    layers: layerDescriptors,
    ...(subject ? { subject: { mediaType: subject.mediaType, size: subject.size, digest: subject.digest }, artifactType: COSIGN_SIG_ARTIFACT_TYPE } : {}),
  };
  const manifest = encodeGoJson(manifestObject);
  return { config, configDigest, manifest, manifestDigest: sha256Digest(manifest), mediaType, blobs };
}

/**
 * Lists the layers of a signature manifest as stored (by any writer: cosign, skopeo, sigil).
 * @throws ERR_OCI_MANIFEST_INVALID, ERR_SIGNATURE_MANIFEST_INVALID (an index, or over 1000 layers)
 */
export function parseSignatureManifest(bytes: Uint8Array, contentType?: string): readonly SignatureLayerRef[] {
  return signatureLayersOf(parseManifest(bytes, contentType));
}

/**
 * The signature layers of an already parsed manifest, as parseSignatureManifest reads them.
 * @throws ERR_SIGNATURE_MANIFEST_INVALID
 */
export function signatureLayersOf(manifest: Manifest): readonly SignatureLayerRef[] {
  if (manifest.kind !== 'image') throw new InputError('ERR_SIGNATURE_MANIFEST_INVALID', 'a signature manifest must be an image manifest, not an index');
  if (manifest.layers.length > MAX_SIGNATURE_LAYERS) {
    throw new InputError('ERR_SIGNATURE_MANIFEST_INVALID', `number of layers (${manifest.layers.length}) exceeded the limit (${MAX_SIGNATURE_LAYERS})`);
  }
  return manifest.layers.map((d) => ({ descriptor: d, annotations: d.annotations ?? {} }));
}

/** True when two layers carry the same payload and the same annotations (a re-sign that changes nothing). */
export function isSameSignatureLayer(a: SignatureLayer, b: SignatureLayer): boolean {
  if (a.mediaType !== b.mediaType || sha256Digest(a.payload) !== sha256Digest(b.payload)) return false;
  const ka = Object.keys(a.annotations).sort();
  const kb = Object.keys(b.annotations).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.annotations[k] === b.annotations[k]);
}

/** True when `existing` already says what `layer` says (cosign: same payload and annotations, and a signature by the same key). */
export type SignatureLayerEquivalence = (existing: SignatureLayer, layer: SignatureLayer) => boolean;

/**
 * The layers after adding `layer`: existing layers are kept in order, and `layer` is not added
 * when an equivalent one is there (by default: byte-identical).
 */
export function appendSignatureLayer(existing: readonly SignatureLayer[], layer: SignatureLayer, isEquivalent: SignatureLayerEquivalence = isSameSignatureLayer): readonly SignatureLayer[] {
  return existing.some((l) => isEquivalent(l, layer)) ? existing : [...existing, layer];
}

/** True when two layers have the same media type, payload and annotations other than the signature. */
export function hasSameClaims(a: SignatureLayer, b: SignatureLayer): boolean {
  if (a.mediaType !== b.mediaType || sha256Digest(a.payload) !== sha256Digest(b.payload)) return false;
  const keys = (l: SignatureLayer): string[] => Object.keys(l.annotations).filter((k) => k !== ANNOTATION_SIGNATURE).sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.annotations[k] === b.annotations[k]);
}
