/** `sigil sign [--key KEY] IMAGE`: signs an image as cosign does (with a key, or keyless), storing the signature in the registry. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { collectAnnotation, parseBooleanFlag } from './flags.ts';
import { addKeylessOptions, type KeylessOptions } from './keyless-options.ts';

/** Registers `sigil sign`. */
export function registerSign(program: Command, ctx: CommandContext): void {
  const command = program
    .command('sign')
    .description('sign a container image with a key, or keyless (a certificate for your OIDC identity); the signature goes to the registry as cosign stores it')
    .argument('<image>', 'image reference; a tag is resolved to its digest first')
    .option('--key <ref>', 'private key: a cosign.key file or env://VAR (password from COSIGN_PASSWORD or a prompt); without it, keyless')
    .option('-a, --annotations <key=value>', 'extra claim signed into the payload (repeatable)', collectAnnotation, {})
    .option('--registry-referrers-mode <mode>', 'legacy (sha256-<hex>.sig tag) or oci-1-1 (a referrer with subject)', 'legacy')
    .option('--new-bundle-format', 'keyless: store a Sigstore bundle v0.3 (DSSE over an in-toto statement) as an OCI 1.1 referrer, as cosign 3 does')
    .option('-r, --recursive', 'for an index, also sign every platform manifest')
    .option('--payload <file>', 'sign this file\'s bytes as the payload instead of generating cosign\'s (the -a annotations then do not apply)')
    .option('--sign-container-identity <identity>', 'the critical.identity.docker-reference to sign instead of the image\'s repository (for pulls through a proxy or mirror)')
    .option('--record-creation-timestamp', 'set the signature image config\'s created time to now (default: Go\'s zero time, as cosign)')
    .option('--upload <bool>', 'push the signature to the registry (false: only write the output files)', 'true')
    .option('--tlog-upload <bool>', 'record the signature in the transparency log given by --rekor-url (false: do not)', 'true')
    .option('--output-signature <file>', 'write the base64 signature to this file')
    .option('--output-payload <file>', 'write the signed payload to this file')
    .option('--output-certificate <file>', 'keyless: write the signing certificate (PEM) to this file')
    .option('--certificate <file>', 'with --key: the key\'s certificate (PEM or DER) from your own CA, stored with the signature (and logged instead of the key)')
    .option('--certificate-chain <file>', 'with --certificate: the PEM chain up to the root (last), checked and stored with the signature');
  addKeylessOptions(command)
    .option('-y, --yes', 'accepted for cosign compatibility; sigil never asks')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--output <format>', 'text or json', 'text')
    .action(async (image: string, opts: SignOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runSign } = await import('./sign-run.ts');
      const result = await runSign(ctx.io, image, {
        ...opts, upload: parseBooleanFlag('--upload', opts.upload), tlogUpload: parseBooleanFlag('--tlog-upload', opts.tlogUpload),
      });
      if (format === 'json') writeJson(ctx.io.stdout, result);
    });
}

/** The flags of `sigil sign` as commander hands them over. */
export interface SignOptions extends KeylessOptions {
  readonly key?: string;
  readonly newBundleFormat?: boolean;
  readonly outputCertificate?: string;
  readonly certificate?: string;
  readonly certificateChain?: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly registryReferrersMode: string;
  readonly recursive?: boolean;
  readonly payload?: string;
  readonly signContainerIdentity?: string;
  readonly recordCreationTimestamp?: boolean;
  readonly upload: string;
  readonly tlogUpload: string;
  readonly outputSignature?: string;
  readonly outputPayload?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly output: string;
}
