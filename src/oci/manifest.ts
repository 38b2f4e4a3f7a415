/**
 * Parsing and validating image manifests and indexes (OCI image-spec 1.1, Docker schema 2).
 * Manifests come from untrusted registries and clients, so every field is checked.
 */
import { InputError, decodeUtf8, parseDigest } from '../core/index.ts';
import {
  DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST,
  isImageManifestMediaType, isIndexMediaType,
} from './media-types.ts';

/** A platform of an index entry. */
export interface Platform {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
}

/** A content descriptor. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
  readonly platform?: Platform;
  readonly urls?: readonly string[];
}

/** An image manifest. */
export interface ImageManifest {
  readonly kind: 'image';
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An image index or Docker manifest list. */
export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Either manifest kind. */
export type Manifest = ImageManifest | ImageIndex;

/** The limit distribution and sigil put on a manifest body. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

type Json = Record<string, unknown>;

function invalid(message: string): InputError {
  return new InputError('ERR_OCI_MANIFEST_INVALID', message);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseStringMap(value: unknown, where: string): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw invalid(`${where} must be an object of strings`);
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') throw invalid(`${where}.${k} must be a string`);
  return value as Record<string, string>;
}

function parsePlatform(value: unknown, where: string): Platform | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value['architecture'] !== 'string' || typeof value['os'] !== 'string') {
    throw invalid(`${where} must have string architecture and os`);
  }
  const variant = value['variant'];
  if (variant !== undefined && typeof variant !== 'string') throw invalid(`${where}.variant must be a string`);
  return value as unknown as Platform;
}

/**
 * Validates one descriptor object.
 * @throws ERR_OCI_MANIFEST_INVALID
 */
export function parseDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw invalid(`${where} must be an object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string' || mediaType === '') throw invalid(`${where}.mediaType must be a non-empty string`);
  if (typeof digest !== 'string') throw invalid(`${where}.digest must be a string`);
  try { parseDigest(digest); } catch { throw invalid(`${where}.digest ${JSON.stringify(digest.slice(0, 80))} is not a valid digest`); }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid(`${where}.size must be a non-negative integer`);
  const artifactType = value['artifactType'];
  if (artifactType !== undefined && typeof artifactType !== 'string') throw invalid(`${where}.artifactType must be a string`);
  const urls = value['urls'];
  if (urls !== undefined && (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string'))) throw invalid(`${where}.urls must be strings`);
  parseStringMap(value['annotations'], `${where}.annotations`);
  parsePlatform(value['platform'], `${where}.platform`);
  return value as unknown as Descriptor;
}

function parseDescriptorList(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(`${where} must be an array`);
  return value.map((d, i) => parseDescriptor(d, `${where}[${i}]`));
}

/** Decides a manifest's media type from its body and the Content-Type it came with. */
function resolveMediaType(body: Json, contentType: string | undefined): string {
  const inBody = body['mediaType'];
  if (inBody !== undefined && typeof inBody !== 'string') throw invalid('mediaType must be a string');
  const header = contentType?.split(';')[0]?.trim();
  if (inBody !== undefined) {
    if (header && header !== inBody && (isImageManifestMediaType(header) || isIndexMediaType(header))) {
      throw invalid(`mediaType ${inBody} does not match Content-Type ${header}`);
    }
    return inBody;
  }
  if (header && (isImageManifestMediaType(header) || isIndexMediaType(header))) return header;
  // OCI image-spec: mediaType may be absent; tell the kinds apart by their fields
  if (Array.isArray(body['manifests'])) return OCI_INDEX;
  if (isObject(body['config'])) return OCI_MANIFEST;
  throw invalid('cannot tell the manifest media type: no mediaType field and no known Content-Type');
}

/**
 * Parses manifest bytes as received, checking JSON shape, media type and every descriptor.
 * @throws ERR_OCI_MANIFEST_INVALID, ERR_OCI_MANIFEST_TOO_LARGE, ERR_OCI_MEDIA_TYPE_UNSUPPORTED
 */
export function parseManifest(bytes: Uint8Array, contentType?: string): Manifest {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    throw new InputError('ERR_OCI_MANIFEST_TOO_LARGE', `manifest of ${bytes.byteLength} bytes exceeds the ${MAX_MANIFEST_BYTES}-byte limit`);
  }
  let body: unknown;
  try { body = JSON.parse(decodeUtf8(bytes)); } catch { throw invalid('manifest is not valid json'); }
  if (!isObject(body)) throw invalid('manifest must be a json object');
  if (body['schemaVersion'] !== 2) throw invalid('schemaVersion must be 2');
  const mediaType = resolveMediaType(body, contentType);
  const subject = body['subject'] === undefined ? undefined : parseDescriptor(body['subject'], 'subject');
  const artifactType = body['artifactType'];
  if (artifactType !== undefined && typeof artifactType !== 'string') throw invalid('artifactType must be a string');
  const annotations = parseStringMap(body['annotations'], 'annotations');
  const extras = { ...(subject ? { subject } : {}), ...(artifactType !== undefined ? { artifactType } : {}), ...(annotations ? { annotations } : {}) };
  if (isImageManifestMediaType(mediaType)) {
    if (mediaType === DOCKER_MANIFEST && body['mediaType'] === undefined) throw invalid('docker schema 2 manifests must carry mediaType');
    return { kind: 'image', mediaType, config: parseDescriptor(body['config'], 'config'), layers: parseDescriptorList(body['layers'] ?? [], 'layers'), ...extras };
  }
  if (isIndexMediaType(mediaType)) {
    if (mediaType === DOCKER_MANIFEST_LIST && body['mediaType'] === undefined) throw invalid('docker manifest lists must carry mediaType');
    return { kind: 'index', mediaType, manifests: parseDescriptorList(body['manifests'], 'manifests'), ...extras };
  }
  throw new InputError('ERR_OCI_MEDIA_TYPE_UNSUPPORTED', `unsupported manifest media type ${JSON.stringify(mediaType)}`);
}

/** Blobs a manifest needs present (config and layers, but not foreign `urls` layers). */
export function referencedBlobs(manifest: Manifest): readonly Descriptor[] {
  if (manifest.kind === 'index') return [];
  return [manifest.config, ...manifest.layers.filter((l) => !l.urls || l.urls.length === 0)];
}

/** Manifests an index needs present. */
export function referencedManifests(manifest: Manifest): readonly Descriptor[] {
  return manifest.kind === 'index' ? manifest.manifests : [];
}

/** The artifact type a referrers listing reports: artifactType, else the config media type. */
export function artifactTypeOf(manifest: Manifest): string | undefined {
  if (manifest.artifactType !== undefined) return manifest.artifactType;
  return manifest.kind === 'image' ? manifest.config.mediaType : undefined;
}

/** Formats a platform as `os/arch[/variant]`. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, ...(p.variant ? [p.variant] : [])].join('/');
}
