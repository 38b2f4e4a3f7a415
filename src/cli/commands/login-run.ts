/** `sigil login`: wires the login flows to the terminal, the browser and the real clock. */
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../../core/index.ts';
import { loginWithBrowser, loginWithDevice } from '../../adapters/oidc/index.ts';
import type { CliIo } from '../io.ts';
import type { CommandContext } from '../main.ts';
import type { LoginFlags } from './login.ts';

/** cosign's default issuer, the public Sigstore Dex. */
export const DEFAULT_PUBLIC_ISSUER = 'https://oauth2.sigstore.dev/auth';

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

function parseWhole(text: string, flag: string, max: number): number {
  const n = /^[0-9]{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= max)) throw new UsageError('ERR_USAGE', `invalid ${flag} ${JSON.stringify(text)}: want a whole number up to ${max}`);
  return n;
}

/** Runs `sigil login`. */
export async function runLogin(ctx: CommandContext, flags: LoginFlags): Promise<void> {
  const { io } = ctx;
  const issuer = (flags.issuer ?? io.env['SIGIL_OIDC_ISSUER'] ?? DEFAULT_PUBLIC_ISSUER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(issuer)) throw new UsageError('ERR_USAGE', `invalid --issuer ${JSON.stringify(issuer)}: want an http(s) URL`);
  const timeoutMs = parseWhole(flags.timeout, '--timeout', 86_400) * 1000;
  const redirectPort = parseWhole(flags.redirectPort, '--redirect-port', 65_535);
  const signal = io.watchStop?.();
  const common = {
    issuer, clientId: flags.clientId, fetch: io.deps?.fetch ?? globalThis.fetch, loginTimeoutMs: timeoutMs,
    notify: (text: string) => { io.stderr.write(`${text}\n`); },
    ...(flags.clientSecret === undefined ? {} : { clientSecret: flags.clientSecret }),
    ...(signal === undefined ? {} : { signal }),
  };
  const token = flags.device === true
    ? await loginWithDevice({ ...common, sleep: io.deps?.sleep ?? (async (ms, s) => { await delay(ms, undefined, s === undefined ? {} : { signal: s }); }), now: () => Date.now() })
    : await loginWithBrowser({ ...common, redirectPort, openUrl: flags.browser ? io.deps?.openUrl ?? systemOpener(io) : async () => undefined });
  io.stdout.write(`${token}\n`);
}
