/**
 * Notary Project signature envelopes (notaryproject/specifications, signature-envelope-jws.md and
 * signature-envelope-cose.md): the JWS JSON flattened serialization (`application/jose+json`) and
 * COSE_Sign1_Tagged (`application/cose`). Parsing only: what was signed, by which chain, when.
 */
import { decode as decodeCbor, encode as encodeCbor, Tag } from 'cbor2';
import { InputError, decodeUtf8, encodeUtf8 } from '../core/index.ts';

/** Envelope media types of Notary signatures. */
export const NOTARY_JWS = 'application/jose+json';
export const NOTARY_COSE = 'application/cose';
/** The payload content type both envelopes must carry. */
export const NOTARY_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json';

/** The descriptor a Notary signature covers. */
export interface NotaryTarget {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

/** A parsed envelope: everything verification and reports need. */
export interface NotaryEnvelope {
  readonly format: 'jws' | 'cose';
  /** JOSE name (`PS256`, `ES384`, …); COSE algorithm ids are mapped to these */
  readonly alg: string;
  readonly signingScheme: string;
  /** io.cncf.notary.signingTime (not authentic), else authenticSigningTime */
  readonly signingTime: Date | null;
  readonly expiry: Date | null;
  /** x5c / x5chain, leaf first */
  readonly certificatesDer: readonly Uint8Array[];
  readonly target: NotaryTarget;
  /** the exact bytes the signature covers */
  readonly signingInput: Uint8Array;
  /** raw signature (r||s for ECDSA) */
  readonly signature: Uint8Array;
  readonly hasTimestamp: boolean;
  /** critical header names the envelope lists that a plugin-less verifier cannot honour */
  readonly unsupportedCritical: readonly string[];
}

const PREFIX = 'io.cncf.notary.';
const KNOWN_CRITICAL = new Set([`${PREFIX}signingScheme`, `${PREFIX}expiry`, `${PREFIX}authenticSigningTime`]);
// COSE algorithm ids (RFC 9053 and RFC 8230) of the algorithms the Notary spec allows
const COSE_ALGS: Readonly<Record<number, string>> = { [-37]: 'PS256', [-38]: 'PS384', [-39]: 'PS512', [-7]: 'ES256', [-35]: 'ES384', [-36]: 'ES512' };

function malformed(message: string, cause?: unknown): InputError {
  return new InputError('ERR_SCAN_ENVELOPE_MALFORMED', message, cause === undefined ? {} : { cause });
}

function base64Url(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw malformed(`jws ${what} is not base64url`);
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try { value = JSON.parse(decodeUtf8(bytes)); } catch (cause) { throw malformed(`${what} is not json`, cause); }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`${what} is not a json object`);
  return value as Record<string, unknown>;
}

function parseTarget(payload: Uint8Array): NotaryTarget {
  const target = parseJsonObject(payload, 'notary payload')['targetArtifact'];
  if (typeof target !== 'object' || target === null) throw malformed('notary payload has no targetArtifact');
  const { mediaType, digest, size } = target as Record<string, unknown>;
  if (typeof mediaType !== 'string' || typeof digest !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size)) {
    throw malformed('notary targetArtifact needs mediaType, digest and size');
  }
  return { mediaType, digest, size };
}

function rfc3339(value: unknown, what: string): Date | null {
  if (value === undefined) return null;
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw malformed(`${what} is not an rfc 3339 time`);
  return date;
}

function criticalLeftovers(crit: readonly unknown[]): string[] {
  return crit.filter((c): c is string => typeof c === 'string' && !KNOWN_CRITICAL.has(c));
}

/**
 * Parses a JWS envelope (JSON flattened serialization).
 * @throws ERR_SCAN_ENVELOPE_MALFORMED
 */
export function parseJwsEnvelope(bytes: Uint8Array): NotaryEnvelope {
  const env = parseJsonObject(bytes, 'jws envelope');
  const extra = Object.keys(env).filter((k) => !['payload', 'protected', 'header', 'signature'].includes(k));
  if (extra.length > 0) throw malformed(`jws envelope has members outside the flattened serialization: ${extra.join(', ')}`);
  const protectedText = typeof env['protected'] === 'string' ? env['protected'] : '';
  const payloadText = typeof env['payload'] === 'string' ? env['payload'] : '';
  const header = parseJsonObject(base64Url(env['protected'], 'protected header'), 'jws protected header');
  const payload = base64Url(env['payload'], 'payload');
  const signature = base64Url(env['signature'], 'signature');
  const unprotected = env['header'];
  if (typeof unprotected !== 'object' || unprotected === null) throw malformed('jws envelope has no unprotected header');
  const x5c = (unprotected as Record<string, unknown>)['x5c'];
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.some((c) => typeof c !== 'string')) throw malformed('jws header x5c is missing or not an array of strings');
  if (header['cty'] !== NOTARY_PAYLOAD_TYPE) throw malformed(`jws cty is ${JSON.stringify(header['cty'])}, not ${NOTARY_PAYLOAD_TYPE}`);
  if (typeof header['alg'] !== 'string') throw malformed('jws protected header has no alg');
  const crit = Array.isArray(header['crit']) ? header['crit'] : [];
  return {
    format: 'jws', alg: header['alg'], signingScheme: String(header[`${PREFIX}signingScheme`] ?? ''),
    signingTime: rfc3339(header[`${PREFIX}signingTime`] ?? header[`${PREFIX}authenticSigningTime`], 'signing time'),
    expiry: rfc3339(header[`${PREFIX}expiry`], 'expiry'),
    certificatesDer: (x5c as string[]).map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
    target: parseTarget(payload),
    signingInput: encodeUtf8(`${protectedText}.${payloadText}`),
    signature,
    hasTimestamp: typeof (unprotected as Record<string, unknown>)[`${PREFIX}timestampSignature`] === 'string',
    unsupportedCritical: criticalLeftovers(crit),
  };
}

function coseTime(value: unknown, what: string): Date | null {
  if (value === undefined) return null;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  throw malformed(`cose ${what} is not a tag-1 epoch time`);
}

function coseMap(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw malformed(`cose ${what} is not a map`);
  return value;
}

// cbor2 encodes a Buffer (a Uint8Array subclass) through its toJSON, so byte strings are re-viewed as plain Uint8Arrays
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function coseChain(value: unknown): readonly Uint8Array[] {
  // RFC 9360: one certificate as a bstr, several as an array of bstr
  if (isBytes(value)) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(isBytes)) return value;
  throw malformed('cose x5chain (label 33) is missing or not bstr certificates');
}

/**
 * Parses a COSE_Sign1_Tagged envelope.
 * @throws ERR_SCAN_ENVELOPE_MALFORMED
 */
export function parseCoseEnvelope(bytes: Uint8Array): NotaryEnvelope {
  let message: unknown;
  try { message = decodeCbor(plain(bytes), { preferMap: true }); } catch (cause) { throw malformed('cose envelope is not cbor', cause); }
  if (!(message instanceof Tag) || Number(message.tag) !== 18 || !Array.isArray(message.contents) || message.contents.length !== 4) {
    throw malformed('cose envelope is not a COSE_Sign1_Tagged (tag 18, four members)');
  }
  const [protectedBytes, unprotectedValue, payload, signature] = message.contents as unknown[];
  if (!isBytes(protectedBytes) || !isBytes(payload) || !isBytes(signature)) throw malformed('cose protected header, payload and signature must be byte strings');
  let decoded: unknown;
  try { decoded = decodeCbor(protectedBytes, { preferMap: true }); } catch (cause) { throw malformed('cose protected header is not cbor', cause); }
  const header = coseMap(decoded, 'protected header');
  const unprotected = coseMap(unprotectedValue, 'unprotected header');
  const alg = COSE_ALGS[Number(header.get(1))];
  if (alg === undefined) throw malformed(`cose algorithm ${String(header.get(1))} is not one the notary specification allows`);
  if (header.get(3) !== NOTARY_PAYLOAD_TYPE) throw malformed(`cose content type is ${JSON.stringify(header.get(3))}, not ${NOTARY_PAYLOAD_TYPE}`);
  const crit = header.get(2);
  // RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]
  const signingInput = encodeCbor(['Signature1', plain(protectedBytes), new Uint8Array(0), plain(payload)]);
  return {
    format: 'cose', alg, signingScheme: String(header.get(`${PREFIX}signingScheme`) ?? ''),
    signingTime: coseTime(header.get(`${PREFIX}signingTime`) ?? header.get(`${PREFIX}authenticSigningTime`), 'signing time'),
    expiry: coseTime(header.get(`${PREFIX}expiry`), 'expiry'),
    certificatesDer: coseChain(unprotected.get(33) ?? header.get(33)),
    target: parseTarget(payload),
    signingInput, signature,
    hasTimestamp: isBytes(unprotected.get(`${PREFIX}timestampSignature`)),
    unsupportedCritical: criticalLeftovers(Array.isArray(crit) ? crit : []),
  };
}

/**
 * Parses an envelope by its layer media type.
 * @throws ERR_SCAN_ENVELOPE_MALFORMED, also for an unknown media type
 */
export function parseNotaryEnvelope(mediaType: string, bytes: Uint8Array): NotaryEnvelope {
  if (mediaType === NOTARY_JWS) return parseJwsEnvelope(bytes);
  if (mediaType === NOTARY_COSE) return parseCoseEnvelope(bytes);
  throw malformed(`notary signature layer has media type ${mediaType}, not ${NOTARY_JWS} or ${NOTARY_COSE}`);
}
