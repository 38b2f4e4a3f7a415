/**
 * `sigil verify --key KEY IMAGE` or `sigil verify --certificate-identity ID
 * --certificate-oidc-issuer URL IMAGE`: verifies an image's cosign signatures with a public key,
 * or keylessly by the signer's certificate identity (classic annotations and bundle referrers).
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { addIdentityOptions } from './identity-options.ts';
import type { IdentityFlags } from './identity-flags.ts';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { collectAnnotation } from './flags.ts';
import { addVerifyCompatOptions, settleVerifyFlags, type VerifyCompatFlags } from './verify-compat-options.ts';

/** The flags of `sigil verify`. */
export interface VerifyOptions extends IdentityFlags, VerifyCompatFlags {
  /** settled from --check-claims */
  readonly verifyClaims?: boolean;
  readonly newBundleFormat?: boolean;
  readonly certificate?: string;
  readonly key?: string;
  readonly trustedRoot?: string;
  readonly caRoots?: string;
  readonly caIntermediates?: string;
  readonly certificateChain?: string;
  readonly outputCertificate?: string;
  readonly insecureIgnoreSct?: boolean;
  readonly annotations: Readonly<Record<string, string>>;
  readonly insecureIgnoreTlog?: boolean;
  readonly rekorUrl?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly output: string;
}

/** Registers `sigil verify`. */
export function registerVerify(program: Command, ctx: CommandContext): void {
  addVerifyCompatOptions(addIdentityOptions(program
    .command('verify')
    .description('verify the signatures of an image with a public key, or keylessly by certificate identity (cosign\'s tag and referrers storage)')
    .argument('<image>', 'image reference; a tag is resolved to its digest first')
    .option('--key <file>', 'public key (cosign.pub), or env://VAR holding it'))
    .option('--trusted-root <file>', 'keyless: trusted_root.json with the CA, log and CT log keys (default: the built-in Sigstore production root)')
    .option('--certificate <file>', 'keyless: verify every signature with this certificate (PEM, or base64 of it) instead of the one stored with it; checked against the trusted root and the identity flags')
    .option('--ca-roots <file>', 'keyless: PEM root certificates of a private CA, trusted instead of the trusted root\'s CAs (its logs are still used)')
    .option('--ca-intermediates <file>', 'keyless: PEM intermediate certificates of the --ca-roots CA')
    .option('--certificate-chain <file>', 'keyless: a private CA\'s PEM chain (intermediates, then the root) trusted instead of the trusted root\'s CAs')
    .option('--output-certificate <file>', 'keyless: write the verified signing certificate (PEM) here')
    .option('--insecure-ignore-sct', 'keyless: accept a certificate without a verified certificate transparency timestamp')
    .option('-a, --annotations <key=value>', 'claim every accepted payload must carry (repeatable)', collectAnnotation, {})
    .option('--insecure-ignore-tlog', 'accept signatures that have no verified transparency log entry')
    .option('--rekor-url <url>', 'the log whose served public key to trust when SIGSTORE_REKOR_PUBLIC_KEY is not set (default: SIGIL_REKOR_URL)')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--new-bundle-format', 'keyless: Sigstore bundle referrers are read (sigil reads them with or without this flag); refused with --key'), { checkClaims: true, experimentalOci11: true, signatureDigestAlgorithm: true })
    .option('--output <format>', 'text (cosign\'s output) or json', 'text')
    .addHelpText('after', '\nThe transparency log key comes from SIGSTORE_REKOR_PUBLIC_KEY (a PEM file), as for cosign; without it, from\nthe log at --rekor-url (trust on first use: that only proves the log vouches for itself).\nKeyless verification without --trusted-root uses the built-in production root; SIGSTORE_ROOT_FILE,\nSIGSTORE_REKOR_PUBLIC_KEY and SIGSTORE_CT_LOG_PUBLIC_KEY_FILE replace its CA, log and CT log parts, as for cosign.\nExit 10: no signatures found; 11: image not found; 12: no matching signatures; 13: no certificate found on signature.')
    .action(async (image: string, opts: VerifyOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runVerify, printVerifiedText } = await import('./verify-run.ts');
      if (opts.newBundleFormat === true && opts.key !== undefined) throw new UsageError('ERR_FLAG_UNSUPPORTED', '--new-bundle-format: sigil verifies Sigstore bundle referrers keylessly only; with --key it reads the .sig tag and cosign signature referrers');
      const result = await runVerify(ctx.io, image, { ...opts, ...settleVerifyFlags(opts) });
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else printVerifiedText(ctx.io, result, image);
    });
}
