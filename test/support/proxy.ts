// A loopback HTTP proxy in front of a real registry, for failure injection: answer some
// requests itself (429, 503, auth challenges), or rewrite forwarded bodies (corruption).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/** Hooks of a proxy. */
export interface ProxyOptions {
  /** the registry's base URL, e.g. http://127.0.0.1:5000 */
  readonly target: string;
  /** answer `req` instead of forwarding it; resolve true when answered */
  readonly intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** replace a forwarded response body (headers are fixed up); undefined keeps it */
  readonly rewrite?: (req: IncomingMessage, body: Buffer) => Buffer | undefined;
  /** edit a forwarded response's headers in place */
  readonly rewriteHeaders?: (headers: Record<string, string | string[] | undefined>) => void;
  /** headers to drop before forwarding (e.g. authorization the registry must not see) */
  readonly dropHeaders?: readonly string[];
}

/** A running proxy. */
export interface Proxy {
  readonly host: string;
  readonly url: string;
  /** every request seen, as `METHOD path` */
  readonly log: string[];
  stop(): Promise<void>;
}

/** Starts a proxy on a free 127.0.0.1 port. */
export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const target = new URL(options.target);
  const log: string[] = [];
  const server = createServer(async (req, res) => {
    log.push(`${req.method} ${req.url}`);
    if (options.intercept && (await options.intercept(req, res))) return;
    const headers = { ...req.headers };
    for (const h of options.dropHeaders ?? []) delete headers[h];
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const upHeaders = { ...up.headers };
      options.rewriteHeaders?.(upHeaders);
      if (!options.rewrite) { res.writeHead(up.statusCode ?? 502, upHeaders); up.pipe(res); return; }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const original = Buffer.concat(chunks);
        const body = options.rewrite?.(req, original) ?? original;
        const out = upHeaders;
        if (out['content-length'] !== undefined) out['content-length'] = String(body.byteLength);
        res.writeHead(up.statusCode ?? 502, out);
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, log,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
