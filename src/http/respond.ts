/**
 * The only mapper from errors to HTTP answers, one body shape per API dialect.
 */
import { ERRORS, isAppError, type AppError, type ErrorSpec } from '../core/index.ts';
import type { ErrorDialect, HttpResponse } from './types.ts';

/** Turns any thrown value into a response in `dialect`; 5xx bodies never echo internal text. */
export function toErrorResponse(error: unknown, dialect: ErrorDialect): HttpResponse {
  const app: AppError | undefined = isAppError(error) ? error : undefined;
  const spec: ErrorSpec = app ? ERRORS[app.code] : ERRORS.ERR_INTERNAL;
  const status = spec.http;
  const message = app && status < 500 ? app.message : 'internal server error';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const retryAfter = app?.details?.['retryAfterSeconds'];
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  // Rekor answers a duplicate entry with 409 and the existing entry's URL
  const location = app?.details?.['location'];
  if (typeof location === 'string' && status < 500) headers['location'] = location;
  const challenge = app?.details?.['wwwAuthenticate'];
  if (typeof challenge === 'string') headers['www-authenticate'] = challenge;
  // extra headers an error needs on the wire (e.g. Location and Range with a registry 416)
  const extra = app && status < 500 ? app.details?.['headers'] : undefined;
  if (typeof extra === 'object' && extra !== null) {
    for (const [k, v] of Object.entries(extra)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  }
  // distribution-spec: every /v2 answer, errors too, names the API version
  if (dialect === 'oci') headers['docker-distribution-api-version'] = 'registry/2.0';
  return { status, headers, body: JSON.stringify(errorBody(dialect, status, app, message, spec.oci)) };
}

function errorBody(dialect: ErrorDialect, status: number, app: AppError | undefined, message: string, oci: string | undefined): unknown {
  switch (dialect) {
    case 'oci':
      // distribution-spec: {"errors":[{"code","message","detail"}]}
      return { errors: [{ code: oci ?? (status >= 500 ? 'UNKNOWN' : 'UNSUPPORTED'), message, detail: app && status < 500 ? { code: app.code } : {} }] };
    case 'rekor':
      // Rekor v1 error: {"code": <http status>, "message": "..."}
      return { code: status, message };
    case 'fulcio':
      // grpc-gateway's status body: the gRPC code the HTTP status maps back to, and no details
      return { code: grpcCodeOf(status), message, details: [] };
    case 'oauth': {
      // RFC 6749 §5.2 (and RFC 8628 §3.5): {"error","error_description"}; the OAuth error name
      // comes from the error's details, else from its status
      const named = app && status < 500 ? app.details?.['oauthError'] : undefined;
      const error = typeof named === 'string' ? named : status >= 500 ? 'server_error' : status === 401 ? 'invalid_client' : 'invalid_request';
      return { error, error_description: message };
    }
    case 'plain':
      return { code: app?.code ?? 'ERR_INTERNAL', message };
  }
}

// grpc-gateway's HTTPStatusFromCode, read backwards (google.golang.org/grpc/codes)
const GRPC_CODES: Readonly<Record<number, number>> = {
  400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 409: 6, 412: 9, 413: 3, 415: 3, 416: 11, 429: 8, 499: 1, 501: 12, 503: 14, 504: 4,
};

function grpcCodeOf(status: number): number {
  return GRPC_CODES[status] ?? (status >= 500 ? 13 : 2);
}
