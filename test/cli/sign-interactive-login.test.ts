// Keyless signing with no token: `sign-blob` signs in to the OIDC issuer itself (a real chromium
// on sigil's login page, or the device flow approved over HTTP), as cosign does, and the
// certificate carries the identity that signed in; with no terminal and no login flags it fails
// at once instead of waiting for a person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { run } from '../../src/cli/main.ts';
import type { CliDeps } from '../../src/cli/io.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { isolatedEnv } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';
import { launchBrowser } from '../support/browser.ts';

let server: SigilServerProcess;
let browser: Browser;
let issuer = '';
let secret = '';
let dir = '';
let blob = '';

before(async () => {
  dir = makeTempDir('sign-login');
  const data = join(dir, 'data');
  [server, browser] = await Promise.all([startSigilServer(data, ['--only', 'oidc,ca,log']), launchBrowser()]);
  issuer = `${server.url}/oidc`;
  secret = readFileSync(join(data, 'oidc', 'access-secret'), 'utf8').trim();
  blob = join(dir, 'artifact.txt');
  writeFileSync(blob, 'signed after an interactive login\n');
});
after(async () => { await browser.close(); await server.stop(); });

async function sigil(argv: readonly string[], deps: CliDeps = {}, onStderr: (all: string) => void = () => undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; onStderr(stderr); } },
    env: isolatedEnv(), cwd: dir, deps,
  });
  return { code, stdout, stderr };
}

const signArgs = (bundle: string): string[] => ['sign-blob', '--fulcio-url', server.url, '--rekor-url', server.url, '--bundle', bundle, '--yes', blob];

async function verifyAs(bundle: string, identity: string): Promise<number> {
  return (await sigil(['verify-blob', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer,
    '--trusted-root', join(dir, 'data', 'trusted_root.json'), blob])).code;
}

test('sign-blob --oidc-issuer with no token: the browser login in chromium gives the certificate its identity', async () => {
  let page: Promise<void> = Promise.resolve();
  const openUrl = async (url: string): Promise<void> => {
    page = (async () => {
      const p = await browser.newPage();
      await p.goto(url);
      await p.fill('#email', 'builder@example.com');
      await p.fill('#secret', secret);
      await Promise.all([p.waitForURL(/\/auth\/callback\?/), p.click('#approve')]);
      await p.close();
    })();
  };
  const bundle = join(dir, 'browser.bundle');
  const r = await sigil([...signArgs(bundle), '--oidc-issuer', issuer], { openUrl });
  await page;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Open this URL/);
  assert.match(r.stderr, /Successfully retrieved a certificate for builder@example\.com/);
  assert.equal(await verifyAs(bundle, 'builder@example.com'), 0);
  assert.notEqual(await verifyAs(bundle, 'dev@example.com'), 0);
});

test('sign-blob --fulcio-auth-flow device: the code approved over HTTP signs as the approver', async () => {
  let approved: Promise<Response> | undefined;
  const bundle = join(dir, 'device.bundle');
  const realSleep = async (ms: number): Promise<void> => { await new Promise((r) => setTimeout(r, ms)); };
  const r = await sigil([...signArgs(bundle), '--oidc-issuer', issuer, '--fulcio-auth-flow', 'device'], { sleep: realSleep }, (all) => {
    const code = /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(all)?.[1];
    if (approved === undefined && code !== undefined) {
      approved = fetch(`${issuer}/device`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user_code: code, email: 'ops@example.com', secret, decision: 'approve' }).toString(),
      });
    }
  });
  assert.equal((await approved)?.status, 200);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await verifyAs(bundle, 'ops@example.com'), 0);
});

test('no token, no terminal, no login flags: ERR_KEYLESS_TOKEN_MISSING at once; a bad flow is a usage error; nothing written', async () => {
  const bundle = join(dir, 'none.bundle');
  const started = Date.now();
  const none = await sigil(signArgs(bundle));
  assert.equal(none.code, 5);
  assert.match(none.stderr, /ERR_KEYLESS_TOKEN_MISSING/);
  assert.match(none.stderr, /--oidc-issuer/);
  assert.ok(Date.now() - started < 10_000);
  const bad = await sigil([...signArgs(bundle), '--fulcio-auth-flow', 'telepathy']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fulcio-auth-flow/);
  // a denied browser login stops the signing before any certificate or log entry
  const deny = async (url: string): Promise<void> => {
    const p = await browser.newPage();
    await p.goto(url);
    await Promise.all([p.waitForURL(/\/auth\/callback\?/), p.click('#deny')]);
    await p.close();
  };
  const denied = await sigil([...signArgs(bundle), '--oidc-issuer', issuer], { openUrl: deny });
  assert.equal(denied.code, 5);
  assert.match(denied.stderr, /ERR_OIDC_ACCESS_DENIED/);
  assert.equal(existsSync(bundle), false);
});
