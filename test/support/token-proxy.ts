// A Bearer-token front for a real registry: answers 401 with a `Bearer realm,service,scope`
// challenge, serves a token endpoint that checks basic credentials, and forwards requests
// carrying a valid token (without the Authorization header) to the registry behind it.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { startProxy, type Proxy } from './proxy.ts';

/** A token proxy and what its token endpoint saw. */
export interface TokenProxy extends Proxy {
  /** each token request's scopes and whether it carried valid basic credentials */
  readonly tokenRequests: { scopes: string[]; authenticated: boolean; method: string }[];
}

function scopeFor(req: IncomingMessage): string {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/v2/_catalog') return 'registry:catalog:*';
  const m = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(path);
  const action = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push';
  return m ? `repository:${m[1]}:${action}` : '';
}

/** Starts the front; `field` picks `token` or `access_token` in the answer. */
export async function startTokenProxy(target: string, user: { username: string; password: string }, field: 'token' | 'access_token' = 'token', identityToken?: string): Promise<TokenProxy> {
  const tokens = new Map<string, string[]>();
  const tokenRequests: TokenProxy['tokenRequests'] = [];
  let self = '';
  const proxy = await startProxy({
    target,
    dropHeaders: ['authorization'],
    intercept: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/token') {
        const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
        // OAuth2 refresh-token grant (docker's identity tokens) arrives as a form POST
        const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined;
        const refreshed = form !== undefined && form.get('grant_type') === 'refresh_token' && identityToken !== undefined && form.get('refresh_token') === identityToken;
        if (form && !refreshed) { res.writeHead(401); res.end(); return true; }
        const authenticated = refreshed || req.headers.authorization === expected;
        const scopes = form ? form.getAll('scope') : url.searchParams.getAll('scope');
        tokenRequests.push({ scopes, authenticated, method: req.method ?? '' });
        if (req.headers.authorization && !authenticated) { res.writeHead(401); res.end(); return true; }
        const token = randomBytes(16).toString('hex');
        // anonymous tokens get no scopes: the registry then answers 401 again
        tokens.set(token, authenticated ? scopes : []);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ [field]: token, expires_in: 300 }));
        return true;
      }
      const need = scopeFor(req);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const granted = token ? tokens.get(token) : undefined;
      const ok = granted !== undefined && (need === '' || granted.some((s) => covers(s, need)));
      if (ok) return false;
      const challenge = `Bearer realm="${self}/token",service="sigil-test"${need ? `,scope="${need}"` : ''}`;
      res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return true;
    },
  });
  self = proxy.url;
  return Object.assign(proxy, { tokenRequests });
}

function covers(granted: string, need: string): boolean {
  // repository names hold no colon, so a scope splits cleanly into type:name:actions
  const [gType, gName, gActions = ''] = granted.split(':');
  const [nType, nName, nActions = ''] = need.split(':');
  return gType === nType && gName === nName && nActions.split(',').every((a) => gActions.split(',').includes(a) || gActions === '*');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
