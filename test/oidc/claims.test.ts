// The local issuer's claim sets: shaped like the providers' tokens, and identity requests parsed strictly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClaims } from '../../src/oidc/claims.ts';
import { parseIdentityRequest } from '../../src/oidc/identity-request.ts';
import { createSeededRandom } from '../support/seeded-random.ts';

const frame = { issuerBase: 'https://sigil.example/oidc', audience: 'sigstore', now: new Date('2026-11-23T12:00:00Z'), ttlSeconds: 600, random: createSeededRandom('claims') };
const iat = Date.parse('2026-11-23T12:00:00Z') / 1000;

test('email claims', () => {
  const c = buildClaims({ kind: 'email', email: 'dev@example.com' }, { ...frame, nonce: 'xyz' });
  assert.equal(c['iss'], 'https://sigil.example/oidc');
  assert.deepEqual([c['sub'], c['email'], c['email_verified'], c['aud'], c['iat'], c['nbf'], c['exp'], c['nonce']], ['dev@example.com', 'dev@example.com', true, 'sigstore', iat, iat, iat + 600, 'xyz']);
  assert.equal(typeof c['jti'], 'string');
});

test('GitHub Actions claims carry every claim Fulcio templates read', () => {
  const c = buildClaims({ kind: 'github', repository: 'octo-org/app', workflowRef: '.github/workflows/rel.yml@refs/tags/v1', ref: 'refs/tags/v1', environment: 'prod' }, frame);
  assert.equal(c['iss'], 'https://sigil.example/oidc/github-actions');
  for (const k of ['sha', 'event_name', 'repository', 'workflow', 'ref', 'job_workflow_ref', 'job_workflow_sha', 'runner_environment', 'repository_id', 'repository_owner', 'repository_owner_id', 'workflow_ref', 'workflow_sha', 'run_id', 'run_attempt', 'repository_visibility']) {
    assert.equal(typeof c[k], 'string', k);
  }
  assert.equal(c['job_workflow_ref'], 'octo-org/app/.github/workflows/rel.yml@refs/tags/v1');
  assert.equal(c['workflow'], 'rel');
  assert.equal(c['ref_type'], 'tag');
  assert.equal(c['sub'], 'repo:octo-org/app:environment:prod');
  assert.match(String(c['sha']), /^[0-9a-f]{40}$/);
  // ids are stable per repository, as GitHub's are
  assert.equal(buildClaims({ kind: 'github', repository: 'octo-org/app' }, frame)['repository_id'], c['repository_id']);
});

test('GitLab and Buildkite claims', () => {
  const gl = buildClaims({ kind: 'gitlab', project: 'group/sub/app', ref: 'v2', refType: 'tag' }, frame);
  assert.equal(gl['iss'], 'https://sigil.example/oidc/gitlab');
  assert.equal(gl['namespace_path'], 'group/sub');
  assert.equal(gl['ci_config_ref_uri'], 'gitlab.com/group/sub/app//.gitlab-ci.yml@refs/tags/v2');
  assert.equal(gl['sub'], 'project_path:group/sub/app:ref_type:tag:ref:v2');
  const bk = buildClaims({ kind: 'buildkite', pipeline: 'acme/app', branch: 'dev' }, frame);
  assert.equal(bk['iss'], 'https://sigil.example/oidc/buildkite');
  assert.deepEqual([bk['organization_slug'], bk['pipeline_slug'], bk['build_branch'], typeof bk['build_number']], ['acme', 'app', 'dev', 'number']);
});

for (const [name, json] of [
  ['not an object', 'x'],
  ['unknown kind', { kind: 'jenkins' }],
  ['unknown field', { kind: 'email', email: 'a@example.com', admin: true }],
  ['bad email', { kind: 'email', email: 'a@b' }],
  ['email with markup', { kind: 'email', email: '<script>@example.com' }],
  ['repository without owner', { kind: 'github', repository: 'app' }],
  ['sha not hex', { kind: 'github', repository: 'o/r', sha: 'zz' }],
  ['ref with spaces', { kind: 'github', repository: 'o/r', ref: 'refs/heads/a b' }],
  ['refType other', { kind: 'gitlab', project: 'g/p', refType: 'commit' }],
  ['pipeline missing', { kind: 'buildkite' }],
] as const) {
  test(`identity request refused: ${name}`, () => {
    assert.throws(() => parseIdentityRequest(json), { code: 'ERR_OIDC_REQUEST_INVALID' });
  });
}
