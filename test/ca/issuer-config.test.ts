// Fulcio's issuer configuration: parsing with clear errors, meta-issuer wildcards, CI templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultIssuerConfig, parseIssuerConfig } from '../../src/ca/issuer-config.ts';
import { evaluateClaimTemplate, parseClaimTemplate } from '../../src/ca/claim-template.ts';

test('exact issuers, then meta issuers whose * matches one label or path segment', () => {
  const config = parseIssuerConfig({
    OIDCIssuers: { 'https://token.actions.githubusercontent.com': { IssuerURL: 'https://token.actions.githubusercontent.com', ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'github-workflow' } },
    MetaIssuers: {
      'https://token.actions.githubusercontent.com/*': { ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'github-workflow' },
      'https://oidc.eks.*.amazonaws.com/id/*': { ClientID: 'other-audience', Type: 'kubernetes' },
    },
  });
  assert.equal(config.findIssuer('https://token.actions.githubusercontent.com')?.type, 'ci-provider');
  const ghe = config.findIssuer('https://token.actions.githubusercontent.com/octo-enterprise');
  assert.equal(ghe?.issuerUrl, 'https://token.actions.githubusercontent.com/octo-enterprise');
  assert.equal(ghe?.ciProvider, 'github-workflow');
  assert.equal(config.findIssuer('https://oidc.eks.us-west-2.amazonaws.com/id/B02C93B6')?.clientId, 'other-audience');
  for (const miss of [
    'https://token.actions.githubusercontent.com/a/b', 'https://oidc.eks.us-west-2.evil.com/id/x', 'https://oidc.eks.a.b.amazonaws.com/id/x',
    'https://token.actions.githubusercontent.com.evil.com', 'https://evil.test/?https://token.actions.githubusercontent.com',
  ]) {
    assert.equal(config.findIssuer(miss), undefined, miss);
  }
});

test('ClientID defaults to sigstore; IssuerURL defaults to the key', () => {
  const config = parseIssuerConfig({ OIDCIssuers: { 'https://issuer.example': { Type: 'email' } } });
  assert.deepEqual(config.findIssuer('https://issuer.example'), { issuerUrl: 'https://issuer.example', clientId: 'sigstore', type: 'email' });
});

test('the default configuration names the local issuer and its CI issuers', () => {
  const config = defaultIssuerConfig('http://127.0.0.1:8080/oidc/');
  assert.equal(config.findIssuer('http://127.0.0.1:8080/oidc')?.type, 'email');
  assert.equal(config.findIssuer('http://127.0.0.1:8080/oidc/github-actions')?.ciProvider, 'github-workflow');
  assert.equal(config.findIssuer('http://127.0.0.1:8080/oidc/gitlab')?.ciProvider, 'gitlab-pipeline');
  assert.equal(config.findIssuer('http://127.0.0.1:8080/oidc/buildkite')?.ciProvider, 'buildkite-job');
});

const bad: { name: string; json: unknown }[] = [
  { name: 'not an object', json: [] },
  { name: 'unknown top-level field', json: { OIDCIssuer: {} } },
  { name: 'unknown type', json: { OIDCIssuers: { 'https://a.example': { Type: 'magic' } } } },
  { name: 'unknown entry field', json: { OIDCIssuers: { 'https://a.example': { Type: 'email', ClientId: 'x' } } } },
  { name: 'not an http url', json: { OIDCIssuers: { 'ftp://a.example': { Type: 'email' } } } },
  { name: 'ci-provider without CIProvider', json: { OIDCIssuers: { 'https://a.example': { Type: 'ci-provider' } } } },
  { name: 'ci-provider naming unknown metadata', json: { OIDCIssuers: { 'https://a.example': { Type: 'ci-provider', CIProvider: 'nope' } } } },
  { name: 'spiffe without trust domain', json: { OIDCIssuers: { 'https://a.example': { Type: 'spiffe' } } } },
  { name: 'spiffe meta issuer', json: { MetaIssuers: { 'https://*.example': { Type: 'spiffe', SPIFFETrustDomain: 'example.org' } } } },
  { name: 'uri without scheme in SubjectDomain', json: { OIDCIssuers: { 'https://a.example': { Type: 'uri', SubjectDomain: 'example.com' } } } },
  { name: 'IssuerClaim on a non-email issuer', json: { OIDCIssuers: { 'https://a.example': { Type: 'uri', SubjectDomain: 'https://a.example', IssuerClaim: '$.x' } } } },
  { name: 'unknown extension field', json: { CIIssuerMetadata: { x: { ExtensionTemplates: { Bogus: 'sha' }, SubjectAlternativeNameTemplate: '{{ .url }}' } } } },
  { name: 'unsupported template action', json: { CIIssuerMetadata: { x: { ExtensionTemplates: { BuildTrigger: '{{ printf "%s" .a }}' }, SubjectAlternativeNameTemplate: '{{ .url }}' } } } },
  { name: 'if without end', json: { CIIssuerMetadata: { x: { SubjectAlternativeNameTemplate: '{{if .a}}x' } } } },
  { name: 'empty SAN template', json: { CIIssuerMetadata: { x: { SubjectAlternativeNameTemplate: ' ' } } } },
];
for (const c of bad) {
  test(`refuses a configuration: ${c.name}`, () => {
    assert.throws(() => parseIssuerConfig(c.json), { code: 'ERR_OIDC_CONFIG_INVALID' });
  });
}

test('templates: values, eq conditions, index, and html/template escaping of inserted values', () => {
  const data = new Map([['url', 'https://gitlab.com'], ['ref_type', 'tag'], ['ref', 'v1.0+build'], ['oidc.x/id', '7']]);
  const t = parseClaimTemplate('refs/{{if eq .ref_type "branch"}}heads/{{ else }}tags/{{end}}{{ .ref }}');
  assert.equal(evaluateClaimTemplate(t, data, 'iss'), 'refs/tags/v1.0&#43;build');
  assert.equal(evaluateClaimTemplate(parseClaimTemplate('{{.url}}/{{(index . "oidc.x/id")}}'), data, 'iss'), 'https://gitlab.com/7');
  assert.throws(() => evaluateClaimTemplate(parseClaimTemplate('{{ .missing }}'), data, 'iss'), { code: 'ERR_OIDC_IDENTITY_INVALID' });
});

test('the /api/v2/configuration issuer list: exact and wildcard issuers, audience, challenge claim', async () => {
  const { toConfigurationIssuers } = await import('../../src/ca/configuration.ts');
  const config = parseIssuerConfig({
    OIDCIssuers: {
      'https://accounts.google.com': { Type: 'email' },
      'https://spire.example.org': { Type: 'spiffe', SPIFFETrustDomain: 'example.org', ClientID: 'spire' },
    },
    MetaIssuers: { 'https://token.actions.githubusercontent.com/*': { Type: 'ci-provider', CIProvider: 'github-workflow' } },
  });
  assert.deepEqual(toConfigurationIssuers(config), {
    issuers: [
      { issuerUrl: 'https://accounts.google.com', audience: 'sigstore', challengeClaim: 'email', issuerType: 'email' },
      { issuerUrl: 'https://spire.example.org', audience: 'spire', challengeClaim: 'sub', issuerType: 'spiffe', spiffeTrustDomain: 'example.org' },
      { wildcardIssuerUrl: 'https://token.actions.githubusercontent.com/*', audience: 'sigstore', challengeClaim: 'sub', issuerType: 'ci-provider' },
    ],
  });
});
