/**
 * A Rekor v1 client (sigstore/rekor openapi.yaml) over an injected fetch: a timeout per attempt,
 * retries with backoff on network errors, 429 and 5xx, and the one place where Rekor's
 * `{code,message}` error bodies and fetch failures become catalogue errors.
 */
import { ConflictError, InputError, NotFoundError, UpstreamError, type AppError } from '../../core/index.ts';
import {
  parseRekorConsistencyProof, parseRekorLogEntries, parseRekorLogInfo, type RekorLogEntry, type RekorLogInfo,
} from '../../bundle/index.ts';
import { parseJsonBody, sendJsonWithRetries, type JsonHttpDeps } from './json-request.ts';
import type { HttpResponse } from './fetch.ts';

/** What the client needs from the world. */
export interface RekorClientDeps extends JsonHttpDeps {
  /** the log's base URL, e.g. `https://rekor.sigstore.dev` */
  readonly baseUrl: string;
}

/** The result of an upload: the logged entry, and whether this upload created it. */
export interface RekorUpload {
  readonly entry: RekorLogEntry;
  readonly created: boolean;
}

/** A Rekor index search (`POST /api/v1/index/retrieve`); the server ORs the fields by default. */
export interface RekorSearchQuery {
  readonly hash?: string;
  readonly email?: string;
  /** base64 of a PEM public key or certificate */
  readonly publicKeyBase64?: string;
}

/** The Rekor v1 operations sigil uses. */
export interface RekorClient {
  readonly baseUrl: string;
  /** @throws ERR_TLOG_ENTRY_INVALID (400), ERR_HTTP_*, ERR_NETWORK; a 409 yields the existing entry */
  createEntry(proposed: unknown): Promise<RekorUpload>;
  /** @throws ERR_TLOG_ENTRY_NOT_FOUND (404), ERR_TLOG_ENTRY_ID_INVALID (400) */
  getEntryByUuid(uuid: string): Promise<RekorLogEntry>;
  /** @throws ERR_TLOG_ENTRY_NOT_FOUND (404) */
  getEntryByIndex(logIndex: number): Promise<RekorLogEntry>;
  /** the entry IDs or UUIDs matching the query. @throws ERR_TLOG_SEARCH_INVALID (400) */
  searchIndex(query: RekorSearchQuery): Promise<readonly string[]>;
  getLogInfo(): Promise<RekorLogInfo>;
  /** @throws ERR_TLOG_TREE_SIZE_INVALID (400) */
  getConsistencyProof(firstSize: number, lastSize: number): Promise<{ readonly rootHash: Uint8Array; readonly hashes: readonly Uint8Array[] }>;
  /** the log's public key, PEM */
  getPublicKey(): Promise<string>;
}

type BadRequestCode = 'ERR_TLOG_ENTRY_INVALID' | 'ERR_TLOG_ENTRY_ID_INVALID' | 'ERR_TLOG_SEARCH_INVALID' | 'ERR_TLOG_TREE_SIZE_INVALID';

interface RekorRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly badRequest?: BadRequestCode;
  /** statuses handed back instead of thrown */
  readonly accept?: readonly number[];
}

/** Creates a client for one log. */
export function createRekorClient(deps: RekorClientDeps): RekorClient {
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');
  const send = (request: RekorRequest): Promise<HttpResponse> => {
    const url = `${baseUrl}${request.path}`;
    return sendJsonWithRetries(deps, { ...request, url }, (status, text) => toRekorStatusError(request, url, status, text));
  };
  const json = async (request: RekorRequest): Promise<unknown> => parseJsonBody(await send(request), `${request.method} ${request.path}`);
  const single = async (path: string): Promise<RekorLogEntry> => {
    const entries = parseRekorLogEntries(await json({ method: 'GET', path, badRequest: 'ERR_TLOG_ENTRY_ID_INVALID' }));
    const first = entries[0];
    if (!first) throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `GET ${path} answered no entry`);
    return first;
  };
  return {
    baseUrl,
    createEntry: (proposed) => uploadEntry(send, single, baseUrl, proposed),
    getEntryByUuid: (uuid) => single(`/api/v1/log/entries/${encodeURIComponent(uuid)}`),
    getEntryByIndex: (logIndex) => single(`/api/v1/log/entries?logIndex=${logIndex}`),
    async searchIndex(query) {
      const body = {
        ...(query.hash === undefined ? {} : { hash: query.hash }),
        ...(query.email === undefined ? {} : { email: query.email }),
        ...(query.publicKeyBase64 === undefined ? {} : { publicKey: { format: 'x509', content: query.publicKeyBase64 } }),
      };
      return parseIdList(await json({ method: 'POST', path: '/api/v1/index/retrieve', body, badRequest: 'ERR_TLOG_SEARCH_INVALID' }));
    },
    getLogInfo: async () => parseRekorLogInfo(await json({ method: 'GET', path: '/api/v1/log' })),
    getConsistencyProof: async (firstSize, lastSize) =>
      parseRekorConsistencyProof(await json({ method: 'GET', path: `/api/v1/log/proof?firstSize=${firstSize}&lastSize=${lastSize}`, badRequest: 'ERR_TLOG_TREE_SIZE_INVALID' })),
    getPublicKey: async () => (await send({ method: 'GET', path: '/api/v1/log/publicKey' })).text(),
  };
}

/** POSTs the entry; on 409 fetches the existing entry the Location header names. */
async function uploadEntry(
  send: (request: RekorRequest) => Promise<HttpResponse>, single: (path: string) => Promise<RekorLogEntry>, baseUrl: string, proposed: unknown,
): Promise<RekorUpload> {
  const response = await send({ method: 'POST', path: '/api/v1/log/entries', body: proposed, badRequest: 'ERR_TLOG_ENTRY_INVALID', accept: [409] });
  if (response.status !== 409) {
    const entry = parseRekorLogEntries(await parseJsonBody(response, 'POST /api/v1/log/entries'))[0];
    if (!entry) throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', 'POST /api/v1/log/entries answered no entry');
    return { entry, created: true };
  }
  await response.body?.cancel().catch(() => undefined);
  // Rekor answers a duplicate with the existing entry's URL (openapi: 409 has a Location header)
  const id = /\/api\/v1\/log\/entries\/([0-9a-fA-F]{64,80})$/.exec(response.headers.get('location') ?? '')?.[1];
  if (!id) throw new ConflictError('ERR_TLOG_ENTRY_EXISTS', `an equivalent entry is already in the log at ${baseUrl}, which named no location`);
  return { entry: await single(`/api/v1/log/entries/${id.toLowerCase()}`), created: false };
}

function parseIdList(json: unknown): readonly string[] {
  if (!Array.isArray(json) || !json.every((id) => typeof id === 'string' && /^([0-9a-f]{16})?[0-9a-f]{64}$/.test(id))) {
    throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', 'index search must answer an array of entry ids');
  }
  return json as string[];
}

/** Rekor's error body is `{code, message}`; its message is quoted (cut short), never trusted further. */
function rekorMessage(bodyText: string): string {
  try {
    const json: unknown = JSON.parse(bodyText);
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string') return `: ${json.message.slice(0, 300)}`;
  } catch { /* not json: report the status alone */ }
  return '';
}

/** Maps a Rekor status (after retries) to the catalogue. */
export function toRekorStatusError(request: Pick<RekorRequest, 'method' | 'badRequest'>, url: string, status: number, bodyText: string): AppError {
  const where = `${request.method} ${url}`;
  const said = rekorMessage(bodyText);
  if (status === 404) return new NotFoundError('ERR_TLOG_ENTRY_NOT_FOUND', `${where} answered 404${said || ' not found'}`);
  if (status === 409) return new ConflictError('ERR_TLOG_ENTRY_EXISTS', `${where} answered 409${said}`);
  if ((status === 400 || status === 422) && request.badRequest) return new InputError(request.badRequest, `${where} answered ${status}${said}`);
  return new UpstreamError('ERR_HTTP_STATUS', `${where} answered ${status}${said}`, { details: { status } });
}

