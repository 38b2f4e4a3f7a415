/**
 * `sigil sign-bundle`: the sigstore-conformance client protocol's sign command, keyless.
 *
 *   sigil sign-bundle [--staging] [--in-toto] --identity-token TOKEN --bundle OUT
 *     [--trusted-root F] [--signing-config F] FILE
 *
 * Writes a Sigstore bundle v0.3: a message signature over FILE, or with --in-toto a DSSE
 * envelope whose payload is FILE (an in-toto statement) byte for byte.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** The flags of `sigil sign-bundle` as commander hands them over. */
export interface SignBundleOptions {
  readonly identityToken: string;
  readonly bundle: string;
  readonly trustedRoot?: string;
  readonly signingConfig?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
  readonly inToto?: boolean;
  readonly staging?: boolean;
  readonly output: string;
}

/** Registers `sigil sign-bundle`. */
export function registerSignBundle(program: Command, ctx: CommandContext): void {
  program
    .command('sign-bundle')
    .description('sign a file keyless into a Sigstore bundle v0.3 (sigstore-conformance protocol)')
    .argument('<file>', 'the artifact to sign (with --in-toto: the in-toto statement to put in the envelope)')
    .requiredOption('--identity-token <token>', 'the OIDC identity token, or a file holding it')
    .requiredOption('--bundle <file>', 'where to write the bundle')
    .option('--trusted-root <file>', 'trusted_root.json the new bundle is verified against before it is written')
    .option('--signing-config <file>', 'signing_config.json naming the certificate authority and the log')
    .option('--fulcio-url <url>', 'the certificate authority, when no signing config names one (default: SIGIL_FULCIO_URL)')
    .option('--rekor-url <url>', 'the Rekor v1 log, when no signing config names one (default: SIGIL_REKOR_URL)')
    .option('--in-toto', 'the file is an in-toto statement: sign it as a DSSE envelope')
    .option('--staging', 'the public-good staging deployment: give its --signing-config and --trusted-root')
    .option('--output <format>', 'text or json', 'text')
    .action(async (file: string, opts: SignBundleOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runSignBundle } = await import('./sign-bundle-run.ts');
      const result = await runSignBundle(ctx.io, file, opts);
      if (format === 'json') writeJson(ctx.io.stdout, result);
    });
}
