/** `sigil verify-blob --key KEY --signature SIG FILE`: verifies a cosign blob signature and its log entry. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** The flags of `sigil verify-blob`. */
export interface VerifyBlobOptions {
  readonly key: string;
  readonly signature?: string;
  readonly bundle?: string;
  readonly insecureIgnoreTlog?: boolean;
  readonly rekorUrl?: string;
  readonly output: string;
}

/** Registers `sigil verify-blob`. */
export function registerVerifyBlob(program: Command, ctx: CommandContext): void {
  program
    .command('verify-blob')
    .description('verify a file\'s signature with a public key, as cosign verify-blob does (base64 signature file or legacy bundle)')
    .argument('<file>', 'the signed file')
    .requiredOption('--key <file>', 'public key (cosign.pub), or env://VAR holding it')
    .option('--signature <file>', 'the base64 signature (cosign sign-blob --output-signature); a trailing newline is allowed')
    .option('--bundle <file>', 'cosign 2\'s legacy bundle {"base64Signature","rekorBundle"}: the signature and its log entry')
    .option('--insecure-ignore-tlog', 'accept the signature without a verified transparency log entry')
    .option('--rekor-url <url>', 'the log to search for the entry when the bundle has none (default: SIGIL_REKOR_URL)')
    .option('--output <format>', 'text or json', 'text')
    .addHelpText('after', [
      '',
      'The log key comes from SIGSTORE_REKOR_PUBLIC_KEY (a PEM file), as for cosign; without it, from the log at',
      '--rekor-url (trust on first use). The log entry is the bundle\'s rekorBundle, else one found by searching',
      'the log for the file\'s SHA-256 that carries this signature and key.',
      'Exit 2: missing file or a signature file that is not base64; 3: no trusted log key;',
      '12: the signature (including base64 of bytes that are no signature) or the log entry does not verify.',
    ].join('\n'))
    .action(async (file: string, opts: VerifyBlobOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runVerifyBlob } = await import('./verify-blob-run.ts');
      const result = await runVerifyBlob(ctx.io, file, opts);
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else ctx.io.stderr.write('Verified OK\n');
    });
}
