/**
 * The loopback redirect listener of a native-app login (RFC 8252 §7.3): an HTTP server on
 * 127.0.0.1 that waits for the one authorization response on its callback path.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../../core/index.ts';

/** A listening callback endpoint. */
export interface LoopbackListener {
  /**
   * `http://localhost:<port>/auth/callback`: the name public issuers register for native
   * clients (Sigstore's Dex allows `localhost` with any port for the `sigstore` client, as cosign uses)
   */
  readonly redirectUri: string;
  /** The query of the first request to the callback path (later ones get a 400). */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<URLSearchParams>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p id="message">${text}</p></body></html>`;

/** Starts the listener on 127.0.0.1 (`port` 0 picks one). */
export async function startLoopbackListener(port = 0): Promise<LoopbackListener> {
  let deliver: (q: URLSearchParams) => void = () => undefined;
  const arrived = new Promise<URLSearchParams>((resolve) => { deliver = resolve; });
  let done = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/auth/callback' || done) {
      res.writeHead(done ? 400 : 404, { 'content-type': 'text/plain' }).end(done ? 'login already completed\n' : 'not found\n');
      return;
    }
    done = true;
    const failed = url.searchParams.has('error');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
      .end(failed ? PAGE('Login failed', 'The issuer refused the login. You can close this window.') : PAGE('Login complete', 'sigil received the login. You can close this window.'));
    deliver(url.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://localhost:${bound}/auth/callback`,
    wait(timeoutMs, signal) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new AuthError('ERR_OIDC_LOGIN_FAILED', `no login arrived within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new AuthError('ERR_OIDC_LOGIN_FAILED', 'the login was interrupted')); }, { once: true });
        void arrived.then((q) => { clearTimeout(timer); resolve(q); });
      });
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
