/**
 * The Rekor v1 REST API as plain route data (rekor openapi.yaml; research §2.1, §2.2). Errors
 * use Rekor's `{"code","message"}` body through the 'rekor' dialect; a missing entry on a GET is
 * a 404 with an empty body, as upstream answers.
 */
import { collectBytes, ConflictError, decodeUtf8, InputError, isAppError } from '../core/index.ts';
import type { LogRequest as HttpRequest, LogResponse as HttpResponse, LogRoute as Route } from './route-types.ts';
import { parseProposedEntry } from './entries/proposed-entry.ts';
import type { KeyParser } from './entries/verifier-key.ts';
import type { CanonicalEntry } from './entries/types.ts';
import { parseEntryReference, parseLogIndex } from './identifiers.ts';
import type { LogApi } from './log-api.ts';
import { parseSearchQuery } from './search.ts';

/** What the routes need besides the operations. */
export interface LogRouteOptions {
  readonly api: LogApi;
  readonly treeId: bigint;
  readonly publicKeyPem: string;
  readonly maxBodyBytes: number;
  /** reads the keys of proposed entries (a caching parser) */
  readonly parseKey: KeyParser;
  /** canonicalizes a proposed entry elsewhere (worker threads); default: here, with parseKey */
  readonly parseEntry?: (bytes: Uint8Array) => Promise<CanonicalEntry>;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const MAX_RETRIEVE = 10;

function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  // go-swagger's JSON producer ends the body with a newline
  return { status, headers: { ...JSON_TYPE, ...headers }, body: `${JSON.stringify(value)}\n` };
}

const NOT_FOUND: HttpResponse = { status: 404 };

async function readBody(req: HttpRequest, limit: number): Promise<Uint8Array> {
  return collectBytes(req.body, limit, (n) => new InputError('ERR_HTTP_BODY_TOO_LARGE', `the request body is larger than the ${n} bytes this log accepts`));
}

async function readJson(req: HttpRequest, limit: number, code: 'ERR_TLOG_SEARCH_INVALID' | 'ERR_TLOG_ENTRY_INVALID'): Promise<unknown> {
  const bytes = await readBody(req, limit);
  try {
    return JSON.parse(decodeUtf8(bytes));
  } catch {
    throw new InputError(code, 'the request body is not valid json');
  }
}

function entryUrl(req: HttpRequest, entryId: string): string {
  return `${req.baseUrl}/api/v1/log/entries/${entryId}`;
}

function checkTreeId(req: HttpRequest, treeId: bigint): void {
  const asked = req.query.get('treeID');
  if (asked !== null && asked !== treeId.toString()) {
    throw new InputError('ERR_TLOG_TREE_SIZE_INVALID', `unknown treeID ${JSON.stringify(asked.slice(0, 40))}; this log serves tree ${treeId}`);
  }
}

function sizeParam(req: HttpRequest, name: string, fallback?: number): number {
  const text = req.query.get(name);
  if (text === null && fallback !== undefined) return fallback;
  if (text === null || !/^(0|[1-9][0-9]{0,15})$/.test(text)) {
    throw new InputError('ERR_TLOG_TREE_SIZE_INVALID', `${name} in query ${text === null ? 'is required' : 'must be a non-negative integer'}`);
  }
  return Number(text);
}

async function createEntry(opts: LogRouteOptions, req: HttpRequest): Promise<HttpResponse> {
  const bytes = await readBody(req, opts.maxBodyBytes);
  const entry = opts.parseEntry ? await opts.parseEntry(bytes) : parseProposedEntry(bytes, opts.parseKey);
  try {
    const created = await opts.api.createEntry(entry);
    return json(201, created.entry, { etag: created.entryId, location: entryUrl(req, created.entryId) });
  } catch (error) {
    const entryId = isAppError(error) && error.code === 'ERR_TLOG_ENTRY_EXISTS' ? error.details?.['entryId'] : undefined;
    if (typeof entryId !== 'string') throw error;
    throw new ConflictError('ERR_TLOG_ENTRY_EXISTS', error instanceof Error ? error.message : 'entry exists', { details: { entryId, location: entryUrl(req, entryId) } });
  }
}

async function retrieve(opts: LogRouteOptions, req: HttpRequest): Promise<HttpResponse> {
  const body = await readJson(req, opts.maxBodyBytes, 'ERR_TLOG_ENTRY_INVALID');
  const list = (name: string): readonly unknown[] => {
    const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new InputError('ERR_TLOG_ENTRY_ID_INVALID', `${name} must be an array`);
    return v;
  };
  const uuids = list('entryUUIDs');
  const indexes = list('logIndexes');
  const entries = list('entries');
  if (uuids.length + indexes.length + entries.length > MAX_RETRIEVE) {
    throw new InputError('ERR_TLOG_TOO_MANY_ENTRIES', `more than max allowed ${MAX_RETRIEVE} entries in request`);
  }
  const refs = [
    ...uuids.map((u) => parseEntryReference(typeof u === 'string' ? u : '', opts.treeId)),
    ...indexes.map((i) => ({ by: 'index', index: parseLogIndex(i) }) as const),
  ];
  const found = await Promise.all(refs.map((r) => opts.api.getEntry(r)));
  return json(200, [...found.flatMap((f) => (f ? [f] : [])), ...(await opts.api.findProposed(entries))]);
}

/** The Rekor v1 routes of the log. */
export function createLogRoutes(opts: LogRouteOptions): Route[] {
  const route = (methods: string[], pattern: RegExp, handle: (req: HttpRequest) => Promise<HttpResponse>): Route => ({ methods, pattern, dialect: 'rekor', handle });
  return [
    route(['POST'], /^\/api\/v1\/log\/entries\/retrieve\/?$/, (req) => retrieve(opts, req)),
    route(['POST'], /^\/api\/v1\/log\/entries\/?$/, (req) => createEntry(opts, req)),
    route(['GET'], /^\/api\/v1\/log\/entries\/?$/, async (req) => {
      const entry = await opts.api.getEntry({ by: 'index', index: parseLogIndex(req.query.get('logIndex') ?? '') });
      return entry ? json(200, entry) : NOT_FOUND;
    }),
    route(['GET'], /^\/api\/v1\/log\/entries\/(?<id>[^/]+)\/?$/, async (req) => {
      const entry = await opts.api.getEntry(parseEntryReference(req.params['id'] ?? '', opts.treeId));
      return entry ? json(200, entry) : NOT_FOUND;
    }),
    route(['POST'], /^\/api\/v1\/index\/retrieve\/?$/, async (req) => {
      return json(200, await opts.api.search(parseSearchQuery(await readJson(req, opts.maxBodyBytes, 'ERR_TLOG_SEARCH_INVALID'))));
    }),
    route(['GET'], /^\/api\/v1\/log\/?$/, async () => json(200, await opts.api.logInfo())),
    route(['GET'], /^\/api\/v1\/log\/proof\/?$/, async (req) => {
      checkTreeId(req, opts.treeId);
      return json(200, await opts.api.consistencyProof(sizeParam(req, 'firstSize', 1), sizeParam(req, 'lastSize')));
    }),
    route(['GET'], /^\/api\/v1\/log\/publicKey\/?$/, async (req) => {
      checkTreeId(req, opts.treeId);
      return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: opts.publicKeyPem };
    }),
  ];
}
