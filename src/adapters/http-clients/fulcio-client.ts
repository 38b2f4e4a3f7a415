/**
 * A Fulcio v2 client (sigstore/fulcio `fulcio.proto`, grpc-gateway JSON) over an injected fetch:
 * `POST /api/v2/signingCert` with a public key and proof of possession or a CSR, and
 * `GET /api/v2/trustBundle`. A timeout per attempt, retries with backoff on network errors, 429
 * and 5xx, and the one place where Fulcio's `{code,message,details}` error bodies become
 * catalogue errors.
 */
import {
  InputError, AuthError, UpstreamError, decodePem, encodeBase64, encodeUtf8, isAppError,
  type AppError, type Sleep,
} from '../../core/index.ts';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from '../../oci/index.ts';
import type { CertificateAuthority, CertificateRequest, IssuedCertificate } from '../../sign/ports.ts';
import { isTransientNetworkError, toFetchError } from '../registry-client/errors.ts';

/** What the client needs from the world. */
export interface FulcioClientDeps {
  readonly fetch: typeof globalThis.fetch;
  /** the CA's base URL, e.g. `https://fulcio.sigstore.dev` */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly sleep: Sleep;
  readonly now: () => Date;
  /** a number in [0, 1) per call */
  readonly jitter: () => number;
  readonly retryPolicy?: RetryPolicy;
}

/** Creates a client for one certificate authority. */
export function createFulcioClient(deps: FulcioClientDeps): CertificateAuthority {
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');
  return {
    baseUrl,
    async requestCertificate(identityToken, request) {
      const url = `${baseUrl}/api/v2/signingCert`;
      const response = await sendWithRetries({ ...deps, baseUrl }, 'POST', url, encodeSigningCertRequest(identityToken, request));
      return parseSigningCertificate(await parseJsonBody(response, `POST ${url}`));
    },
    async getTrustBundle() {
      const url = `${baseUrl}/api/v2/trustBundle`;
      return parseTrustBundle(await parseJsonBody(await sendWithRetries({ ...deps, baseUrl }, 'GET', url), `GET ${url}`));
    },
  };
}

/** The `CreateSigningCertificateRequest` JSON body. */
export function encodeSigningCertRequest(identityToken: string, request: CertificateRequest): unknown {
  const credentials = { oidcIdentityToken: identityToken };
  if (request.kind === 'csr') return { credentials, certificateSigningRequest: encodeBase64(encodeUtf8(request.csrPem)) };
  return {
    credentials,
    publicKeyRequest: {
      publicKey: { algorithm: 'ECDSA', content: request.publicKeyPem },
      proofOfPossession: encodeBase64(request.proofOfPossession),
    },
  };
}

function bad(message: string): UpstreamError {
  return new UpstreamError('ERR_HTTP_RESPONSE_INVALID', message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseChain(value: unknown, where: string): string[] {
  const certificates = isRecord(value) && isRecord(value['chain']) ? value['chain']['certificates'] : undefined;
  if (!Array.isArray(certificates) || certificates.length === 0) throw bad(`${where}.chain.certificates must be a non-empty array`);
  return certificates.map((c, i) => {
    if (typeof c !== 'string') throw bad(`${where}.chain.certificates[${i}] must be a string`);
    let blocks: ReturnType<typeof decodePem>;
    try { blocks = decodePem(c); } catch { throw bad(`${where}.chain.certificates[${i}] is not pem`); }
    if (blocks.length !== 1 || blocks[0]?.label !== 'CERTIFICATE') throw bad(`${where}.chain.certificates[${i}] must be one pem CERTIFICATE`);
    return c.endsWith('\n') ? c : `${c}\n`;
  });
}

/**
 * Parses a `SigningCertificate`: the embedded-SCT form, or the detached form (chain plus an
 * optional base64 SCT). @throws ERR_HTTP_RESPONSE_INVALID
 */
export function parseSigningCertificate(json: unknown): IssuedCertificate {
  if (!isRecord(json)) throw bad('signingCert answer must be a json object');
  const embedded = json['signedCertificateEmbeddedSct'];
  if (embedded !== undefined) return { chainPem: parseChain(embedded, 'signedCertificateEmbeddedSct'), sctEmbedded: true };
  const detached = json['signedCertificateDetachedSct'];
  if (detached === undefined) throw bad('signingCert answer has neither signedCertificateEmbeddedSct nor signedCertificateDetachedSct');
  const chainPem = parseChain(detached, 'signedCertificateDetachedSct');
  const sct = isRecord(detached) ? detached['signedCertificateTimestamp'] : undefined;
  if (sct !== undefined && typeof sct !== 'string') throw bad('signedCertificateDetachedSct.signedCertificateTimestamp must be a string');
  return { chainPem, sctEmbedded: false, ...(sct ? { detachedSctBase64: sct } : {}) };
}

/** Parses a `TrustBundle`: `{chains:[{certificates:[pem…]}]}`. @throws ERR_HTTP_RESPONSE_INVALID */
export function parseTrustBundle(json: unknown): readonly (readonly string[])[] {
  const chains = isRecord(json) ? json['chains'] : undefined;
  if (!Array.isArray(chains)) throw bad('trustBundle answer must have a chains array');
  return chains.map((c, i) => parseChain({ chain: c }, `chains[${i}]`));
}

async function parseJsonBody(response: Response, where: string): Promise<unknown> {
  const text = await response.text();
  try { return JSON.parse(text) as unknown; } catch (cause) {
    throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `${where} answered a body that is not json`, { cause });
  }
}

async function attempt(deps: FulcioClientDeps, method: 'GET' | 'POST', url: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, signal: AbortSignal.timeout(deps.timeoutMs) };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = encodeUtf8(JSON.stringify(body));
  }
  try { return await deps.fetch(url, init); } catch (error) { throw toFetchError(method, url, error); }
}

/** Retries transient failures; maps the final non-success status to a catalogue error. */
async function sendWithRetries(deps: FulcioClientDeps, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Response> {
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  for (let failures = 1; ; failures += 1) {
    let response: Response | undefined;
    let failure: AppError | undefined;
    try { response = await attempt(deps, method, url, body); } catch (error) {
      if (!isAppError(error) || !isTransientNetworkError(error)) throw error;
      failure = error;
    }
    if (response?.ok) return response;
    if (response && !isRetryableStatus(response.status)) throw toFulcioStatusError(method, url, response.status, await response.text().catch(() => ''));
    const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after'), deps.now().getTime()) : undefined;
    const delay = retryDelayMs(policy, failures, retryAfter, deps.jitter());
    if (delay === undefined) {
      if (response) throw toFulcioStatusError(method, url, response.status, await response.text().catch(() => ''));
      throw failure;
    }
    await response?.body?.cancel().catch(() => undefined);
    await deps.sleep(delay);
  }
}

/** Fulcio's fixed messages (pkg/server/error.go) and the code each one means. */
type FulcioCode = 'ERR_FULCIO_TOKEN_REJECTED' | 'ERR_FULCIO_KEY_REJECTED' | 'ERR_FULCIO_CSR_REJECTED' | 'ERR_FULCIO_PROOF_REJECTED';
const FULCIO_MESSAGES: readonly [string, FulcioCode][] = [
  ['error processing the identity token', 'ERR_FULCIO_TOKEN_REJECTED'],
  ['public key supplied in the request', 'ERR_FULCIO_KEY_REJECTED'],
  ['certificate signing request could not be parsed', 'ERR_FULCIO_CSR_REJECTED'],
  ['signature supplied in the request could not be verified', 'ERR_FULCIO_PROOF_REJECTED'],
];

/** The `message` of a grpc-gateway status body, cut short; empty when there is none. */
function fulcioMessage(bodyText: string): string {
  try {
    const json: unknown = JSON.parse(bodyText);
    if (isRecord(json) && typeof json['message'] === 'string') return json['message'].slice(0, 300);
  } catch { /* not json: report the status alone */ }
  return '';
}

/** Maps a Fulcio status (after retries) and its body to the catalogue. */
export function toFulcioStatusError(method: string, url: string, status: number, bodyText: string): AppError {
  const message = fulcioMessage(bodyText);
  const said = `${method} ${url} answered ${status}${message ? `: ${message}` : ''}`;
  if (status >= 400 && status < 500) {
    const known = FULCIO_MESSAGES.find(([m]) => message.includes(m))?.[1];
    if (known === 'ERR_FULCIO_TOKEN_REJECTED' || (!known && (status === 401 || status === 403))) return new AuthError('ERR_FULCIO_TOKEN_REJECTED', said);
    return new InputError(known ?? 'ERR_FULCIO_REQUEST_REJECTED', said);
  }
  return new UpstreamError('ERR_HTTP_STATUS', said, { details: { status } });
}
