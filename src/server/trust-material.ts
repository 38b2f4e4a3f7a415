/**
 * The trust material `sigil server` writes into its data directory at start: trusted_root.json
 * (protobuf-specs TrustedRoot: the CA chain, the transparency log's key, the CT log's key, each
 * with its validity window) and signing_config.json (v0.2: the URLs of the services that run).
 * Validity starts are fixed facts (the root's notBefore, the key files' creation), so rewriting
 * the files on every start changes nothing for existing signatures.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase64, hashBytes } from '../core/index.ts';

/** A log key the root names. */
export interface TrustedLogKey {
  readonly baseUrl: string;
  readonly spkiDer: Uint8Array;
  readonly validFrom: Date;
}

/** A certificate authority the root names. */
export interface TrustedAuthority {
  readonly uri: string;
  readonly organization: string;
  readonly commonName: string;
  /** intermediate first, root last */
  readonly chainDer: readonly Uint8Array[];
  readonly validFrom: Date;
}

/** What one service adds to the trust material. */
export interface TrustContribution {
  readonly certificateAuthority?: TrustedAuthority;
  readonly tlog?: TrustedLogKey;
  readonly ctlog?: TrustedLogKey;
  /** signing_config entries: the service's base URL under its role */
  readonly caUrl?: string;
  readonly rekorUrl?: string;
  readonly oidcUrl?: string;
}

/** protobuf JSON Timestamp: RFC 3339 UTC, whole seconds. */
function timestamp(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function logInstance(log: TrustedLogKey): unknown {
  return {
    baseUrl: log.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: encodeBase64(log.spkiDer), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: timestamp(log.validFrom) } },
    logId: { keyId: encodeBase64(hashBytes('sha256', log.spkiDer)) },
  };
}

/** The trusted_root.json value for the contributions of the running services. */
export function buildTrustedRoot(parts: readonly TrustContribution[]): unknown {
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: parts.flatMap((p) => (p.tlog ? [logInstance(p.tlog)] : [])),
    certificateAuthorities: parts.flatMap((p) => {
      const ca = p.certificateAuthority;
      if (!ca) return [];
      return [{
        subject: { organization: ca.organization, commonName: ca.commonName },
        uri: ca.uri,
        certChain: { certificates: ca.chainDer.map((der) => ({ rawBytes: encodeBase64(der) })) },
        validFor: { start: timestamp(ca.validFrom) },
      }];
    }),
    ctlogs: parts.flatMap((p) => (p.ctlog ? [logInstance(p.ctlog)] : [])),
    timestampAuthorities: [],
  };
}

/** The signing_config.json (v0.2) value naming every running service. */
export function buildSigningConfig(parts: readonly TrustContribution[], operator: string, start: Date): unknown {
  const service = (url: string): unknown => ({ url, majorApiVersion: 1, validFor: { start: timestamp(start) }, operator });
  const urls = (pick: (p: TrustContribution) => string | undefined): unknown[] => parts.flatMap((p) => { const u = pick(p); return u === undefined ? [] : [service(u)]; });
  return {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: urls((p) => p.caUrl),
    oidcUrls: urls((p) => p.oidcUrl),
    rekorTlogUrls: urls((p) => p.rekorUrl),
    tsaUrls: [],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
  };
}

function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Writes `<dataDir>/trusted_root.json` and `<dataDir>/signing_config.json` (each replaced atomically). */
export function writeTrustMaterial(dataDir: string, parts: readonly TrustContribution[], publicUrl: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeJson(join(dataDir, 'trusted_root.json'), buildTrustedRoot(parts));
  const starts = parts.flatMap((p) => [p.certificateAuthority?.validFrom, p.tlog?.validFrom, p.ctlog?.validFrom]).filter((d): d is Date => d !== undefined);
  const start = starts.length === 0 ? new Date(0) : new Date(Math.min(...starts.map((d) => d.getTime())));
  writeJson(join(dataDir, 'signing_config.json'), buildSigningConfig(parts, new URL(publicUrl).host, start));
}
