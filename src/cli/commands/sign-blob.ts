/** `sigil sign-blob [--key KEY] FILE`: signs a file's bytes as cosign does, with a key or keyless. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { parseBooleanFlag } from './flags.ts';
import { addKeylessOptions, type KeylessOptions } from './keyless-options.ts';

/** The flags of `sigil sign-blob` as commander hands them over. */
export interface SignBlobOptions extends KeylessOptions {
  readonly key?: string;
  readonly tlogUpload: string;
  readonly outputSignature?: string;
  readonly outputCertificate?: string;
  readonly bundle?: string;
  readonly newBundleFormat?: boolean;
  readonly b64: string;
  readonly output: string;
}

/** Registers `sigil sign-blob`. */
export function registerSignBlob(program: Command, ctx: CommandContext): void {
  const command = program
    .command('sign-blob')
    .description('sign a file with a key, or keyless (a certificate for your OIDC identity); prints the base64 signature as cosign sign-blob does')
    .argument('<file>', 'the file to sign; its bytes are signed (SHA-256 for ECDSA P-256); - reads standard input')
    .option('--key <ref>', 'private key: a cosign.key file or env://VAR (password from COSIGN_PASSWORD or a prompt); without it, keyless')
    .option('--tlog-upload <bool>', 'record the signature in the transparency log given by --rekor-url (false: do not)', 'true')
    .option('--output-signature <file>', 'write the base64 signature to this file instead of stdout')
    .option('--output-certificate <file>', 'keyless: write the signing certificate to this file (base64 of the PEM, as cosign sign-blob writes it)')
    .option('--b64 <bool>', 'false: the signature (stdout, --output-signature) as raw bytes with no newline, the certificate as PEM', 'true')
    .option('--bundle <file>', 'write cosign\'s bundle {"base64Signature","cert","rekorBundle"} to this file (a Sigstore bundle v0.3 with --new-bundle-format)')
    .option('--new-bundle-format', 'write --bundle as a Sigstore bundle v0.3 (needs the transparency log): the certificate keyless, a hint of the public key with --key');
  addKeylessOptions(command)
    .option('-y, --yes', 'accepted for cosign compatibility; sigil never asks')
    .option('--output <format>', 'text (the signature on stdout) or json', 'text')
    .addHelpText('after', '\nThe signature is the base64 of the raw (ASN.1 DER for ECDSA) signature, with no newline, as cosign writes it.')
    .action(async (file: string, opts: SignBlobOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runSignBlob } = await import('./sign-blob-run.ts');
      const b64 = parseBooleanFlag('--b64', opts.b64);
      const result = await runSignBlob(ctx.io, file, { ...opts, b64, tlogUpload: parseBooleanFlag('--tlog-upload', opts.tlogUpload) });
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else if (!opts.outputSignature) ctx.io.stdout.write(b64 ? `${result.signature}\n` : Buffer.from(result.signature, 'base64'));
    });
}
