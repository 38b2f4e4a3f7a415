/**
 * `sigil verify-attestation --key KEY IMAGE` or `... --certificate-identity ID
 * --certificate-oidc-issuer URL IMAGE`: verifies an image's cosign attestations (the DSSE
 * envelopes under `sha256-<hex>.att`) and prints each verified envelope, as cosign does.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { addIdentityOptions } from './identity-options.ts';
import type { IdentityFlags } from './identity-flags.ts';
import { addVerifyCompatOptions, settleVerifyFlags, type VerifyCompatFlags } from './verify-compat-options.ts';

/** The flags of `sigil verify-attestation`. */
export interface VerifyAttestationOptions extends IdentityFlags, VerifyCompatFlags {
  readonly newBundleFormat?: boolean;
  readonly key?: string;
  readonly type: string;
  readonly policy?: string;
  readonly trustedRoot?: string;
  readonly insecureIgnoreSct?: boolean;
  readonly insecureIgnoreTlog?: boolean;
  readonly rekorUrl?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly output: string;
}

/** Registers `sigil verify-attestation`. */
export function registerVerifyAttestation(program: Command, ctx: CommandContext): void {
  addVerifyCompatOptions(addIdentityOptions(program
    .command('verify-attestation')
    .description('verify the attestations of an image (cosign\'s .att tag) with a public key, or keylessly by certificate identity')
    .argument('<image>', 'image reference; a tag is resolved to its digest first')
    .option('--key <file>', 'public key (cosign.pub), or env://VAR holding it'))
    .option('--type <type>', 'the predicate type to accept: a cosign short name (slsaprovenance, spdxjson, cyclonedx, ...) or a URI', 'custom')
    .option('--policy <file>', 'not supported: sigil does not evaluate CUE or Rego policies')
    .option('--trusted-root <file>', 'keyless: trusted_root.json with the CA, log and CT log keys (default: the built-in Sigstore production root)')
    .option('--insecure-ignore-sct', 'keyless: accept a certificate without a verified certificate transparency timestamp')
    .option('--insecure-ignore-tlog', 'accept attestations that have no verified transparency log entry')
    .option('--rekor-url <url>', 'the log whose served public key to trust when SIGSTORE_REKOR_PUBLIC_KEY is not set (default: SIGIL_REKOR_URL)')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--new-bundle-format', 'Sigstore bundle attestations are read (sigil reads them with or without this flag, as the help below says)'), { checkClaims: true, experimentalOci11: true })
    .option('--output <format>', 'text (cosign\'s output: the checks on stderr, each verified envelope on stdout) or json', 'text')
    .addHelpText('after', '\nEvery layer is checked: the DSSE signature over the statement, the Rekor bundle (unless --insecure-ignore-tlog), and that\nthe statement\'s subject names the image digest; then only attestations of --type (default custom, as cosign) count.\nSigstore bundle attestations (OCI 1.1 referrers, cosign attest --new-bundle-format) are read too when keyless, or with --key and --trusted-root.\nCUE and Rego policies (cosign\'s --policy) are not supported.\nExit 10: no attestations found; 11: image not found; 12: none verified, or none of --type.')
    .action(async (image: string, opts: VerifyAttestationOptions) => {
      const format = parseOutputFormat(opts.output);
      if (opts.policy !== undefined) throw new UsageError('ERR_USAGE', '--policy is not supported: sigil does not evaluate CUE or Rego policies');
      const { runVerifyAttestation, printAttestationText } = await import('./verify-attestation-run.ts');
      const settled = settleVerifyFlags(opts);
      if (!settled.verifyClaims) throw new UsageError('ERR_FLAG_UNSUPPORTED', '--check-claims=false: sigil always checks that an attestation\'s subject names the image digest');
      const result = await runVerifyAttestation(ctx.io, image, { ...opts, ...settled });
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else printAttestationText(ctx.io, result, image);
    });
}
