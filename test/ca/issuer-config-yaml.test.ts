// Fulcio's issuer configuration in its YAML form: the public-good instance's own config.yaml
// (test/vectors/fulcio-config) loads as `sigil server --ca-config` reads it, and gives the same
// identities as the JSON form; Codefresh, CircleCI and Chainguard identities; bad YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { challengeSubject, identityFromToken } from '../../src/ca/identity.ts';
import { parseIssuerConfig } from '../../src/ca/issuer-config.ts';
import type { IssuerType } from '../../src/ca/ports.ts';
import { decodeIssuerConfigText, loadIssuerConfig } from '../../src/server/issuer-config-file.ts';
import { makeTempDir } from '../support/temp.ts';
import { ARC, PUBLIC_GOOD_OIDC_ISSUERS, oidcVector as vector, verifiedToken as token } from './oidc-fixtures.ts';

const PRODUCTION = new URL('../vectors/fulcio-config/config.yaml', import.meta.url).pathname;
const yamlConfig = loadIssuerConfig({ path: PRODUCTION, publicUrl: 'http://127.0.0.1:1' });

test('the public-good Fulcio config.yaml loads: every issuer with its type, anchors resolved, meta issuers matched', () => {
  assert.equal(yamlConfig.oidcIssuers.size, 16);
  assert.equal(yamlConfig.metaIssuers.size, 6);
  const types = Object.fromEntries([...yamlConfig.oidcIssuers].map(([url, e]) => [url, e.type === 'ci-provider' ? `ci-provider/${e.ciProvider}` : e.type]));
  assert.equal(types['https://accounts.google.com'], 'email');
  assert.equal(types['https://token.actions.githubusercontent.com'], 'ci-provider/github-workflow');
  assert.equal(types['https://gitlab.archlinux.org'], 'ci-provider/gitlab-pipeline');
  assert.equal(types['https://oidc.codefresh.io'], 'ci-provider/codefresh-workflow');
  assert.equal(types['https://oidc.circleci.com'], 'ci-provider/circleci-job');
  assert.equal(types['https://issuer.enforce.dev'], 'chainguard-identity');
  assert.equal(yamlConfig.findIssuer('https://oauth2.sigstore.dev/auth')?.issuerClaim, '$.federated_claims.connector_id');
  assert.equal(yamlConfig.findIssuer('https://oidc.circleci.com/org/0d1c7f0e-5b5a-4c4e-9d2b-0a1b2c3d4e5f')?.ciProvider, 'circleci-job');
  assert.equal(yamlConfig.findIssuer('https://container.googleapis.com/v1/projects/p/locations/us-west1-b/clusters/c')?.type, 'kubernetes');
  assert.equal(yamlConfig.findIssuer('https://evil.example'), undefined);
  assert.deepEqual([...yamlConfig.ciMetadata.keys()].sort(), ['buildkite-job', 'circleci-job', 'codefresh-workflow', 'github-workflow', 'gitlab-pipeline']);
});

test('the YAML form gives exactly the identities the JSON form gives (GitHub, GitLab, Buildkite, email, dex)', () => {
  const json = parseIssuerConfig({ OIDCIssuers: PUBLIC_GOOD_OIDC_ISSUERS });
  const dex = { ...vector('google-email.json'), iss: 'https://oauth2.sigstore.dev/auth', federated_claims: { connector_id: 'https://github.com/login/oauth' } };
  const cases: [Record<string, unknown>, IssuerType][] = [
    [vector('github-actions.json'), 'ci-provider'], [vector('gitlab-ci.json'), 'ci-provider'], [vector('buildkite.json'), 'ci-provider'],
    [vector('google-email.json'), 'email'], [dex, 'email'],
  ];
  for (const [claims, type] of cases) {
    const fromYaml = identityFromToken(token(claims, type), yamlConfig);
    assert.deepEqual(fromYaml, identityFromToken(token(claims, type), json), String(claims['iss']));
    assert.ok(fromYaml.extensions.length >= 1);
  }
  assert.equal(identityFromToken(token(dex, 'email'), yamlConfig).issuer, 'https://github.com/login/oauth');
});

test('Codefresh: SAN and extensions from the config\'s templates, defaults filling absent claims', () => {
  const claims = {
    iss: 'https://oidc.codefresh.io', sub: 'account:628a80b693a15c0f9c13ab75:pipeline:65e6d5551e1f6c0d8a1e6d5f', aud: 'sigstore',
    account_id: '628a80b693a15c0f9c13ab75', account_name: 'codefresh-user', pipeline_id: '65e6d5551e1f6c0d8a1e6d5f',
    pipeline_name: 'oidc-test/get-token', workflow_id: '65e6ebe0bfbfa1782876165e', scm_repo_url: 'https://github.com/codefresh-user/oidc-test',
    scm_ref: 'main', runner_environment: 'cloud',
  };
  const id = identityFromToken(token(claims, 'ci-provider'), yamlConfig);
  assert.deepEqual(id.san, { kind: 'uri', value: 'https://g.codefresh.io/codefresh-user/oidc-test/get-token:628a80b693a15c0f9c13ab75/65e6d5551e1f6c0d8a1e6d5f' });
  const byOid = new Map(id.extensions.map((e) => [e.oid, e.value]));
  assert.equal(byOid.get(`${ARC}.9`), 'https://g.codefresh.io/build/65e6ebe0bfbfa1782876165e');
  assert.equal(byOid.get(`${ARC}.11`), 'cloud');
  assert.equal(byOid.get(`${ARC}.12`), 'https://github.com/codefresh-user/oidc-test');
  assert.equal(byOid.get(`${ARC}.14`), 'main');
  assert.equal(byOid.get(`${ARC}.18`), 'https://g.codefresh.io/api/pipelines/65e6d5551e1f6c0d8a1e6d5f');
  // a manual trigger has no SCM claims: the empty defaults leave those extensions out
  const { scm_repo_url: _u, scm_ref: _r, ...manual } = claims;
  const bare = identityFromToken(token(manual, 'ci-provider'), yamlConfig);
  assert.equal(bare.extensions.some((e) => e.oid === `${ARC}.12` || e.oid === `${ARC}.14`), false);
  // the legacy codefresh-workflow type uses the built-in entry of the same name: same identity
  const legacy = parseIssuerConfig({ OIDCIssuers: { 'https://oidc.codefresh.io': { Type: 'codefresh-workflow' } } });
  assert.deepEqual(identityFromToken(token(claims, 'codefresh-workflow'), legacy), id);
});

test('CircleCI: index templates over namespaced claims, and the ssh-rerun condition', () => {
  const claims = {
    iss: 'https://oidc.circleci.com/org/0d1c7f0e-5b5a-4c4e-9d2b-0a1b2c3d4e5f', sub: 'org/0d1c7f0e/project/7a1b/user/3c4d', aud: 'sigstore',
    'oidc.circleci.com/project-id': '7a1b2c3d', 'oidc.circleci.com/pipeline-definition-id': 'def-42', 'oidc.circleci.com/pipeline-id': 'pipe-9',
    'oidc.circleci.com/workflow-id': 'wf-1', 'oidc.circleci.com/job-id': 'job-2', 'oidc.circleci.com/vcs-origin': 'github.com/acme/app',
    'oidc.circleci.com/vcs-ref': 'refs/heads/main', 'oidc.circleci.com/ssh-rerun': false,
  };
  const id = identityFromToken(token(claims, 'ci-provider'), yamlConfig);
  assert.deepEqual(id.san, { kind: 'uri', value: 'https://circleci.com/api/v2/projects/7a1b2c3d/pipeline-definitions/def-42' });
  const byOid = new Map(id.extensions.map((e) => [e.oid, e.value]));
  assert.equal(byOid.get(`${ARC}.18`), 'https://circleci.com/api/v2/pipeline/pipe-9/config');
  assert.equal(byOid.get(`${ARC}.21`), 'https://app.circleci.com//workflow/wf-1/job/job-2');
  assert.equal(byOid.get(`${ARC}.12`), 'github.com/acme/app');
  // the template's else branch is the literal text "" (two quote characters), as Go prints it
  assert.equal(byOid.get(`${ARC}.11`), '""');
  const rerun = identityFromToken(token({ ...claims, 'oidc.circleci.com/ssh-rerun': true }, 'ci-provider'), yamlConfig);
  assert.equal(rerun.extensions.find((e) => e.oid === `${ARC}.11`)?.value, 'ssh-rerun');
  const { 'oidc.circleci.com/project-id': _p, ...missing } = claims;
  assert.throws(() => identityFromToken(token(missing, 'ci-provider'), yamlConfig), { code: 'ERR_OIDC_IDENTITY_INVALID' });
});

test('Chainguard: the SAN is the issuer joined with the subject; the challenge is sub, or a verified email', () => {
  const claims = { iss: 'https://issuer.enforce.dev', sub: '8a4b2f1e9c/7d3e5a6b', aud: 'sigstore' };
  const id = identityFromToken(token(claims, 'chainguard-identity'), yamlConfig);
  assert.deepEqual(id.san, { kind: 'uri', value: 'https://issuer.enforce.dev/8a4b2f1e9c/7d3e5a6b' });
  assert.equal(id.issuer, 'https://issuer.enforce.dev');
  assert.equal(id.challenge, '8a4b2f1e9c/7d3e5a6b');
  assert.deepEqual(id.extensions, [{ oid: `${ARC}.24`, value: '8a4b2f1e9c/7d3e5a6b' }]);
  const entry = yamlConfig.findIssuer('https://issuer.enforce.dev');
  assert.ok(entry);
  assert.equal(challengeSubject(token({ ...claims, email: 'bot@example.com', email_verified: true }, 'chainguard-identity'), entry), 'bot@example.com');
  assert.throws(() => challengeSubject(token({ ...claims, email: 'bot@example.com', email_verified: false }, 'chainguard-identity'), entry), { code: 'ERR_OIDC_EMAIL_UNVERIFIED' });
});

test('bad YAML configurations are ERR_OIDC_CONFIG_INVALID naming the file and the problem', () => {
  const dir = makeTempDir('issuer-config-yaml');
  const cases: [string, string, RegExp][] = [
    ['garbage.yaml', 'oidc-issuers: [unclosed\n  - : :', /neither JSON .* nor YAML/],
    ['scalar.yaml', 'just a string\n', /not a JSON object or YAML mapping/],
    ['unknown-field.yaml', 'oidc-issuers:\n  https://a.example:\n    issuer-ur1: https://a.example\n    type: email\n', /unknown field issuer-ur1/],
    ['bad-type.yaml', 'oidc-issuers:\n  https://a.example:\n    type: telepathy\n', /Type must be one of/],
    ['undefined-alias.yaml', 'oidc-issuers:\n  https://a.example:\n    type: ci-provider\n    ci-provider: *nowhere\n', /nor YAML/],
    ['missing-metadata.yaml', 'oidc-issuers:\n  https://a.example:\n    type: ci-provider\n    ci-provider: drone\n', /CIIssuerMetadata has no entry "drone"/],
  ];
  for (const [name, text, message] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    assert.throws(() => loadIssuerConfig({ path, publicUrl: 'http://x' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_OIDC_CONFIG_INVALID', name);
      assert.ok(e.message.includes(name), e.message);
      assert.match(e.message, message, name);
      return true;
    });
  }
  // JSON is read first, as Fulcio does: a JSON file never goes through the YAML names
  assert.deepEqual(decodeIssuerConfigText('{"OIDCIssuers":{}}'), { OIDCIssuers: {} });
});
