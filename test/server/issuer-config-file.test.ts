// loadIssuerConfig: Fulcio's JSON file for the CA, or the local issuer's default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIssuerConfig } from '../../src/server/issuer-config-file.ts';
import { makeTempDir } from '../support/temp.ts';

test('loadIssuerConfig: the default names the local issuer; a bad file is ERR_OIDC_CONFIG_INVALID naming it', () => {
  assert.equal(loadIssuerConfig({ publicUrl: 'http://127.0.0.1:8080/' }).findIssuer('http://127.0.0.1:8080/oidc')?.type, 'email');
  const dir = makeTempDir('issuer-config');
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ OIDCIssuers: { 'https://accounts.google.com': { Type: 'email' } } }));
  assert.equal(loadIssuerConfig({ path: good, publicUrl: 'http://x' }).findIssuer('https://accounts.google.com')?.clientId, 'sigstore');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"OIDCIssuers": ');
  assert.throws(() => loadIssuerConfig({ path: broken, publicUrl: 'http://x' }), (e: Error & { code?: string }) => e.code === 'ERR_OIDC_CONFIG_INVALID' && e.message.includes('broken.json'));
  const badEntry = join(dir, 'bad-entry.json');
  writeFileSync(badEntry, JSON.stringify({ OIDCIssuers: { 'https://a.example': { Type: 'nope' } } }));
  assert.throws(() => loadIssuerConfig({ path: badEntry, publicUrl: 'http://x' }), (e: Error & { code?: string }) => e.code === 'ERR_OIDC_CONFIG_INVALID' && e.message.includes('bad-entry.json'));
  assert.throws(() => loadIssuerConfig({ path: join(dir, 'missing.json'), publicUrl: 'http://x' }), { code: 'ERR_OIDC_CONFIG_INVALID' });
});
