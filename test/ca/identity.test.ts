// identityFromToken over real providers' claim sets (test/vectors/oidc), per Fulcio issuer type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { challengeSubject, identityFromToken } from '../../src/ca/identity.ts';
import { parseIssuerConfig } from '../../src/ca/issuer-config.ts';
import type { IssuerType } from '../../src/ca/ports.ts';
import { ARC, PUBLIC_GOOD_OIDC_ISSUERS, oidcVector as vector, verifiedToken as token } from './oidc-fixtures.ts';

const config = parseIssuerConfig({
  OIDCIssuers: {
    ...PUBLIC_GOOD_OIDC_ISSUERS,
    'https://legacy.github.example': { ClientID: 'sigstore', Type: 'github-workflow' },
    'https://accounts.example.com': { ClientID: 'sigstore', Type: 'uri', SubjectDomain: 'https://example.com' },
    'https://spire.example.org': { ClientID: 'sigstore', Type: 'spiffe', SPIFFETrustDomain: 'example.org' },
    'https://login.example.net': { ClientID: 'sigstore', Type: 'username', SubjectDomain: 'example.net' },
  },
  MetaIssuers: {
    'https://oidc.eks.*.amazonaws.com/id/*': { ClientID: 'sigstore', Type: 'kubernetes' },
  },
});

const ext = (entries: readonly [number, string][]): { oid: string; value: string }[] => entries.map(([n, value]) => ({ oid: `${ARC}.${n}`, value }));

test('GitHub Actions (ci-provider github-workflow): SAN is the job workflow, every extension as Fulcio fills it', () => {
  const claims = vector('github-actions.json');
  const id = identityFromToken(token(claims), config);
  const signer = 'https://github.com/octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main';
  assert.deepEqual(id.san, { kind: 'uri', value: signer });
  assert.equal(id.issuer, 'https://token.actions.githubusercontent.com');
  assert.equal(id.challenge, 'repo:octo-org/octo-repo:environment:prod');
  assert.deepEqual(id.legacyExtensions, ext([[2, 'workflow_dispatch'], [3, 'example-sha'], [4, 'example-workflow'], [5, 'octo-org/octo-repo'], [6, 'refs/heads/main']]));
  assert.deepEqual(id.extensions, ext([
    [9, signer], [10, 'example-job-sha'], [11, 'github-hosted'], [12, 'https://github.com/octo-org/octo-repo'], [13, 'example-sha'],
    [14, 'refs/heads/main'], [15, '74'], [16, 'https://github.com/octo-org'], [17, '65'],
    [18, 'https://github.com/octo-org/octo-repo/.github/workflows/example.yml@refs/heads/main'], [19, 'example-sha'], [20, 'workflow_dispatch'],
    [21, 'https://github.com/octo-org/octo-repo/actions/runs/example-run-id/attempts/2'], [22, 'private'], [23, 'prod'],
    [24, 'repo:octo-org/octo-repo:environment:prod'],
  ]));
});

test('GitHub Actions without an environment claim omits .1.23 (the empty default)', () => {
  const { environment: _e, ...claims } = vector('github-actions.json');
  const id = identityFromToken(token(claims), config);
  assert.equal(id.extensions.some((e) => e.oid === `${ARC}.23`), false);
});

test('the legacy github-workflow type gives the same identity as ci-provider', () => {
  const claims = { ...vector('github-actions.json'), iss: 'https://legacy.github.example' };
  const id = identityFromToken(token(claims, 'github-workflow'), config);
  assert.equal(id.san.value, 'https://github.com/octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main');
  assert.equal(id.extensions.length, 16);
  assert.equal(id.legacyExtensions.length, 5);
});

test('GitLab CI: SAN from ci_config_ref_uri, ref from ref_type, run URI from job_id', () => {
  const claims = vector('gitlab-ci.json');
  const id = identityFromToken(token(claims), config);
  const signer = 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main';
  assert.deepEqual(id.san, { kind: 'uri', value: signer });
  assert.deepEqual(id.legacyExtensions, []);
  const sha = '714a629c0b401fdce83e847fc9589983fc6f46bc';
  assert.deepEqual(id.extensions, ext([
    [9, signer], [10, sha], [11, 'self-hosted'], [12, 'https://gitlab.com/my-group/my-project'], [13, sha],
    [14, 'refs/heads/feature-branch-1'], [15, '20'], [16, 'https://gitlab.com/my-group'], [17, '72'], [18, signer], [19, sha],
    [20, 'push'], [21, 'https://gitlab.com/my-group/my-project/-/jobs/302'], [22, 'public'], [23, 'test-environment2'],
    [24, 'project_path:my-group/my-project:ref_type:branch:ref:feature-branch-1'],
  ]));
  const tag = identityFromToken(token({ ...claims, ref_type: 'tag', ref: 'v1.2.3' }), config);
  assert.equal(tag.extensions.find((e) => e.oid === `${ARC}.14`)?.value, 'refs/tags/v1.2.3');
});

test('Buildkite: SAN from organization and pipeline slugs', () => {
  const claims = vector('buildkite.json');
  const id = identityFromToken(token(claims), config);
  assert.deepEqual(id.san, { kind: 'uri', value: 'https://buildkite.com/acme-inc/super-duper-app' });
  // build_number is a JSON number in Buildkite tokens; it is printed as the decimal
  assert.deepEqual(id.extensions, ext([
    [11, 'buildkite-hosted'], [13, '9f3182061f1e2cca4702c368cbc039b7dc9d4485'], [20, 'ui'],
    [21, 'https://buildkite.com/acme-inc/super-duper-app/builds/1#0184990a-477b-4fa8-9968-496074483cee'], [24, String(claims['sub'])],
  ]));
});

test('email: SAN is the verified email, the challenge is the email, not sub', () => {
  const claims = vector('google-email.json');
  const id = identityFromToken(token(claims, 'email'), config);
  assert.deepEqual(id.san, { kind: 'email', value: 'jane.doe@example.com' });
  assert.equal(id.issuer, 'https://accounts.google.com');
  assert.equal(id.challenge, 'jane.doe@example.com');
  assert.deepEqual(id.extensions, ext([[24, '110169484474386276334']]));
  const entry = config.findIssuer('https://accounts.google.com');
  assert.ok(entry);
  assert.equal(challengeSubject(token(claims, 'email'), entry), 'jane.doe@example.com');
});

test('federated email issuer (dex): the issuer extension comes from IssuerClaim', () => {
  const claims = { ...vector('google-email.json'), iss: 'https://oauth2.sigstore.dev/auth', federated_claims: { connector_id: 'https://github.com/login/oauth', user_id: '1' } };
  const id = identityFromToken(token(claims, 'email'), config);
  assert.equal(id.issuer, 'https://github.com/login/oauth');
});

test('uri, spiffe, username and kubernetes identities', () => {
  const uri = identityFromToken(token({ iss: 'https://accounts.example.com', sub: 'https://users.example.com/alice' }, 'uri'), config);
  assert.deepEqual(uri.san, { kind: 'uri', value: 'https://users.example.com/alice' });
  const spiffe = identityFromToken(token({ iss: 'https://spire.example.org', sub: 'spiffe://example.org/ns/ci/sa/builder' }, 'spiffe'), config);
  assert.deepEqual(spiffe.san, { kind: 'uri', value: 'spiffe://example.org/ns/ci/sa/builder' });
  const user = identityFromToken(token({ iss: 'https://login.example.net', sub: 'alice' }, 'username'), config);
  assert.deepEqual(user.san, { kind: 'other-name', value: 'alice!example.net' });
  const eks = 'https://oidc.eks.us-west-2.amazonaws.com/id/B02C93B6A2D30341AD01E1B6D48164CB';
  const k8s = identityFromToken(token({ iss: eks, sub: 'system:serviceaccount:ci:builder', 'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'builder', uid: 'x' } } }, 'kubernetes'), config);
  assert.deepEqual(k8s.san, { kind: 'uri', value: 'https://kubernetes.io/namespaces/ci/serviceaccounts/builder' });
  assert.equal(k8s.issuer, eks);
  assert.equal(k8s.challenge, 'system:serviceaccount:ci:builder');
});

const rejections: { name: string; claims: Record<string, unknown>; type: IssuerType; code: string }[] = [
  { name: 'unverified email', claims: { ...vector('google-email.json'), email_verified: false }, type: 'email', code: 'ERR_OIDC_EMAIL_UNVERIFIED' },
  { name: 'email_verified as the string "true"', claims: { ...vector('google-email.json'), email_verified: 'true' }, type: 'email', code: 'ERR_OIDC_EMAIL_UNVERIFIED' },
  { name: 'no email claim', claims: { iss: 'https://accounts.google.com', sub: '1', email_verified: true }, type: 'email', code: 'ERR_OIDC_EMAIL_UNVERIFIED' },
  { name: 'GitHub token without job_workflow_ref', claims: { ...vector('github-actions.json'), job_workflow_ref: undefined }, type: 'ci-provider', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'GitLab token without ref_type', claims: { ...vector('gitlab-ci.json'), ref_type: undefined }, type: 'ci-provider', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'uri subject outside the subject domain', claims: { iss: 'https://accounts.example.com', sub: 'https://evil.test/alice' }, type: 'uri', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'uri subject with another scheme', claims: { iss: 'https://accounts.example.com', sub: 'http://users.example.com/alice' }, type: 'uri', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'spiffe id in another trust domain', claims: { iss: 'https://spire.example.org', sub: 'spiffe://evil.org/x' }, type: 'spiffe', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'username with !', claims: { iss: 'https://login.example.net', sub: 'alice!evil' }, type: 'username', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'kubernetes token without service account', claims: { iss: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC', sub: 'x' }, type: 'kubernetes', code: 'ERR_OIDC_IDENTITY_INVALID' },
  { name: 'unknown issuer', claims: { iss: 'https://evil.example', sub: 'x' }, type: 'email', code: 'ERR_OIDC_ISSUER_UNKNOWN' },
];

for (const c of rejections) {
  test(`rejects: ${c.name}`, () => {
    assert.throws(() => identityFromToken(token(c.claims, c.type), config), { code: c.code });
  });
}
