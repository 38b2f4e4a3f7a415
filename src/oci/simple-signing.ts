/**
 * The "simple signing" payload cosign signs for a container image (sigstore/sigstore
 * payload.Cosign): `{"critical":{"identity":{"docker-reference"},"image":{"docker-manifest-digest"},
 * "type"},"optional":null|{...}}`, Go-marshalled so its bytes match cosign's.
 */
import { InputError, decodeUtf8, parseDigest } from '../core/index.ts';
import { encodeGoJson, sortedStringMap } from './go-json.ts';

/** The `critical.type` every cosign container image signature carries. */
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
/** Media type of a signature layer holding a simple-signing payload. */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

/** A parsed simple-signing payload. */
export interface SimpleSigningPayload {
  readonly dockerReference: string;
  readonly manifestDigest: string;
  readonly type: string;
  /** `null` when the signer gave no annotations; values may be non-strings (skopeo writes a number) */
  readonly optional: Readonly<Record<string, unknown>> | null;
}

/** Builds the payload bytes cosign would sign for `manifestDigest` in repository `dockerReference`. */
export function createSimpleSigningPayload(dockerReference: string, manifestDigest: string, annotations?: Readonly<Record<string, string>>): Uint8Array {
  const optional = annotations && Object.keys(annotations).length > 0 ? sortedStringMap(annotations) : null;
  return encodeGoJson({
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': manifestDigest },
      type: SIMPLE_SIGNING_TYPE,
    },
    optional,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string): InputError {
  return new InputError('ERR_SIGNATURE_PAYLOAD_INVALID', message);
}

/**
 * Parses untrusted payload bytes.
 * @throws ERR_SIGNATURE_PAYLOAD_INVALID when it is not JSON of the simple-signing shape
 */
export function parseSimpleSigningPayload(bytes: Uint8Array): SimpleSigningPayload {
  let body: unknown;
  try { body = JSON.parse(decodeUtf8(bytes)); } catch { throw invalid('signature payload is not valid json'); }
  if (!isObject(body) || !isObject(body['critical'])) throw invalid('signature payload has no critical object');
  const critical = body['critical'];
  const identity = critical['identity'];
  const image = critical['image'];
  const type = critical['type'];
  if (!isObject(identity) || typeof identity['docker-reference'] !== 'string') throw invalid('signature payload has no critical.identity.docker-reference string');
  if (!isObject(image) || typeof image['docker-manifest-digest'] !== 'string') throw invalid('signature payload has no critical.image.docker-manifest-digest string');
  if (typeof type !== 'string') throw invalid('signature payload has no critical.type string');
  const digest = image['docker-manifest-digest'];
  try { parseDigest(digest); } catch { throw invalid(`signature payload names an invalid digest ${JSON.stringify(digest.slice(0, 80))}`); }
  const optional = body['optional'];
  if (optional !== undefined && optional !== null && !isObject(optional)) throw invalid('signature payload optional must be an object or null');
  return { dockerReference: identity['docker-reference'], manifestDigest: digest, type, optional: optional ?? null };
}
