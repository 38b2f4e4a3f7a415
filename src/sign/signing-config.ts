/**
 * `signing_config.json` (sigstore/protobuf-specs `SigningConfig` v0.2): where a signer finds the
 * CA, the OIDC issuer and the transparency logs. sigil signs through Fulcio's v2 API and Rekor
 * v1, so it picks, per service kind, the entry with `majorApiVersion` 1 that is valid now and
 * started last (the spec's rule for the CA; for logs sigil uses one).
 */
import { ConfigError, decodeUtf8 } from '../core/index.ts';

/** The media type of a v0.2 signing config. */
export const SIGNING_CONFIG_V02_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

/** The services a signer uses, each absent when the config offers none usable. */
export interface SigningServices {
  readonly caUrl?: string;
  readonly rekorUrl?: string;
  readonly oidcUrl?: string;
}

interface Service {
  readonly url: string;
  readonly majorApiVersion: number;
  readonly start: number;
  readonly end: number;
}

function bad(message: string): ConfigError {
  return new ConfigError('ERR_CONFIG_INVALID', `signing config: ${message}`);
}

function parseTime(value: unknown, where: string, missing: number): number {
  if (value === undefined || value === null) return missing;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw bad(`${where} must be an RFC 3339 time`);
  return ms;
}

function parseServices(value: unknown, where: string): Service[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(`${where} must be an array`);
  return value.map((s: unknown, i) => {
    if (typeof s !== 'object' || s === null) throw bad(`${where}[${i}] must be an object`);
    const r = s as Record<string, unknown>;
    const url = r['url'];
    if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/.test(url)) throw bad(`${where}[${i}].url must be an http(s) url`);
    const validFor = (typeof r['validFor'] === 'object' && r['validFor'] !== null ? r['validFor'] : {}) as Record<string, unknown>;
    return {
      url: url.replace(/\/+$/, ''),
      majorApiVersion: typeof r['majorApiVersion'] === 'number' ? r['majorApiVersion'] : 1,
      start: parseTime(validFor['start'], `${where}[${i}].validFor.start`, Number.NEGATIVE_INFINITY),
      end: parseTime(validFor['end'], `${where}[${i}].validFor.end`, Number.POSITIVE_INFINITY),
    };
  });
}

function pick(services: readonly Service[], nowMs: number): string | undefined {
  const usable = services.filter((s) => s.majorApiVersion === 1 && s.start <= nowMs && nowMs <= s.end);
  return usable.sort((a, b) => b.start - a.start)[0]?.url;
}

/**
 * Parses a signing config and picks the services valid at `now`.
 * @throws ERR_CONFIG_INVALID for malformed JSON or fields, or another media type
 */
export function parseSigningConfig(bytes: Uint8Array, now: Date): SigningServices {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(bytes)); } catch { throw bad('not json'); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a json object');
  const root = json as Record<string, unknown>;
  if (root['mediaType'] !== SIGNING_CONFIG_V02_MEDIA_TYPE) throw bad(`mediaType ${JSON.stringify(String(root['mediaType']).slice(0, 100))} is not ${SIGNING_CONFIG_V02_MEDIA_TYPE}`);
  const nowMs = now.getTime();
  const caUrl = pick(parseServices(root['caUrls'], 'caUrls'), nowMs);
  const rekorUrl = pick(parseServices(root['rekorTlogUrls'], 'rekorTlogUrls'), nowMs);
  const oidcUrl = pick(parseServices(root['oidcUrls'], 'oidcUrls'), nowMs);
  return { ...(caUrl ? { caUrl } : {}), ...(rekorUrl ? { rekorUrl } : {}), ...(oidcUrl ? { oidcUrl } : {}) };
}
