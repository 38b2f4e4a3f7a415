/**
 * Wires keyless signing for CLI commands: the identity token (--identity-token, a token or a file
 * holding one, else SIGSTORE_ID_TOKEN, else GitHub Actions' ambient token, else an interactive login), the CA and log URLs
 * (flags, else --signing-config, else SIGIL_FULCIO_URL / SIGIL_REKOR_URL), a fresh ECDSA P-256
 * key, and the certificate.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AuthError, ConfigError, UpstreamError, UsageError, generatePrivateKey } from '../core/index.ts';
import { createKeylessSigner, parseIdentityToken, parseSigningConfig, type KeylessSigner, type SigningServices } from '../sign/index.ts';
import { createFulcioClient } from '../adapters/http-clients/fulcio-client.ts';
import { createNodeFetch } from '../adapters/http-clients/node-fetch.ts';
import type { HttpResponse } from '../adapters/http-clients/fetch.ts';
import type { CliIo } from './io.ts';
import { readInputFile } from './input-file.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/** The keyless flags signing commands share (cosign's names). */
export interface KeylessFlags {
  readonly identityToken?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
  readonly signingConfig?: string;
  readonly oidcIssuer?: string;
  readonly oidcClientId?: string;
  readonly oidcClientSecretFile?: string;
  /** normal (browser) or device: the interactive login when no token is given */
  readonly fulcioAuthFlow?: string;
  /** ask the CA with a PKCS#10 request instead of a proof of possession */
  readonly csr?: boolean;
  /** cosign's --oidc-disable-ambient-providers: neither SIGSTORE_ID_TOKEN nor GitHub Actions' token */
  readonly oidcDisableAmbientProviders?: boolean;
}

async function isFile(path: string): Promise<boolean> {
  try { return (await stat(path)).isFile(); } catch { return false; }
}

const LOGIN_TIMEOUT_MS = 300_000;

/**
 * The identity token, in cosign's order: --identity-token (a path to an existing file is read),
 * SIGSTORE_ID_TOKEN and GitHub Actions' ambient provider (both skipped with --oidc-disable-ambient-providers) (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN,
 * audience sigstore), then an interactive login (browser with PKCE, or the device flow) when
 * stdin is a terminal or the flags ask for one (--oidc-issuer, --fulcio-auth-flow); a job with
 * no terminal and none of these fails at once instead of waiting for a person.
 * @throws ERR_KEYLESS_TOKEN_MISSING when none gives one; ERR_USAGE for a bad --fulcio-auth-flow
 */
export async function resolveIdentityToken(io: CliIo, flags: KeylessFlags): Promise<string> {
  const flag = flags.identityToken;
  if (flag !== undefined && flag !== '') {
    const path = resolve(io.cwd, flag);
    return (await isFile(path)) ? (await readFile(path, 'utf8')).trim() : flag.trim();
  }
  // cosign reads SIGSTORE_ID_TOKEN through an ambient provider too: disabling them skips it
  const ambientAllowed = flags.oidcDisableAmbientProviders !== true;
  const fromEnv = ambientAllowed ? io.env['SIGSTORE_ID_TOKEN'] : undefined;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  const flow = flags.fulcioAuthFlow;
  if (flow !== undefined && flow !== 'normal' && flow !== 'device') {
    throw new UsageError('ERR_USAGE', `invalid --fulcio-auth-flow ${JSON.stringify(flow)}: want normal or device (or pass a token with --identity-token)`);
  }
  const ambient = ambientAllowed ? await fetchGithubActionsToken(io) : undefined;
  if (ambient !== undefined) return ambient;
  if (io.terminal !== undefined || flags.oidcIssuer !== undefined || flow !== undefined) {
    const clientSecret = flags.oidcClientSecretFile === undefined ? undefined : Buffer.from(await readInputFile(io.cwd, flags.oidcClientSecretFile, 'client secret')).toString('utf8').trim();
    // loaded only for a login: its loopback server imports node:http, whose ES namespace loads undici
    const { interactiveLogin } = await import('./interactive-login.ts');
    return interactiveLogin(io, {
      issuer: flags.oidcIssuer, clientId: flags.oidcClientId ?? 'sigstore', clientSecret, flow: flow === 'device' ? 'device' : 'browser',
      openBrowser: true, redirectPort: 0, timeoutMs: LOGIN_TIMEOUT_MS,
    });
  }
  throw new AuthError('ERR_KEYLESS_TOKEN_MISSING', 'keyless signing needs an identity token: pass --identity-token (a token or a file holding one), set SIGSTORE_ID_TOKEN, sign in with --oidc-issuer URL (a browser login), or use --key; `sigil token` mints one from a local sigil issuer');
}

/**
 * GitHub Actions' OIDC token for audience sigstore, when the job has `id-token: write`
 * (the runner sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN).
 * @throws ERR_KEYLESS_TOKEN_MISSING when the runner answers without a token; fetch errors
 */
async function fetchGithubActionsToken(io: CliIo): Promise<string | undefined> {
  const url = io.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const bearer = io.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (!url || !bearer) return undefined;
  const target = new URL(url);
  target.searchParams.set('audience', 'sigstore');
  const fetch = io.deps?.fetch ?? createNodeFetch();
  let response: HttpResponse;
  try {
    response = await fetch(target.href, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' }, signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS) });
  } catch (cause) {
    throw new UpstreamError('ERR_NETWORK', `the GitHub Actions token endpoint ${target.origin} cannot be reached`, { cause });
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try { body = response.ok ? JSON.parse(text) : undefined; } catch { body = undefined; }
  const value = typeof body === 'object' && body !== null && 'value' in body ? body.value : undefined;
  if (typeof value !== 'string' || value === '') throw new AuthError('ERR_KEYLESS_TOKEN_MISSING', `the GitHub Actions token endpoint answered ${response.status} without a token (does the job have id-token: write?)`);
  return value;
}

function checkUrl(flag: string, url: string): string {
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new UsageError('ERR_USAGE', `${flag} must be an http(s) url, got ${JSON.stringify(url.slice(0, 200))}`);
  return url.replace(/\/+$/, '');
}

/**
 * The CA and log a keyless signing uses. The CA is required.
 * @throws ERR_CONFIG_INVALID when no CA is named, or the signing config is unreadable or malformed
 */
export async function resolveKeylessServices(io: CliIo, flags: KeylessFlags): Promise<{ readonly fulcioUrl: string; readonly rekorUrl?: string }> {
  let config: SigningServices = {};
  if (flags.signingConfig !== undefined) config = parseSigningConfig(await readInputFile(io.cwd, flags.signingConfig, 'signing config'), new Date());
  const fulcio = flags.fulcioUrl ?? config.caUrl ?? io.env['SIGIL_FULCIO_URL'];
  if (fulcio === undefined || fulcio === '') {
    throw new ConfigError('ERR_CONFIG_INVALID', 'no certificate authority for keyless signing: pass --fulcio-url or --signing-config, or set SIGIL_FULCIO_URL');
  }
  const rekor = flags.rekorUrl ?? config.rekorUrl ?? io.env['SIGIL_REKOR_URL'];
  return { fulcioUrl: checkUrl('--fulcio-url', fulcio), ...(rekor ? { rekorUrl: checkUrl('--rekor-url', rekor) } : {}) };
}

/**
 * Makes an ephemeral key and gets its certificate for the identity in the token, saying on stderr
 * whom it was issued to. The token is read before the CA is contacted, the CA before any registry.
 * @throws ERR_KEYLESS_TOKEN_MISSING, ERR_KEYLESS_TOKEN_MALFORMED, ERR_FULCIO_*, ERR_HTTP_*, ERR_NETWORK
 */
export async function obtainKeylessSigner(io: CliIo, flags: KeylessFlags, fulcioUrl: string): Promise<KeylessSigner> {
  const token = await resolveIdentityToken(io, flags);
  parseIdentityToken(token);
  const ca = createFulcioClient({
    fetch: io.deps?.fetch ?? createNodeFetch(),
    baseUrl: fulcioUrl,
    timeoutMs: io.deps?.registryTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    sleep: io.deps?.sleep ?? (async (ms) => { await delay(ms); }),
    now: () => new Date(),
    jitter: Math.random,
  });
  io.stderr.write('Retrieving signed certificate...\n');
  const signer = await createKeylessSigner(token, { ca, key: generatePrivateKey('ecdsa-p256'), ...(flags.csr === true ? { useCsr: true } : {}) });
  io.stderr.write(`Successfully retrieved a certificate for ${signer.identity.subject} (issuer ${signer.identity.issuer}) from ${ca.baseUrl}\n`);
  return signer;
}
