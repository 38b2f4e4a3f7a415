/** `sigil sign-blob --key KEY FILE`: signs a file's bytes as cosign 2 does, optionally logging the signature. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { parseBooleanFlag } from './flags.ts';

/** The flags of `sigil sign-blob` as commander hands them over. */
export interface SignBlobOptions {
  readonly key: string;
  readonly tlogUpload: string;
  readonly rekorUrl?: string;
  readonly outputSignature?: string;
  readonly bundle?: string;
  readonly output: string;
}

/** Registers `sigil sign-blob`. */
export function registerSignBlob(program: Command, ctx: CommandContext): void {
  program
    .command('sign-blob')
    .description('sign a file with a key; prints (or writes) the base64 signature as cosign sign-blob does')
    .argument('<file>', 'the file to sign; its bytes are signed (SHA-256 for ECDSA P-256)')
    .requiredOption('--key <ref>', 'private key: a cosign.key file or env://VAR (password from COSIGN_PASSWORD or a prompt)')
    .option('--tlog-upload <bool>', 'record the signature in the transparency log given by --rekor-url (false: do not)', 'true')
    .option('--rekor-url <url>', 'Rekor v1 log to record the signature in (default: SIGIL_REKOR_URL; none: not logged)')
    .option('--output-signature <file>', 'write the base64 signature to this file instead of stdout')
    .option('--bundle <file>', 'write cosign 2\'s legacy bundle {"base64Signature","rekorBundle"} to this file')
    .option('-y, --yes', 'accepted for cosign compatibility; sigil never asks')
    .option('--output <format>', 'text (the signature on stdout) or json', 'text')
    .addHelpText('after', '\nThe signature is the base64 of the raw (ASN.1 DER for ECDSA) signature, with no newline, as cosign writes it.')
    .action(async (file: string, opts: SignBlobOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runSignBlob } = await import('./sign-blob-run.ts');
      const result = await runSignBlob(ctx.io, file, { ...opts, tlogUpload: parseBooleanFlag('--tlog-upload', opts.tlogUpload) });
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else if (!opts.outputSignature) ctx.io.stdout.write(`${result.signature}\n`);
    });
}
