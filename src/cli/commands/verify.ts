/** `sigil verify --key KEY IMAGE`: verifies an image's cosign signatures with a public key. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { collectAnnotation } from './flags.ts';

/** The flags of `sigil verify`. */
export interface VerifyOptions {
  readonly key: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly insecureIgnoreTlog?: boolean;
  readonly rekorUrl?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly output: string;
}

/** Registers `sigil verify`. */
export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description('verify the signatures of an image with a public key (cosign\'s tag and referrers storage)')
    .argument('<image>', 'image reference; a tag is resolved to its digest first')
    .requiredOption('--key <file>', 'public key (cosign.pub), or env://VAR holding it')
    .option('-a, --annotations <key=value>', 'claim every accepted payload must carry (repeatable)', collectAnnotation, {})
    .option('--insecure-ignore-tlog', 'accept signatures that have no verified transparency log entry')
    .option('--rekor-url <url>', 'the log whose served public key to trust when SIGSTORE_REKOR_PUBLIC_KEY is not set (default: SIGIL_REKOR_URL)')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--output <format>', 'text (cosign\'s output) or json', 'text')
    .addHelpText('after', '\nThe transparency log key comes from SIGSTORE_REKOR_PUBLIC_KEY (a PEM file), as for cosign; without it, from\nthe log at --rekor-url (trust on first use: that only proves the log vouches for itself).\nExit 10: no signatures found; 11: image not found; 12: no matching signatures.')
    .action(async (image: string, opts: VerifyOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runVerify, printVerifiedText } = await import('./verify-run.ts');
      const result = await runVerify(ctx.io, image, opts);
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else printVerifiedText(ctx.io, result, image);
    });
}
