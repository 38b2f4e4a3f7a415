/**
 * Adapts node:http to plain `Route` data: matching, streaming bodies, error mapping, draining.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { NotFoundError, UsageError } from '../core/index.ts';
import { toErrorResponse } from './respond.ts';
import type { ErrorDialect, HttpRequest, HttpResponse, Route } from './types.ts';

/** Options of the HTTP front. */
export interface HttpServerOptions {
  readonly routes: readonly Route[];
  /** the URL the services are known by; defaults to the listening URL */
  readonly baseUrl: () => string;
  /** dialect of the 404 for paths no route matches */
  readonly fallbackDialect?: ErrorDialect;
  /** called with every unexpected (5xx) error, for the operator's log */
  readonly onInternalError?: (error: unknown) => void;
  /** requests wait for this before routing (services still starting after the port is bound) */
  readonly ready?: Promise<void>;
  /** sees every request once its answer is sent (metrics) */
  readonly observer?: RequestObserver;
}

/** Watches answered requests; both calls must be cheap and must not throw. */
export interface RequestObserver {
  /** a monotonic time in seconds, read as a request arrives */
  now(): number;
  /** After the answer went out: the route that answered (undefined when none matched), its status, and `now()` at arrival. */
  answered(route: Route | undefined, method: string, status: number, startedSeconds: number): void;
}

interface Match { readonly route: Route; readonly params: Record<string, string> }

/** Finds the route for a method and path; `undefined` route with `allowed` when only the method differs. */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match | { readonly allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.methods.includes(method)) return { route, params: { ...(m.groups ?? {}) } };
    allowed.push(...route.methods);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

/** Creates a node:http server dispatching to `routes`. */
export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    void dispatch(options, req, res);
  });
  return server;
}

async function dispatch(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedSeconds = options.observer?.now() ?? 0;
  if (options.ready) await options.ready;
  const method = req.method ?? 'GET';
  // the raw path, not WHATWG-normalized: `/a/%2e%2e/b` must reach the routes as `/a/../b` so
  // that name validation refuses it rather than silently serving `/b`
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const url = { pathname: rawPath, searchParams: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
  let path: string;
  try { path = decodeURIComponent(rawPath); } catch { path = rawPath; }
  const found = matchRoute(options.routes, method, path);
  let dialect: ErrorDialect = options.fallbackDialect ?? 'plain';
  let response: HttpResponse;
  const controller = new AbortController();
  res.on('close', () => { if (!res.writableFinished) controller.abort(); });
  try {
    if (found === undefined) throw new NotFoundError('ERR_HTTP_ROUTE_UNKNOWN', `no route for ${method} ${url.pathname}`);
    if (!('route' in found)) {
      throw new UsageError('ERR_HTTP_METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; allowed: ${[...new Set(found.allowed)].join(', ')}`);
    }
    dialect = found.route.dialect;
    const request: HttpRequest = {
      method, path, query: url.searchParams, params: found.params,
      headers: req.headers as Record<string, string | undefined>,
      // node:http hands out every body chunk as a fresh copy of its own
      body: req, bodyChunksOwned: true, signal: controller.signal, baseUrl: options.baseUrl(),
    };
    response = await found.route.handle(request);
  } catch (error) {
    response = toErrorResponse(error, dialect);
    if (response.status >= 500) options.onInternalError?.(error);
  }
  if (!req.readableEnded && isLargeBody(req)) {
    // refuse to drain a large unread body (a 401 to an anonymous upload): close the connection
    response = { ...response, headers: { ...(response.headers ?? {}), connection: 'close' } };
    await send(res, method, response);
    observe(options, found, method, response.status, startedSeconds);
    return;
  }
  await send(res, method, response);
  observe(options, found, method, response.status, startedSeconds);
  // an unread request body would otherwise stall the keep-alive connection
  if (!req.readableEnded && !req.destroyed) req.resume();
}

function observe(options: HttpServerOptions, found: ReturnType<typeof matchRoute>, method: string, status: number, startedSeconds: number): void {
  options.observer?.answered(found !== undefined && 'route' in found ? found.route : undefined, method, status, startedSeconds);
}

/** Bodies above this are not drained after an answer that ignored them. */
const MAX_DRAIN_BYTES = 1024 * 1024;

function isLargeBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return req.headers['transfer-encoding'] !== undefined || !Number.isFinite(length) || length > MAX_DRAIN_BYTES;
}

async function send(res: ServerResponse, method: string, response: HttpResponse): Promise<void> {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  const body = response.body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    headers['content-length'] ??= String(bytes.byteLength);
    res.writeHead(response.status, headers);
    res.end(method === 'HEAD' ? undefined : bytes);
    return;
  }
  if (body === undefined || method === 'HEAD') {
    if (body === undefined && !('content-length' in headers) && response.status !== 204 && response.status !== 304) headers['content-length'] = '0';
    res.writeHead(response.status, headers);
    res.end();
    if (body !== undefined && Symbol.asyncIterator in body) closeIterable(body);
    return;
  }
  res.writeHead(response.status, headers);
  try {
    if (body instanceof Readable) await pipeline(body, res);
    else await writeIterable(res, body);
  } catch {
    res.destroy();
  }
}

/** Writes each chunk out (to the kernel) before asking for the next, so producers may reuse buffers. */
async function writeIterable(res: ServerResponse, body: AsyncIterable<Uint8Array>): Promise<void> {
  let closed = false;
  const onClose: (() => void)[] = [];
  res.once('close', () => { closed = true; for (const f of onClose.splice(0)) f(); });
  for await (const chunk of body) {
    if (closed || res.destroyed) throw new Error('client went away');
    await new Promise<void>((resolve, reject) => {
      // a write to a socket that dies may never call back: 'close' settles it too
      const gone = (): void => reject(new Error('client went away'));
      onClose.push(gone);
      res.write(chunk, (error) => {
        onClose.splice(onClose.indexOf(gone), 1);
        if (error) reject(error);
        else resolve();
      });
    });
  }
  await new Promise<void>((resolve) => res.end(resolve));
}

function closeIterable(body: AsyncIterable<Uint8Array>): void {
  const it = body[Symbol.asyncIterator]();
  void it.return?.();
}

/** Stops accepting connections, lets in-flight requests finish, then resolves. */
export async function drainServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
