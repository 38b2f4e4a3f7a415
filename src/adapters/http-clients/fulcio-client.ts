/**
 * A Fulcio v2 client (sigstore/fulcio `fulcio.proto`, grpc-gateway JSON) over an injected fetch:
 * `POST /api/v2/signingCert` with a public key and proof of possession or a CSR, and
 * `GET /api/v2/trustBundle`. A timeout per attempt, retries with backoff on network errors, 429
 * and 5xx, and the one place where Fulcio's `{code,message,details}` error bodies become
 * catalogue errors.
 */
import { InputError, AuthError, UpstreamError, decodePem, encodeBase64, encodeUtf8, type AppError } from '../../core/index.ts';
import type { CertificateAuthority, CertificateRequest, IssuedCertificate } from '../../sign/ports.ts';
import { parseJsonBody, sendJsonWithRetries, type JsonHttpDeps } from './json-request.ts';

/** What the client needs from the world. */
export interface FulcioClientDeps extends JsonHttpDeps {
  /** the CA's base URL, e.g. `https://fulcio.sigstore.dev` */
  readonly baseUrl: string;
}

/** Creates a client for one certificate authority. */
export function createFulcioClient(deps: FulcioClientDeps): CertificateAuthority {
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');
  return {
    baseUrl,
    async requestCertificate(identityToken, request) {
      const url = `${baseUrl}/api/v2/signingCert`;
      const response = await sendJsonWithRetries(deps, { method: 'POST', url, body: encodeSigningCertRequest(identityToken, request) }, (status, text) => toFulcioStatusError('POST', url, status, text));
      return parseSigningCertificate(await parseJsonBody(response, `POST ${url}`));
    },
    async getTrustBundle() {
      const url = `${baseUrl}/api/v2/trustBundle`;
      return parseTrustBundle(await parseJsonBody(await sendJsonWithRetries(deps, { method: 'GET', url }, (status, text) => toFulcioStatusError('GET', url, status, text)), `GET ${url}`));
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
