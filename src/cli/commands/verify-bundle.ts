/**
 * `sigil verify-bundle`: the sigstore-conformance client protocol's verify command, offline.
 *
 *   sigil verify-bundle [--staging] --bundle B [--bundle B2 ...]
 *     (--certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] URL | --key PEM)
 *     [--trusted-root F] [--threads N] FILE_OR_DIGEST [FILE_OR_DIGEST2 ...]
 *
 * FILE_OR_DIGEST is a digest only when it reads `sha256:<64 hex>` and no such path exists. Many
 * artifacts pair with as many --bundle files, in order; many bundles are verified on worker
 * threads. The verifier is loaded only when the command runs.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import type { VerifyBundleOptions } from './verify-bundle-run.ts';

/** Registers `sigil verify-bundle`. */
export function registerVerifyBundle(program: Command, ctx: CommandContext): void {
  program
    .command('verify-bundle')
    .description('verify a Sigstore bundle for a file or sha256:<hex> digest, offline (sigstore-conformance protocol)')
    .argument('<file-or-digest...>', 'the artifact, or sha256:<64 hex> when no such file exists; several pair with as many --bundle, in order')
    .requiredOption('--bundle <file>', 'the Sigstore bundle (v0.1-v0.3) to verify; repeat it, once per artifact, to verify many', collectBundle)
    .option('--certificate-identity <id>', 'the exact certificate identity (SAN) expected')
    .option('--certificate-identity-regexp <re>', 'a regular expression the identity must contain a match of (cosign semantics)')
    .option('--certificate-oidc-issuer <url>', 'the exact OIDC issuer expected')
    .option('--certificate-oidc-issuer-regexp <re>', 'a regular expression the issuer must contain a match of (cosign semantics)')
    .option('--key <pem>', 'verify a managed-key bundle with this PEM public key instead of an identity')
    .option('--trusted-root <file>', 'trusted_root.json to use instead of the built-in one')
    .option('--staging', 'use the built-in Sigstore staging trust root')
    .option('--threads <n>', `worker threads for many bundles (default: one per core from ${POOL_MIN_BUNDLES} bundles on; 0: the calling thread only)`)
    .option('--output <format>', 'text or json', 'text')
    .action(async (args: string[], opts: VerifyBundleOptions) => {
      const { runVerifyBundles } = await import('./verify-bundle-run.ts');
      await runVerifyBundles(ctx, args, opts);
    });
}

/**
 * From this many bundles on, verify-bundle verifies on worker threads unless --threads says
 * otherwise: starting workers costs a few hundred milliseconds (each loads the verifier), which
 * a second core wins back only over a few hundred bundles.
 */
export const POOL_MIN_BUNDLES = 256;

function collectBundle(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
