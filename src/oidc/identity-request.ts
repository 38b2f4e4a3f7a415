/**
 * What a token is asked for: an email identity, or a CI job identity shaped like GitHub Actions,
 * GitLab CI or Buildkite tokens. Parsed from untrusted JSON (the mint grant's `identity`
 * parameter) or built by the login pages.
 */
import { InputError } from '../core/index.ts';

/** An email identity (a developer). */
export interface EmailIdentity { readonly kind: 'email'; readonly email: string }

/** A GitHub Actions job; unset fields get plausible defaults derived from the others. */
export interface GithubIdentity {
  readonly kind: 'github';
  /** `owner/repo` */
  readonly repository: string;
  /** the workflow file and ref, `.github/workflows/release.yml@refs/tags/v1` style, relative to the repository */
  readonly workflowRef?: string;
  readonly ref?: string;
  readonly sha?: string;
  readonly eventName?: string;
  readonly environment?: string;
  readonly runnerEnvironment?: string;
}

/** A GitLab CI job. */
export interface GitlabIdentity {
  readonly kind: 'gitlab';
  /** `group/project` */
  readonly project: string;
  readonly ref?: string;
  readonly refType?: 'branch' | 'tag';
  readonly sha?: string;
  readonly pipelineSource?: string;
  readonly environment?: string;
}

/** A Buildkite job. */
export interface BuildkiteIdentity {
  readonly kind: 'buildkite';
  /** `organization/pipeline` */
  readonly pipeline: string;
  readonly commit?: string;
  readonly branch?: string;
  readonly buildSource?: string;
}

/** Any identity the issuer can mint. */
export type IdentityRequest = EmailIdentity | GithubIdentity | GitlabIdentity | BuildkiteIdentity;

const EMAIL = /^[^\s@<>"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;
const SLUG_PAIR = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const SAFE = /^[\x21-\x7e]{1,256}$/;

function bad(message: string): never {
  throw new InputError('ERR_OIDC_REQUEST_INVALID', message);
}

/** Checks an email address (the login page and the mint grant both use it). */
export function parseEmail(text: string): string {
  if (!EMAIL.test(text)) bad(`${JSON.stringify(text.slice(0, 80))} is not an email address`);
  return text;
}

function field(obj: Record<string, unknown>, name: string, pattern = SAFE): string | undefined {
  const v = obj[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !pattern.test(v)) bad(`identity field ${name} must be a printable string without spaces`);
  return v;
}

function required(obj: Record<string, unknown>, name: string, pattern: RegExp, what: string): string {
  const v = field(obj, name, pattern);
  if (v === undefined) bad(`identity field ${name} (${what}) is required`);
  return v;
}

// drops unset optional fields (exactOptionalPropertyTypes); the fields were validated above
function withDefined<T extends IdentityRequest>(value: { readonly [K in keyof T]-?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Parses an identity request from JSON.
 * @throws ERR_OIDC_REQUEST_INVALID for an unknown kind or a malformed field
 */
export function parseIdentityRequest(json: unknown): IdentityRequest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('identity must be a json object');
  const obj = json as Record<string, unknown>;
  const allowed: Record<string, readonly string[]> = {
    email: ['kind', 'email'],
    github: ['kind', 'repository', 'workflowRef', 'ref', 'sha', 'eventName', 'environment', 'runnerEnvironment'],
    gitlab: ['kind', 'project', 'ref', 'refType', 'sha', 'pipelineSource', 'environment'],
    buildkite: ['kind', 'pipeline', 'commit', 'branch', 'buildSource'],
  };
  const kind = obj['kind'];
  const keys = typeof kind === 'string' ? allowed[kind] : undefined;
  if (keys === undefined) bad(`identity kind must be one of ${Object.keys(allowed).join(', ')}`);
  for (const k of Object.keys(obj)) if (!keys.includes(k)) bad(`unknown identity field ${k} for kind ${String(kind)}`);
  switch (kind) {
    case 'email': return { kind, email: parseEmail(typeof obj['email'] === 'string' ? obj['email'] : '') };
    case 'github': return withDefined<GithubIdentity>({
      kind, repository: required(obj, 'repository', SLUG_PAIR, 'owner/repo'), workflowRef: field(obj, 'workflowRef'), ref: field(obj, 'ref'),
      sha: field(obj, 'sha', /^[0-9a-f]{40}$/), eventName: field(obj, 'eventName'), environment: field(obj, 'environment'), runnerEnvironment: field(obj, 'runnerEnvironment'),
    });
    case 'gitlab': {
      const refType = field(obj, 'refType', /^(branch|tag)$/) as 'branch' | 'tag' | undefined;
      return withDefined<GitlabIdentity>({
        kind, project: required(obj, 'project', /^[A-Za-z0-9_.-]{1,100}(\/[A-Za-z0-9_.-]{1,100}){1,5}$/, 'group/project'), ref: field(obj, 'ref'), refType,
        sha: field(obj, 'sha', /^[0-9a-f]{40}$/), pipelineSource: field(obj, 'pipelineSource'), environment: field(obj, 'environment'),
      });
    }
    default: return withDefined<BuildkiteIdentity>({
      kind: 'buildkite', pipeline: required(obj, 'pipeline', SLUG_PAIR, 'organization/pipeline'), commit: field(obj, 'commit', /^[0-9a-f]{40}$/),
      branch: field(obj, 'branch'), buildSource: field(obj, 'buildSource'),
    });
  }
}
