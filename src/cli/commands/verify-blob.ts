/**
 * `sigil verify-blob --key KEY --signature SIG FILE`: verifies a cosign blob signature and its log
 * entry; with `--bundle` also Sigstore bundles (v0.1–v0.3) and, without --key, keylessly by the
 * certificate identity (cosign's legacy bundle with `cert`, or a Sigstore bundle).
 */
import type { Command } from 'commander';
import { addIdentityOptions } from './identity-options.ts';
import type { IdentityFlags } from './identity-flags.ts';
import { addVerifyCompatOptions, settleVerifyFlags, type VerifyCompatFlags } from './verify-compat-options.ts';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** The flags of `sigil verify-blob`. */
export interface VerifyBlobOptions extends IdentityFlags, VerifyCompatFlags {
  readonly key?: string;
  readonly trustedRoot?: string;
  readonly insecureIgnoreSct?: boolean;
  readonly signature?: string;
  readonly certificate?: string;
  readonly bundle?: string;
  readonly insecureIgnoreTlog?: boolean;
  readonly newBundleFormat?: boolean;
  readonly rekorUrl?: string;
  readonly output: string;
}

/** Registers `sigil verify-blob`. */
export function registerVerifyBlob(program: Command, ctx: CommandContext): void {
  addVerifyCompatOptions(addIdentityOptions(program
    .command('verify-blob')
    .description('verify a file\'s signature with a public key or keylessly by certificate identity, as cosign verify-blob does (signature file, legacy bundle or Sigstore bundle)')
    .argument('<file>', 'the signed file; - reads standard input')
    .option('--key <file>', 'public key (cosign.pub), or env://VAR holding it; without it, verify keylessly by identity')
    .option('--signature <file>', 'the base64 signature (cosign sign-blob --output-signature); a trailing newline is allowed')
    .option('--certificate <file>', 'keyless: the signing certificate (PEM, or base64 of it as cosign sign-blob writes it), verified against the trusted root; with --signature')
    .option('--bundle <file>', 'a Sigstore bundle (v0.1-v0.3), or cosign 2\'s legacy bundle {"base64Signature","cert","rekorBundle"}'))
    .option('--new-bundle-format', 'the --bundle is a Sigstore bundle (accepted as cosign takes it; the format is also recognised without it)')
    .option('--trusted-root <file>', 'bundles and keyless: trusted_root.json (default: the built-in Sigstore production root)')
    .option('--insecure-ignore-sct', 'keyless: accept a certificate without a verified certificate transparency timestamp')
    .option('--insecure-ignore-tlog', 'accept the signature without a verified transparency log entry')
    .option('--rekor-url <url>', 'the log to search for the entry when the bundle has none (default: SIGIL_REKOR_URL)'), { experimentalOci11: true })
    .option('--output <format>', 'text or json', 'text')
    .addHelpText('after', [
      '',
      'The log key comes from SIGSTORE_REKOR_PUBLIC_KEY (a PEM file), as for cosign; without it, from the log at',
      '--rekor-url (trust on first use). The log entry is the bundle\'s rekorBundle, else one found by searching',
      'the log for the file\'s SHA-256 that carries this signature and key.',
      'Exit 2: missing file or a signature file that is not base64; 3: no trusted log key;',
      '12: the signature (including base64 of bytes that are no signature), the log entry, the certificate or the identity does not verify;',
      '13: keyless verification of a legacy bundle without a certificate.',
      'Keyless and Sigstore-bundle verification use --trusted-root, else the built-in production root with cosign\'s',
      'SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY and SIGSTORE_CT_LOG_PUBLIC_KEY_FILE overrides.',
    ].join('\n'))
    .action(async (file: string, opts: VerifyBlobOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runVerifyBlob } = await import('./verify-blob-run.ts');
      const result = await runVerifyBlob(ctx.io, file, { ...opts, ...settleVerifyFlags(opts) });
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else ctx.io.stderr.write('Verified OK\n');
    });
}
