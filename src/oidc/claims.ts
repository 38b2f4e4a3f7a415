/**
 * Claim sets the local issuer signs, shaped like the providers' real tokens (GitHub Actions,
 * GitLab CI, Buildkite job tokens; an email login) so the CA's templates see what they would
 * see in production. Each CI kind has its own issuer URL under the issuer base, since Fulcio's
 * configuration gives one type per issuer URL.
 */
import { encodeHex, hashHex, type Random } from '../core/index.ts';
import type { BuildkiteIdentity, GithubIdentity, GitlabIdentity, IdentityRequest } from './identity-request.ts';

/** Issuer path (under the issuer base) per identity kind. */
export const ISSUER_SUFFIX: Readonly<Record<IdentityRequest['kind'], string>> = {
  email: '', github: '/github-actions', gitlab: '/gitlab', buildkite: '/buildkite',
};

/** What every token gets besides the identity's claims. */
export interface TokenFrame {
  /** the issuer base URL, `<public-url>/oidc` */
  readonly issuerBase: string;
  readonly audience: string;
  readonly now: Date;
  readonly ttlSeconds: number;
  readonly random: Random;
  /** echoed from the authorization request (OIDC Core §3.1.2.1) */
  readonly nonce?: string;
}

/** The issuer URL of an identity kind. */
export function issuerFor(issuerBase: string, kind: IdentityRequest['kind']): string {
  return `${issuerBase}${ISSUER_SUFFIX[kind]}`;
}

// stable numeric ids per name, as providers give a repository or project the same id every time
function idOf(name: string, digits = 9): string {
  return String(BigInt(`0x${hashHex('sha256', name).slice(0, 15)}`) % 10n ** BigInt(digits));
}

function randomHex(random: Random, bytes: number): string {
  return encodeHex(random.bytes(bytes));
}

function githubClaims(id: GithubIdentity, random: Random): Record<string, unknown> {
  const [owner = ''] = id.repository.split('/');
  const ref = id.ref ?? 'refs/heads/main';
  const sha = id.sha ?? randomHex(random, 20);
  let workflow = id.workflowRef ?? '.github/workflows/release.yml';
  if (!workflow.startsWith(`${id.repository}/`)) workflow = `${id.repository}/${workflow.replace(/^\/+/, '')}`;
  if (!workflow.includes('@')) workflow = `${workflow}@${ref}`;
  const file = /\/([^/@]+?)(\.ya?ml)?@/.exec(workflow)?.[1] ?? 'release';
  const runId = idOf(`${id.repository}:${randomHex(random, 8)}`, 10);
  return {
    sub: id.environment === undefined ? `repo:${id.repository}:ref:${ref}` : `repo:${id.repository}:environment:${id.environment}`,
    ...(id.environment === undefined ? {} : { environment: id.environment }),
    ref, sha, repository: id.repository, repository_owner: owner, repository_owner_id: idOf(owner, 8),
    run_id: runId, run_number: String(Number(runId.slice(-3)) + 1), run_attempt: '1',
    repository_visibility: 'public', repository_id: idOf(id.repository), actor_id: idOf(owner, 8), actor: owner,
    workflow: file, head_ref: '', base_ref: '', event_name: id.eventName ?? 'push',
    ref_protected: 'false', ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    workflow_ref: workflow, workflow_sha: sha, job_workflow_ref: workflow, job_workflow_sha: sha,
    runner_environment: id.runnerEnvironment ?? 'github-hosted',
  };
}

function gitlabClaims(id: GitlabIdentity, random: Random): Record<string, unknown> {
  const namespace = id.project.split('/').slice(0, -1).join('/');
  const ref = id.ref ?? 'main';
  const refType = id.refType ?? 'branch';
  const sha = id.sha ?? randomHex(random, 20);
  const refPath = `refs/${refType === 'branch' ? 'heads' : 'tags'}/${ref}`;
  return {
    namespace_id: idOf(namespace, 8), namespace_path: namespace, project_id: idOf(id.project, 8), project_path: id.project,
    user_id: idOf(`user:${namespace}`, 7), user_login: namespace.split('/')[0] ?? namespace, user_identities: [],
    pipeline_id: idOf(`pipeline:${sha}`, 10), pipeline_source: id.pipelineSource ?? 'push', job_id: idOf(`job:${randomHex(random, 8)}`, 10),
    ref, ref_type: refType, ref_path: refPath, ref_protected: 'true',
    ...(id.environment === undefined ? {} : { environment: id.environment, environment_protected: 'false', deployment_tier: 'production', environment_action: 'start' }),
    runner_id: Number(idOf('runner', 6)), runner_environment: 'gitlab-hosted', sha, project_visibility: 'public',
    ci_config_ref_uri: `gitlab.com/${id.project}//.gitlab-ci.yml@${refPath}`, ci_config_sha: sha,
    sub: `project_path:${id.project}:ref_type:${refType}:ref:${ref}`,
  };
}

function buildkiteClaims(id: BuildkiteIdentity, random: Random): Record<string, unknown> {
  const [org = '', pipeline = ''] = id.pipeline.split('/');
  const branch = id.branch ?? 'main';
  const commit = id.commit ?? randomHex(random, 20);
  return {
    sub: `organization:${org}:pipeline:${pipeline}:ref:refs/heads/${branch}:commit:${commit}:step:`,
    organization_slug: org, pipeline_slug: pipeline, build_number: Number(idOf(randomHex(random, 8), 4)), build_branch: branch, build_tag: null,
    build_commit: commit, build_source: id.buildSource ?? 'webhook', step_key: null, job_id: random.uuid(), agent_id: random.uuid(),
    runner_environment: 'buildkite-hosted',
  };
}

/** The identity's claims without the frame (iss, aud, times). */
function identityClaims(request: IdentityRequest, random: Random): Record<string, unknown> {
  switch (request.kind) {
    case 'email': return { sub: request.email, email: request.email, email_verified: true };
    case 'github': return githubClaims(request, random);
    case 'gitlab': return gitlabClaims(request, random);
    case 'buildkite': return buildkiteClaims(request, random);
  }
}

/** The full claim set of a token for `request`, issued now for `frame.ttlSeconds`. */
export function buildClaims(request: IdentityRequest, frame: TokenFrame): Record<string, unknown> {
  const iat = Math.floor(frame.now.getTime() / 1000);
  return {
    jti: frame.random.uuid(),
    ...identityClaims(request, frame.random),
    iss: issuerFor(frame.issuerBase, request.kind), aud: frame.audience, iat, nbf: iat, exp: iat + frame.ttlSeconds,
    ...(frame.nonce === undefined ? {} : { nonce: frame.nonce }),
  };
}
