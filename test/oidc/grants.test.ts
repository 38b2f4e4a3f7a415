// Pending grants of the local issuer: PKCE-bound single-use codes and the device flow's states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createGrantStore } from '../../src/oidc/grants.ts';
import { createSeededRandom } from '../support/seeded-random.ts';

function setup(): { store: ReturnType<typeof createGrantStore>; advance: (s: number) => void } {
  let now = Date.parse('2026-11-23T12:00:00Z');
  const store = createGrantStore({ clock: () => new Date(now), random: createSeededRandom('grants'), codeTtlSeconds: 60, deviceTtlSeconds: 600, deviceIntervalSeconds: 2 });
  return { store, advance: (s) => { now += s * 1000; } };
}

const verifier = 'a'.repeat(43);
const challenge = createHash('sha256').update(verifier).digest('base64url');
const grant = { clientId: 'sigstore', redirectUri: 'http://127.0.0.1:5000/cb', codeChallenge: challenge, nonce: 'n', identity: { kind: 'email' as const, email: 'a@example.com' } };
const check = { clientId: 'sigstore', redirectUri: 'http://127.0.0.1:5000/cb', codeVerifier: verifier };

test('a code redeems once with the right verifier, client and redirect', () => {
  const { store } = setup();
  const code = store.issueCode(grant);
  assert.deepEqual(store.redeemCode(code, check), grant);
  assert.throws(() => store.redeemCode(code, check), { code: 'ERR_OIDC_GRANT_INVALID' });
});

for (const [name, bad] of [
  ['wrong verifier', { ...check, codeVerifier: 'b'.repeat(43) }],
  ['short verifier', { ...check, codeVerifier: 'short' }],
  ['other client', { ...check, clientId: 'other' }],
  ['other redirect', { ...check, redirectUri: 'http://127.0.0.1:5001/cb' }],
] as const) {
  test(`a code is refused and burnt: ${name}`, () => {
    const { store } = setup();
    const code = store.issueCode(grant);
    assert.throws(() => store.redeemCode(code, bad), { code: 'ERR_OIDC_GRANT_INVALID' });
    assert.throws(() => store.redeemCode(code, check), { code: 'ERR_OIDC_GRANT_INVALID' });
  });
}

test('a code expires', () => {
  const { store, advance } = setup();
  const code = store.issueCode(grant);
  advance(61);
  assert.throws(() => store.redeemCode(code, check), { code: 'ERR_OIDC_GRANT_INVALID' });
});

test('device flow: pending, slow_down with a longer interval, approval once, user code typed loosely', () => {
  const { store, advance } = setup();
  const d = store.startDevice('sigstore');
  assert.match(d.userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
  assert.throws(() => store.pollDevice(d.deviceCode, 'sigstore'), { code: 'ERR_OIDC_AUTHORIZATION_PENDING' });
  advance(1);
  assert.throws(() => store.pollDevice(d.deviceCode, 'sigstore'), { code: 'ERR_OIDC_SLOW_DOWN' });
  advance(3); // the interval is now 7 s
  assert.throws(() => store.pollDevice(d.deviceCode, 'sigstore'), { code: 'ERR_OIDC_SLOW_DOWN' });
  assert.throws(() => store.pollDevice(d.deviceCode, 'other-client'), { code: 'ERR_OIDC_GRANT_INVALID' });
  const typed = `${d.userCode.slice(0, 4).toLowerCase()} - ${d.userCode.slice(4)}`;
  assert.equal(store.hasUserCode(typed), true);
  store.decideDevice(typed, { kind: 'email', email: 'ops@example.com' });
  assert.throws(() => store.decideDevice(typed, 'denied'), { code: 'ERR_OIDC_GRANT_INVALID' });
  assert.deepEqual(store.pollDevice(d.deviceCode, 'sigstore'), { kind: 'email', email: 'ops@example.com' });
  assert.throws(() => store.pollDevice(d.deviceCode, 'sigstore'), { code: 'ERR_OIDC_GRANT_INVALID' });
});

test('device flow: denied, and expired', () => {
  const { store, advance } = setup();
  const denied = store.startDevice('sigstore');
  store.decideDevice(denied.userCode, 'denied');
  assert.throws(() => store.pollDevice(denied.deviceCode, 'sigstore'), { code: 'ERR_OIDC_ACCESS_DENIED' });
  const late = store.startDevice('sigstore');
  advance(601);
  assert.equal(store.hasUserCode(late.userCode), false);
  assert.throws(() => store.pollDevice(late.deviceCode, 'sigstore'), { code: 'ERR_OIDC_DEVICE_CODE_EXPIRED' });
});
