/**
 * cosign's keyless identity flags, shared by `verify` and `verify-blob`: one of
 * --certificate-identity[-regexp] and one of --certificate-oidc-issuer[-regexp] are required
 * (cosign's messages when missing), plus the optional exact GitHub workflow values.
 */
import { UsageError } from '../../core/index.ts';
import { createMatcher, type CertificateIdentity, type GithubWorkflowPolicy, type StringMatcher } from '../../verify/matcher.ts';

/** The identity flags as commander hands them over. */
export interface IdentityFlags {
  readonly certificateIdentity?: string;
  readonly certificateIdentityRegexp?: string;
  readonly certificateOidcIssuer?: string;
  readonly certificateOidcIssuerRegexp?: string;
  readonly certificateGithubWorkflowTrigger?: string;
  readonly certificateGithubWorkflowSha?: string;
  readonly certificateGithubWorkflowName?: string;
  readonly certificateGithubWorkflowRepository?: string;
  readonly certificateGithubWorkflowRef?: string;
}

/** True when any identity flag is set (so --key cannot be combined with it). */
export function hasIdentityFlags(f: IdentityFlags): boolean {
  return [
    f.certificateIdentity, f.certificateIdentityRegexp, f.certificateOidcIssuer, f.certificateOidcIssuerRegexp,
    f.certificateGithubWorkflowTrigger, f.certificateGithubWorkflowSha, f.certificateGithubWorkflowName,
    f.certificateGithubWorkflowRepository, f.certificateGithubWorkflowRef,
  ].some((v) => v !== undefined);
}

function matcher(exact: string | undefined, regexp: string | undefined, flag: string): StringMatcher {
  if (exact !== undefined && regexp !== undefined) throw new UsageError('ERR_USAGE', `give only one of --${flag} and --${flag}-regexp`);
  if (exact === undefined && regexp === undefined) {
    throw new UsageError('ERR_USAGE', `--${flag} or --${flag}-regexp is required for verification in keyless mode`);
  }
  return exact !== undefined ? createMatcher('exact', exact) : createMatcher('regexp', regexp ?? '');
}

/**
 * The identity policy the flags describe.
 * @throws ERR_USAGE with cosign's message when the identity or issuer is missing, or a regexp does not compile
 */
export function identityPolicyOf(f: IdentityFlags): { identities: CertificateIdentity[]; github?: GithubWorkflowPolicy } {
  const subject = matcher(f.certificateIdentity, f.certificateIdentityRegexp, 'certificate-identity');
  const issuer = matcher(f.certificateOidcIssuer, f.certificateOidcIssuerRegexp, 'certificate-oidc-issuer');
  const github: Record<string, string> = {};
  const pairs: [keyof GithubWorkflowPolicy, string | undefined][] = [
    ['trigger', f.certificateGithubWorkflowTrigger], ['sha', f.certificateGithubWorkflowSha], ['name', f.certificateGithubWorkflowName],
    ['repository', f.certificateGithubWorkflowRepository], ['ref', f.certificateGithubWorkflowRef],
  ];
  for (const [k, v] of pairs) if (v !== undefined) github[k] = v;
  return { identities: [{ subject, issuer }], ...(Object.keys(github).length > 0 ? { github } : {}) };
}
