/**
 * A Sigstore bundle stored as an OCI 1.1 referrer of the image it signs, as cosign writes it
 * (`--new-bundle-format`; cosign specs/BUNDLE_SPEC.md, pkg/oci/remote WriteAttestationNewBundleFormat):
 * the bundle JSON as the one layer, the empty config `{}`, the artifact type in the config
 * descriptor and at the top, the content and predicate type and creation time as annotations.
 */
import { encodeUtf8, sha256Digest } from '../core/index.ts';
import { encodeGoJson, sortedStringMap } from './go-json.ts';
import type { Descriptor } from './manifest.ts';
import { OCI_EMPTY, OCI_EMPTY_DIGEST, OCI_MANIFEST } from './media-types.ts';

/** The artifact type and layer media type of a bundle v0.3 referrer. */
export const SIGSTORE_BUNDLE_V03_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** Annotation keys of a bundle referrer. */
export const ANNOTATION_BUNDLE_CONTENT = 'dev.sigstore.bundle.content';
export const ANNOTATION_BUNDLE_PREDICATE_TYPE = 'dev.sigstore.bundle.predicateType';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';

/** What goes into a bundle referrer. */
export interface BundleReferrerInput {
  readonly subject: Descriptor;
  readonly bundle: Uint8Array;
  /** `dsse-envelope` or `message-signature` */
  readonly content: 'dsse-envelope' | 'message-signature';
  /** the statement's predicate type (DSSE content only) */
  readonly predicateType?: string;
  /** the signing time; written as RFC 3339 UTC with whole seconds */
  readonly created: Date;
}

/** The blobs and manifest of a bundle referrer, ready to push (manifest by digest, no tag). */
export interface BundleReferrer {
  readonly config: Uint8Array;
  readonly bundleDigest: string;
  readonly manifest: Uint8Array;
  readonly manifestDigest: string;
  /** the descriptor a referrers listing shows for it */
  readonly descriptor: Descriptor;
}

/** Builds the referrer manifest for a bundle. */
export function buildBundleReferrer(input: BundleReferrerInput): BundleReferrer {
  const config = encodeUtf8('{}');
  const bundleDigest = sha256Digest(input.bundle);
  const annotations = sortedStringMap({
    [ANNOTATION_BUNDLE_CONTENT]: input.content,
    ...(input.predicateType ? { [ANNOTATION_BUNDLE_PREDICATE_TYPE]: input.predicateType } : {}),
    [ANNOTATION_CREATED]: `${input.created.toISOString().slice(0, 19)}Z`,
  });
  const { mediaType, size, digest } = input.subject;
  const manifest = encodeGoJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_EMPTY, size: config.byteLength, digest: OCI_EMPTY_DIGEST, artifactType: SIGSTORE_BUNDLE_V03_ARTIFACT_TYPE },
    layers: [{ mediaType: SIGSTORE_BUNDLE_V03_ARTIFACT_TYPE, size: input.bundle.byteLength, digest: bundleDigest }],
    annotations,
    subject: { mediaType, size, digest },
    artifactType: SIGSTORE_BUNDLE_V03_ARTIFACT_TYPE,
  });
  const manifestDigest = sha256Digest(manifest);
  return {
    config, bundleDigest, manifest, manifestDigest,
    descriptor: { mediaType: OCI_MANIFEST, digest: manifestDigest, size: manifest.byteLength, annotations, artifactType: SIGSTORE_BUNDLE_V03_ARTIFACT_TYPE },
  };
}
