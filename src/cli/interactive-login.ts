/**
 * An interactive OIDC login for the CLI (`sigil login`, and keyless signing when no token is
 * given): the authorization code flow with PKCE in a browser (loopback redirect), or the device
 * flow, wired to the terminal, the browser opener and the real clock.
 */
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../core/index.ts';
import { loginWithBrowser, loginWithDevice } from '../adapters/oidc/index.ts';
import type { CliIo } from './io.ts';

/** cosign's default issuer, the public Sigstore Dex. */
export const DEFAULT_PUBLIC_ISSUER = 'https://oauth2.sigstore.dev/auth';

/** What a login needs. */
export interface InteractiveLogin {
  /** default: SIGIL_OIDC_ISSUER, else the public Sigstore issuer */
  readonly issuer?: string | undefined;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly flow: 'browser' | 'device';
  /** try to open a browser (else only print the URL) */
  readonly openBrowser: boolean;
  /** the loopback port of the browser redirect (0 picks one) */
  readonly redirectPort: number;
  readonly timeoutMs: number;
}

/** Opens a URL with $BROWSER, else xdg-open when a display is there; silently does nothing otherwise. */
function systemOpener(io: CliIo): (url: string) => Promise<void> {
  return async (url) => {
    const browser = io.env['BROWSER'];
    const hasDisplay = io.env['DISPLAY'] !== undefined || io.env['WAYLAND_DISPLAY'] !== undefined;
    const command = browser !== undefined && browser !== '' ? browser : hasDisplay ? 'xdg-open' : undefined;
    if (command === undefined) return;
    await new Promise<void>((resolve) => {
      const child = spawn(command, [url], { stdio: 'ignore', detached: true });
      child.once('error', () => resolve());
      child.once('spawn', () => { child.unref(); resolve(); });
    });
  };
}

/** The issuer a login goes to: the one given, else SIGIL_OIDC_ISSUER, else the public one. @throws ERR_USAGE for a non-URL */
export function loginIssuer(io: CliIo, issuer: string | undefined, flag: string): string {
  const url = (issuer ?? io.env['SIGIL_OIDC_ISSUER'] ?? DEFAULT_PUBLIC_ISSUER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError('ERR_USAGE', `invalid ${flag} ${JSON.stringify(url)}: want an http(s) URL`);
  return url;
}

/**
 * Runs the login and returns the ID token; the URL or device code to use goes to stderr.
 * @throws ERR_OIDC_LOGIN_* (denied, timed out, bad answers), ERR_NETWORK
 */
export async function interactiveLogin(io: CliIo, request: InteractiveLogin): Promise<string> {
  const signal = io.watchStop?.();
  const common = {
    issuer: loginIssuer(io, request.issuer, '--oidc-issuer'), clientId: request.clientId, fetch: io.deps?.fetch ?? globalThis.fetch,
    loginTimeoutMs: request.timeoutMs,
    notify: (text: string) => { io.stderr.write(`${text}\n`); },
    ...(request.clientSecret === undefined ? {} : { clientSecret: request.clientSecret }),
    ...(signal === undefined ? {} : { signal }),
  };
  if (request.flow === 'device') {
    return loginWithDevice({ ...common, sleep: io.deps?.sleep ?? (async (ms, s) => { await delay(ms, undefined, s === undefined ? {} : { signal: s }); }), now: () => Date.now() });
  }
  return loginWithBrowser({ ...common, redirectPort: request.redirectPort, openUrl: request.openBrowser ? io.deps?.openUrl ?? systemOpener(io) : async () => undefined });
}
