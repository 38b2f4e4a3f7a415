// sigil login against sigil's own issuer: the browser flow driven in a real chromium, and the
// device flow over HTTP; plus the issuer's refusals of bad authorization requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { run } from '../../src/cli/main.ts';
import type { CliDeps } from '../../src/cli/io.ts';
import { createTokenVerifier } from '../../src/adapters/oidc/index.ts';
import { defaultIssuerConfig } from '../../src/ca/issuer-config.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { isolatedEnv } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';
import { launchBrowser } from '../support/browser.ts';

let server: SigilServerProcess;
let browser: Browser;
let issuer = '';
let secret = '';

before(async () => {
  const dir = makeTempDir('oidc-login');
  [server, browser] = await Promise.all([startSigilServer(dir, ['--only', 'oidc']), launchBrowser()]);
  issuer = `${server.url}/oidc`;
  secret = readFileSync(join(dir, 'oidc', 'access-secret'), 'utf8').trim();
});
after(async () => { await browser.close(); await server.stop(); });

/** Runs the CLI in-process; `onStderr` sees stderr as it is written. */
async function login(argv: readonly string[], deps: CliDeps = {}, onStderr: (all: string) => void = () => undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['login', '--issuer', issuer, ...argv], {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; onStderr(stderr); } },
    env: isolatedEnv(), cwd: process.cwd(), deps,
  });
  return { code, stdout, stderr };
}

const verifier = (): ReturnType<typeof createTokenVerifier> => createTokenVerifier({ config: defaultIssuerConfig(issuer), fetch: globalThis.fetch, clock: () => new Date() });

test('browser flow: chromium signs in on the login page, the loopback redirect brings the code back', async () => {
  let pageText: Promise<string> = Promise.resolve('');
  const openUrl = async (url: string): Promise<void> => {
    pageText = (async () => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.fill('#email', 'dev@example.com');
      await page.fill('#secret', 'wrong secret');
      await page.click('#approve');
      const error = await page.textContent('#error');
      assert.match(error ?? '', /secret is wrong/);
      await page.fill('#email', 'dev@example.com');
      await page.fill('#secret', secret);
      await Promise.all([page.waitForURL(/\/auth\/callback\?/), page.click('#approve')]);
      const text = await page.textContent('#message') ?? '';
      await page.close();
      return text;
    })();
  };
  const r = await login(['--timeout', '60'], { openUrl });
  assert.equal(r.code, 0, r.stderr);
  assert.match(await pageText, /received the login/);
  assert.match(r.stderr, /Open this URL/);
  const token = await verifier().verify(r.stdout.trim());
  assert.equal(token.claims['email'], 'dev@example.com');
  assert.equal(token.claims['aud'], 'sigstore');
  assert.equal(typeof token.claims['nonce'], 'string');
});

test('browser flow: Cancel on the login page is access_denied, exit 5', async () => {
  let done: Promise<void> = Promise.resolve();
  const openUrl = async (url: string): Promise<void> => {
    done = (async () => {
      const page = await browser.newPage();
      await page.goto(url);
      await Promise.all([page.waitForURL(/\/auth\/callback\?/), page.click('#deny')]);
      await page.close();
    })();
  };
  const r = await login(['--timeout', '60'], { openUrl });
  await done;
  assert.equal(r.code, 5);
  assert.match(r.stderr, /ERR_OIDC_ACCESS_DENIED/);
  assert.equal(r.stdout, '');
});

async function approveDevice(stderr: string, decision: 'approve' | 'deny'): Promise<Response> {
  const code = /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(stderr)?.[1] ?? '';
  return fetch(`${issuer}/device`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: code.toLowerCase(), email: 'ops@example.com', secret, decision }).toString(),
  });
}

test('device flow: the code approved over HTTP yields a token; deny is exit 5', async () => {
  const realSleep = async (ms: number): Promise<void> => { await new Promise((r) => setTimeout(r, ms)); };
  for (const decision of ['approve', 'deny'] as const) {
    let approved: Promise<Response> | undefined;
    const r = await login(['--device', '--timeout', '60'], { sleep: realSleep }, (all) => {
      if (approved === undefined && /enter the code [A-Z]{4}-[A-Z]{4}/.test(all)) approved = approveDevice(all, decision);
    });
    assert.equal((await approved)?.status, 200);
    if (decision === 'approve') {
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await verifier().verify(r.stdout.trim())).claims['email'], 'ops@example.com');
    } else {
      assert.equal(r.code, 5);
      assert.match(r.stderr, /ERR_OIDC_ACCESS_DENIED/);
    }
  }
});

test('device flow: polling faster than the interval is slow_down; an unknown device code is invalid_grant', async () => {
  const start = await (await fetch(`${issuer}/device/code`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=sigstore' })).json() as { device_code: string; interval: number };
  const poll = async (deviceCode: string): Promise<{ status: number; error: string }> => {
    const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: 'sigstore' }).toString() });
    return { status: res.status, error: ((await res.json()) as { error: string }).error };
  };
  assert.deepEqual(await poll(start.device_code), { status: 400, error: 'authorization_pending' });
  assert.deepEqual(await poll(start.device_code), { status: 400, error: 'slow_down' });
  assert.deepEqual(await poll('nope'), { status: 400, error: 'invalid_grant' });
});

test('the authorization endpoint refuses non-loopback redirects, plain PKCE, and replayed or mismatched codes', async () => {
  const verifierText = 'v'.repeat(50);
  const challenge = createHash('sha256').update(verifierText).digest('base64url');
  const base = { response_type: 'code', client_id: 'sigstore', code_challenge: challenge, code_challenge_method: 'S256', state: 's' };
  const evil = await fetch(`${issuer}/authorize?${new URLSearchParams({ ...base, redirect_uri: 'https://evil.example/cb' })}`);
  assert.equal(evil.status, 400);
  assert.equal(((await evil.json()) as { error: string }).error, 'invalid_request');
  const plain = await fetch(`${issuer}/authorize?${new URLSearchParams({ ...base, code_challenge_method: 'plain', redirect_uri: 'http://127.0.0.1:9/cb' })}`);
  assert.equal(plain.status, 400);
  const form = { ...base, redirect_uri: 'http://127.0.0.1:9/cb', email: 'dev@example.com', secret, decision: 'approve' };
  const post = await fetch(`${issuer}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  assert.equal(post.status, 302);
  const code = new URL(post.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const redeem = async (codeVerifier: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/cb', client_id: 'sigstore', code_verifier: codeVerifier }).toString() });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const wrong = await redeem('w'.repeat(50));
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body['error'], 'invalid_grant');
  // the code was burnt by the failed attempt: single use, even for the right verifier
  assert.equal((await redeem(verifierText)).body['error'], 'invalid_grant');
  const unsupported = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
  assert.equal(((await unsupported.json()) as { error: string }).error, 'unsupported_grant_type');
});

test('sigil login bad input: a malformed issuer is exit 2, an unreachable one exit 4', async () => {
  const bad = await run(['login', '--issuer', 'not a url'], { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: isolatedEnv(), cwd: process.cwd() });
  assert.equal(bad, 2);
  const unreachable = await run(['login', '--issuer', 'http://127.0.0.1:9/oidc', '--device'], { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: isolatedEnv(), cwd: process.cwd() });
  assert.equal(unreachable, 4);
  const badPort = await run(['login', '--issuer', issuer, '--redirect-port', '99999'], { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: isolatedEnv(), cwd: process.cwd() });
  assert.equal(badPort, 2);
});

test('browser flow: a redirect with another state, or none within --timeout, is ERR_OIDC_LOGIN_FAILED (exit 5)', async () => {
  const forged = async (url: string): Promise<void> => {
    const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
    await fetch(`${redirect}?code=stolen&state=not-the-state`);
  };
  const r = await login(['--timeout', '30'], { openUrl: forged });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /ERR_OIDC_LOGIN_FAILED/);
  assert.equal(r.stdout, '');
  const idle = await login(['--timeout', '1'], { openUrl: async () => undefined });
  assert.equal(idle.code, 5);
  assert.match(idle.stderr, /ERR_OIDC_LOGIN_FAILED/);
});

test('browser flow: a token minted for another nonce is refused (ERR_OIDC_LOGIN_FAILED)', async () => {
  const substituted = async (url: string): Promise<void> => {
    const params = new URL(url).searchParams;
    params.set('nonce', 'attacker-nonce');
    const form = new URLSearchParams({ ...Object.fromEntries(params), email: 'dev@example.com', secret, decision: 'approve' });
    const res = await fetch(`${issuer}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    await fetch(res.headers.get('location') ?? '');
  };
  const r = await login(['--timeout', '30'], { openUrl: substituted });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /nonce/);
  assert.match(r.stderr, /ERR_OIDC_LOGIN_FAILED/);
});
