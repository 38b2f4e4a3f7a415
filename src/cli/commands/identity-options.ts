/**
 * Registers cosign's keyless identity flags on `verify` and `verify-blob` (one list, one wording).
 * Kept apart from identity-flags.ts, which loads the verifier: registering a command must stay cheap.
 */
import type { Command } from 'commander';

/** Adds --certificate-identity[-regexp], --certificate-oidc-issuer[-regexp] and the GitHub workflow flags. */
export function addIdentityOptions(command: Command): Command {
  return command
    .option('--certificate-identity <id>', 'keyless: the exact identity (a SAN: email, URI) the certificate must name')
    .option('--certificate-identity-regexp <re>', 'keyless: a regular expression the identity must contain a match of')
    .option('--certificate-oidc-issuer <url>', 'keyless: the exact OIDC issuer the certificate must name')
    .option('--certificate-oidc-issuer-regexp <re>', 'keyless: a regular expression the issuer must contain a match of')
    .option('--certificate-github-workflow-trigger <event>', 'keyless: the exact GitHub workflow trigger (extension .1.2)')
    .option('--certificate-github-workflow-sha <sha>', 'keyless: the exact GitHub workflow commit (extension .1.3)')
    .option('--certificate-github-workflow-name <name>', 'keyless: the exact GitHub workflow name (extension .1.4)')
    .option('--certificate-github-workflow-repository <repo>', 'keyless: the exact GitHub repository (extension .1.5)')
    .option('--certificate-github-workflow-ref <ref>', 'keyless: the exact GitHub ref (extension .1.6)');
}
