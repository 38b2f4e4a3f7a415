/**
 * Fulcio's request bodies, from untrusted JSON: v2 `CreateSigningCertificateRequest`
 * (protobuf JSON: lowerCamelCase or the proto's snake_case names, bytes as base64) and the
 * legacy v1 body. The token comes from the body's credentials or `Authorization: Bearer`.
 */
import { decodeBase64, decodeUtf8, encodeUtf8, InputError, AuthError } from '../core/index.ts';
import type { KeyRequest } from './service.ts';

/** A parsed request: the raw token and the key part. */
export interface SigningRequest {
  readonly token: string;
  readonly key: KeyRequest;
}

type Json = Readonly<Record<string, unknown>>;

function invalid(message: string): InputError {
  return new InputError('ERR_CA_REQUEST_INVALID', message);
}

/** A field by its JSON name or its proto (snake_case) name. */
function field(o: Json, camel: string): unknown {
  return camel in o ? o[camel] : o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function object(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${where} must be an object`);
  return v as Json;
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string') throw invalid(`${where} must be a string`);
  return v;
}

function bytes(v: unknown, where: string): Uint8Array {
  // protobuf JSON accepts standard or URL-safe base64, padded or not
  const s = text(v, where).replace(/-/g, '+').replace(/_/g, '/');
  const padded = s + '='.repeat((4 - (s.length % 4)) % 4);
  return decodeBase64(padded, () => invalid(`${where} is not base64`));
}

function parseBody(body: Uint8Array): Json {
  let json: unknown;
  try {
    json = JSON.parse(decodeUtf8(body));
  } catch {
    throw invalid('the request body is not valid json');
  }
  return object(json, 'the request body');
}

function bearer(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

function requireToken(token: string | undefined): string {
  if (token === undefined || token === '') throw new AuthError('ERR_CA_TOKEN_MISSING', 'There was an error processing the identity token: the request carries no OIDC identity token');
  return token;
}

/**
 * Parses a v2 signingCert body.
 * @throws ERR_CA_REQUEST_INVALID, ERR_CA_TOKEN_MISSING
 */
export function parseV2Request(body: Uint8Array, authorization: string | undefined): SigningRequest {
  const o = parseBody(body);
  const credentials = field(o, 'credentials');
  const fromBody = credentials === undefined || credentials === null ? undefined : field(object(credentials, 'credentials'), 'oidcIdentityToken');
  const token = requireToken(fromBody === undefined || fromBody === null ? bearer(authorization) : text(fromBody, 'credentials.oidcIdentityToken'));
  const publicKeyRequest = field(o, 'publicKeyRequest');
  const csr = field(o, 'certificateSigningRequest');
  if (publicKeyRequest !== undefined && publicKeyRequest !== null) {
    const pkr = object(publicKeyRequest, 'publicKeyRequest');
    const publicKey = object(field(pkr, 'publicKey'), 'publicKeyRequest.publicKey');
    return {
      token,
      key: {
        kind: 'public-key',
        content: encodeUtf8(text(field(publicKey, 'content'), 'publicKeyRequest.publicKey.content')),
        proofOfPossession: bytes(field(pkr, 'proofOfPossession'), 'publicKeyRequest.proofOfPossession'),
      },
    };
  }
  if (csr !== undefined && csr !== null) return { token, key: { kind: 'csr', pem: decodeUtf8(bytes(csr, 'certificateSigningRequest')) } };
  throw invalid('the request has neither publicKeyRequest nor certificateSigningRequest');
}

/**
 * Parses a legacy v1 signingCert body (token only from `Authorization: Bearer`).
 * @throws ERR_CA_REQUEST_INVALID, ERR_CA_TOKEN_MISSING
 */
export function parseV1Request(body: Uint8Array, authorization: string | undefined): SigningRequest {
  const o = parseBody(body);
  const token = requireToken(bearer(authorization));
  const csr = field(o, 'certificateSigningRequest');
  if (csr !== undefined && csr !== null) return { token, key: { kind: 'csr', pem: decodeUtf8(bytes(csr, 'certificateSigningRequest')) } };
  const publicKey = object(field(o, 'publicKey'), 'publicKey');
  return {
    token,
    key: {
      kind: 'public-key',
      content: bytes(field(publicKey, 'content'), 'publicKey.content'),
      proofOfPossession: bytes(field(o, 'signedEmailAddress'), 'signedEmailAddress'),
    },
  };
}
