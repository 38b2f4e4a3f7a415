/**
 * The values an identity policy matches a certificate against, and how (cosign's semantics, see
 * policy.ts). Apart from policy.ts so that parsing the CLI's identity flags loads no ASN.1 code.
 */
import { UsageError } from '../core/errors.ts';

/** How one value is matched. */
export type StringMatcher =
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'regexp'; readonly pattern: string };

/** One acceptable identity: a subject (SAN) and an OIDC issuer, both must match. */
export interface CertificateIdentity {
  readonly subject: StringMatcher;
  readonly issuer: StringMatcher;
}

/** cosign's `--certificate-github-workflow-*` values, each compared exactly with a legacy extension. */
export interface GithubWorkflowPolicy {
  readonly trigger?: string;
  readonly sha?: string;
  readonly name?: string;
  readonly repository?: string;
  readonly ref?: string;
}

/**
 * Compiles a matcher, checking regexp syntax now.
 * @throws ERR_USAGE for a pattern that does not compile
 */
export function createMatcher(kind: 'exact' | 'regexp', text: string): StringMatcher {
  if (kind === 'exact') return { kind, value: text };
  try {
    new RegExp(text, 'u');
  } catch (cause) {
    throw new UsageError('ERR_USAGE', `invalid regular expression ${JSON.stringify(text)}`, { cause });
  }
  return { kind, pattern: text };
}

/** True when `value` satisfies the matcher (exact: equal; regexp: the pattern matches somewhere). */
export function isMatch(matcher: StringMatcher, value: string): boolean {
  return matcher.kind === 'exact' ? matcher.value === value : new RegExp(matcher.pattern, 'u').test(value);
}
