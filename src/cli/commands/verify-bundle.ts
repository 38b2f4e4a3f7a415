/**
 * `sigil verify-bundle`: the sigstore-conformance client protocol's verify command, offline.
 *
 *   sigil verify-bundle [--staging] --bundle B
 *     (--certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] URL | --key PEM)
 *     [--trusted-root F] FILE_OR_DIGEST
 *
 * FILE_OR_DIGEST is a digest only when it reads `sha256:<64 hex>` and no such path exists.
 * The verifier is loaded only when the command runs.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import type { VerifyBundleOptions } from './verify-bundle-run.ts';

/** Registers `sigil verify-bundle`. */
export function registerVerifyBundle(program: Command, ctx: CommandContext): void {
  program
    .command('verify-bundle')
    .description('verify a Sigstore bundle for a file or sha256:<hex> digest, offline (sigstore-conformance protocol)')
    .argument('<file-or-digest>', 'the artifact, or sha256:<64 hex> when no such file exists')
    .requiredOption('--bundle <file>', 'the Sigstore bundle (v0.1-v0.3) to verify')
    .option('--certificate-identity <id>', 'the exact certificate identity (SAN) expected')
    .option('--certificate-identity-regexp <re>', 'a regular expression the identity must contain a match of (cosign semantics)')
    .option('--certificate-oidc-issuer <url>', 'the exact OIDC issuer expected')
    .option('--certificate-oidc-issuer-regexp <re>', 'a regular expression the issuer must contain a match of (cosign semantics)')
    .option('--key <pem>', 'verify a managed-key bundle with this PEM public key instead of an identity')
    .option('--trusted-root <file>', 'trusted_root.json to use instead of the built-in one')
    .option('--staging', 'use the built-in Sigstore staging trust root')
    .option('--output <format>', 'text or json', 'text')
    .action(async (arg: string, opts: VerifyBundleOptions) => {
      const { runVerifyBundle } = await import('./verify-bundle-run.ts');
      await runVerifyBundle(ctx, arg, opts);
    });
}
