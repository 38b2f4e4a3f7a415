/**
 * Parses a Sigstore `trusted_root.json` (protobuf-specs `TrustedRoot`, protobuf JSON) into readonly
 * types: transparency logs and CT logs (key, algorithm, log ID, validity) and certificate and
 * timestamp authorities (chains, validity). Validity ranges are closed intervals; a `validFor`
 * without `start` is malformed (rekor-fulcio research §5.1; conformance case
 * trust-root-tlog-missing-validity-start_fail).
 */
import { ConfigError, decodeUtf8, type SignatureAlgorithm } from '../core/index.ts';
import { parseCertificate, type X509Certificate } from './certificate.ts';

/** A closed time interval; `end` absent means open-ended. */
export interface ValidityPeriod {
  readonly start: Date;
  readonly end?: Date;
}

/** A transparency log or CT log the root trusts. */
export interface TransparencyLogInstance {
  readonly baseUrl: string;
  /** DER SubjectPublicKeyInfo */
  readonly spkiDer: Uint8Array;
  /** null when the key details name an algorithm sigil does not verify (such logs never match) */
  readonly algorithm: SignatureAlgorithm | null;
  readonly keyDetails: string;
  readonly logId: Uint8Array;
  readonly checkpointKeyId?: Uint8Array;
  readonly validFor?: ValidityPeriod;
}

/** A certificate authority (Fulcio) or timestamp authority. */
export interface CertificateAuthority {
  readonly uri: string;
  readonly commonName: string;
  /** issuing certificate first, trust anchor last */
  readonly certChain: readonly X509Certificate[];
  readonly validFor?: ValidityPeriod;
}

/** A parsed trust root. */
export interface TrustedRoot {
  readonly mediaType: string;
  readonly tlogs: readonly TransparencyLogInstance[];
  readonly ctlogs: readonly TransparencyLogInstance[];
  readonly certificateAuthorities: readonly CertificateAuthority[];
  readonly timestampAuthorities: readonly CertificateAuthority[];
}

const MEDIA_TYPES = new Set([
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
]);

const KEY_DETAILS: Readonly<Record<string, SignatureAlgorithm>> = {
  PKIX_ECDSA_P256_SHA_256: 'ecdsa-p256-sha256',
  PKIX_ECDSA_P384_SHA_384: 'ecdsa-p384-sha384',
  PKIX_ECDSA_P521_SHA_512: 'ecdsa-p521-sha512',
  PKIX_ED25519: 'ed25519',
  PKIX_RSA_PKCS1V15_2048_SHA256: 'rsa-pkcs1v15-sha256',
  PKIX_RSA_PKCS1V15_3072_SHA256: 'rsa-pkcs1v15-sha256',
  PKIX_RSA_PKCS1V15_4096_SHA256: 'rsa-pkcs1v15-sha256',
  PKIX_RSA_PSS_2048_SHA256: 'rsa-pss-sha256',
  PKIX_RSA_PSS_3072_SHA256: 'rsa-pss-sha256',
  PKIX_RSA_PSS_4096_SHA256: 'rsa-pss-sha256',
};

type Json = Readonly<Record<string, unknown>>;

function bad(message: string): ConfigError {
  return new ConfigError('ERR_TRUST_ROOT_INVALID', `trusted root: ${message}`);
}

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${where} must be an object`);
  return v as Json;
}

/** A field by its JSON name or its proto (snake_case) name; JSON null counts as absent. */
function field(o: Json, camel: string): unknown {
  const v = camel in o ? o[camel] : o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
  return v === null ? undefined : v;
}

function list(o: Json, camel: string): readonly unknown[] {
  const v = field(o, camel) ?? [];
  if (!Array.isArray(v)) throw bad(`${camel} must be an array`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw bad(`${where} must be a string`);
  return v;
}

function bytes(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v) || v.replace(/=+$/, '').length % 4 === 1) throw bad(`${where} must be base64`);
  return new Uint8Array(Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp (protobuf `Timestamp` JSON: 0–9 fractional digits).
 * @throws ERR_TRUST_ROOT_INVALID when malformed
 */
export function parseTimestamp(v: unknown, where: string): Date {
  const text = str(v, where);
  if (!RFC3339.test(text)) throw bad(`${where} ${JSON.stringify(text.slice(0, 40))} is not an RFC 3339 time`);
  // Date keeps milliseconds: truncate extra digits
  const date = new Date(text.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(date.getTime())) throw bad(`${where} ${JSON.stringify(text)} is not a valid time`);
  return date;
}

function parseValidity(v: unknown, where: string): ValidityPeriod | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v, where);
  const start = field(o, 'start');
  if (start === undefined) throw bad(`${where}.start is missing`);
  const end = field(o, 'end');
  return { start: parseTimestamp(start, `${where}.start`), ...(end === undefined ? {} : { end: parseTimestamp(end, `${where}.end`) }) };
}

function parseLog(v: unknown, where: string): TransparencyLogInstance {
  const o = obj(v, where);
  const key = obj(field(o, 'publicKey'), `${where}.publicKey`);
  const keyDetails = str(field(key, 'keyDetails') ?? 'PUBLIC_KEY_DETAILS_UNSPECIFIED', `${where}.publicKey.keyDetails`);
  const validFor = parseValidity(field(key, 'validFor'), `${where}.publicKey.validFor`);
  const checkpoint = field(o, 'checkpointKeyId');
  return {
    baseUrl: str(field(o, 'baseUrl') ?? '', `${where}.baseUrl`),
    spkiDer: bytes(field(key, 'rawBytes'), `${where}.publicKey.rawBytes`),
    algorithm: KEY_DETAILS[keyDetails] ?? null,
    keyDetails,
    logId: bytes(field(obj(field(o, 'logId'), `${where}.logId`), 'keyId'), `${where}.logId.keyId`),
    ...(checkpoint === undefined ? {} : { checkpointKeyId: bytes(field(obj(checkpoint, `${where}.checkpointKeyId`), 'keyId'), `${where}.checkpointKeyId.keyId`) }),
    ...(validFor ? { validFor } : {}),
  };
}

function parseAuthority(v: unknown, where: string): CertificateAuthority {
  const o = obj(v, where);
  const certs = list(obj(field(o, 'certChain'), `${where}.certChain`), 'certificates');
  if (certs.length === 0) throw bad(`${where}.certChain has no certificates`);
  const certChain = certs.map((c, i) => {
    const der = bytes(field(obj(c, `${where}.certChain[${i}]`), 'rawBytes'), `${where}.certChain[${i}].rawBytes`);
    try { return parseCertificate(der); } catch (cause) { throw new ConfigError('ERR_TRUST_ROOT_INVALID', `trusted root: ${where}.certChain[${i}] is not a certificate`, { cause }); }
  });
  const subject = field(o, 'subject');
  const validFor = parseValidity(field(o, 'validFor'), `${where}.validFor`);
  return {
    uri: str(field(o, 'uri') ?? '', `${where}.uri`),
    commonName: subject === undefined ? '' : str(field(obj(subject, `${where}.subject`), 'commonName') ?? '', `${where}.subject.commonName`),
    certChain,
    ...(validFor ? { validFor } : {}),
  };
}

/**
 * Parses trusted_root.json bytes.
 * @throws ERR_TRUST_ROOT_INVALID for bad JSON, an unknown media type, a validFor without start,
 * undecodable bytes or certificates
 */
export function parseTrustedRoot(data: Uint8Array): TrustedRoot {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(data)); } catch (cause) { throw new ConfigError('ERR_TRUST_ROOT_INVALID', 'trusted root is not valid json', { cause }); }
  return toTrustedRoot(json);
}

/**
 * Validates an already-decoded trusted root JSON value.
 * @throws ERR_TRUST_ROOT_INVALID as parseTrustedRoot
 */
export function toTrustedRoot(json: unknown): TrustedRoot {
  const o = obj(json, 'trusted root');
  const mediaType = str(field(o, 'mediaType'), 'mediaType');
  if (!MEDIA_TYPES.has(mediaType)) throw bad(`unsupported media type ${JSON.stringify(mediaType.slice(0, 100))}`);
  const root: TrustedRoot = {
    mediaType,
    tlogs: list(o, 'tlogs').map((v, i) => parseLog(v, `tlogs[${i}]`)),
    ctlogs: list(o, 'ctlogs').map((v, i) => parseLog(v, `ctlogs[${i}]`)),
    certificateAuthorities: list(o, 'certificateAuthorities').map((v, i) => parseAuthority(v, `certificateAuthorities[${i}]`)),
    timestampAuthorities: list(o, 'timestampAuthorities').map((v, i) => parseAuthority(v, `timestampAuthorities[${i}]`)),
  };
  // a snapshot of the source, taken after it parsed, so that it cannot change under the root
  SOURCES.set(root, JSON.stringify(json));
  return root;
}

// The JSON text each parsed root came from, so another thread can parse the very same root.
const SOURCES = new WeakMap<TrustedRoot, string>();

/**
 * The JSON text a root was parsed from (by parseTrustedRoot, toTrustedRoot or builtinTrustedRoot);
 * undefined for a root built by hand. parseTrustedRoot of it gives an equal root.
 */
export function trustedRootSourceOf(root: TrustedRoot): string | undefined {
  return SOURCES.get(root);
}

/** True when `time` lies in the closed interval (an absent period covers all time). */
export function isWithinValidity(period: ValidityPeriod | undefined, time: Date): boolean {
  if (period === undefined) return true;
  const t = time.getTime();
  return t >= period.start.getTime() && (period.end === undefined || t <= period.end.getTime());
}
