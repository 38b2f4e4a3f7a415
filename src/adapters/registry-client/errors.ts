/**
 * The registry client's one error boundary: HTTP statuses and fetch failures become catalogue
 * errors here, exactly once, with the registry's own error code and message in the text.
 */
import {
  AuthError, InputError, NotFoundError, UpstreamError, isAppError,
  type AppError, type ErrorCode,
} from '../../core/index.ts';
import { formatRegistryErrors, parseRegistryErrors } from '../../oci/index.ts';
import { redactUrl } from './urls.ts';

/** Which not-found code a 404 of this request means. */
export type NotFoundCode = Extract<ErrorCode, 'ERR_OCI_MANIFEST_UNKNOWN' | 'ERR_OCI_BLOB_UNKNOWN' | 'ERR_OCI_NAME_UNKNOWN' | 'ERR_OCI_UPLOAD_UNKNOWN'>;

const INPUT_CODES: Readonly<Record<string, 'ERR_OCI_MANIFEST_BLOB_UNKNOWN' | 'ERR_OCI_MANIFEST_INVALID' | 'ERR_OCI_DIGEST_INVALID' | 'ERR_OCI_NAME_INVALID' | 'ERR_OCI_TAG_INVALID' | 'ERR_OCI_SIZE_INVALID'>> = {
  MANIFEST_BLOB_UNKNOWN: 'ERR_OCI_MANIFEST_BLOB_UNKNOWN',
  MANIFEST_INVALID: 'ERR_OCI_MANIFEST_INVALID',
  DIGEST_INVALID: 'ERR_OCI_DIGEST_INVALID',
  NAME_INVALID: 'ERR_OCI_NAME_INVALID',
  TAG_INVALID: 'ERR_OCI_TAG_INVALID',
  SIZE_INVALID: 'ERR_OCI_SIZE_INVALID',
};

/** Maps a non-success status (after retries) to a catalogue error. */
export function toStatusError(method: string, url: string, status: number, bodyText: string, notFound: NotFoundCode): AppError {
  const entries = parseRegistryErrors(bodyText);
  const said = formatRegistryErrors(entries);
  const where = `${method} ${redactUrl(url)}`;
  const suffix = said ? `: ${said}` : '';
  if (status === 401) return new AuthError('ERR_OCI_UNAUTHORIZED', `${where} answered 401 unauthorized${suffix}; log in or check the credentials`);
  if (status === 403) return new AuthError('ERR_OCI_DENIED', `${where} answered 403 denied${suffix}`);
  // the request decides the code: a manifest in a missing repository is a missing image too
  if (status === 404) return new NotFoundError(notFound, `${where} answered 404${suffix || ' not found'}`);
  if (status === 429) return new UpstreamError('ERR_OCI_TOO_MANY_REQUESTS', `${where} kept answering 429 too many requests${suffix}`);
  const input = status === 400 ? entries.map((e) => INPUT_CODES[e.code]).find((c) => c !== undefined) : undefined;
  if (input) return new InputError(input, `${where} answered ${status}${suffix}`);
  return new UpstreamError('ERR_HTTP_STATUS', `${where} answered ${status}${suffix}`, { details: { status } });
}

function causeCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e instanceof Error; i += 1) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

/** True for connection failures worth retrying (a reset, not an unknown host or a refusal). */
export function isTransientNetworkError(error: unknown): boolean {
  if (isAppError(error)) return error.code === 'ERR_NETWORK' && error.details?.['transient'] === true;
  return false;
}

/** Maps a fetch rejection to ERR_HTTP_TIMEOUT or ERR_NETWORK; AppErrors pass through. */
export function toFetchError(method: string, url: string, error: unknown): AppError {
  if (isAppError(error)) return error;
  const where = `${method} ${redactUrl(url)}`;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new UpstreamError('ERR_HTTP_TIMEOUT', `${where} timed out`, { cause: error });
  const code = causeCode(error) ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new UpstreamError('ERR_NETWORK', `${where} failed: unknown host`, { cause: error });
  if (code === 'ECONNREFUSED') return new UpstreamError('ERR_NETWORK', `${where} failed: connection refused`, { cause: error });
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code)) {
    const message = `${where} failed: tls certificate ${code.toLowerCase()} (--allow-insecure-registry accepts a self-signed registry)`;
    return new UpstreamError('ERR_NETWORK', message, { cause: error, details: { tls: 'certificate' } });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('ERR_NETWORK', `${where} failed: ${code ? `${code.toLowerCase()} ` : ''}${message}`, { cause: error, details: { transient: true } });
}
