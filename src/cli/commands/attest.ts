/**
 * `sigil attest --predicate FILE --type T [--key KEY] IMAGE`: signs an in-toto statement about the
 * image (a DSSE envelope) and stores it under the image's `sha256-<hex>.att` tag, as cosign 2 does.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import { parseBooleanFlag } from './flags.ts';
import { addKeylessOptions, type KeylessOptions } from './keyless-options.ts';

/** Registers `sigil attest`. */
export function registerAttest(program: Command, ctx: CommandContext): void {
  const command = program
    .command('attest')
    .description('attest a container image: sign an in-toto statement with a predicate (provenance, SBOM, ...) and store it beside the image as cosign does (sha256-<hex>.att)')
    .argument('<image>', 'image reference; a tag is resolved to its digest first')
    .requiredOption('--predicate <file>', 'the predicate file (JSON for every type but custom and spdx); - reads standard input')
    .option('--record-creation-timestamp', 'set the attestation image config\'s created time to now (default: Go\'s zero time, as cosign)')
    .option('--type <type>', 'predicate type: slsaprovenance, slsaprovenance02, slsaprovenance1, link, spdx, spdxjson, cyclonedx, vuln, openvex, custom, or a URI', 'custom')
    .option('--key <ref>', 'private key: a cosign.key file or env://VAR (password from COSIGN_PASSWORD or a prompt); without it, keyless')
    .option('--replace', 'replace the image\'s attestations of the same predicate type instead of adding one')
    .option('-r, --recursive', 'for an index, also attest every platform manifest')
    .option('--upload <bool>', 'push the attestation to the registry (false: push nothing)', 'true')
    .option('--no-upload', 'do not push the attestation (cosign\'s spelling of --upload=false)')
    .option('--tlog-upload <bool>', 'record the attestation in the transparency log given by --rekor-url (false: do not)', 'true')
    .option('--new-bundle-format', 'store a Sigstore bundle v0.3 as an OCI 1.1 referrer instead of a .att layer (needs a log)')
    .option('--rekor-entry-type <type>', 'the log entry kind: dsse (cosign 2.5\'s default) or intoto (intoto 0.0.1)', 'dsse')
    .option('--output-certificate <file>', 'keyless: write the signing certificate (PEM) to this file')
    .option('--certificate <file>', 'with --key: the key\'s certificate (PEM or DER) from your own CA, stored with the attestation (and logged instead of the key)')
    .option('--certificate-chain <file>', 'with --certificate: the PEM chain up to the root (last), checked and stored with the attestation');
  addKeylessOptions(command)
    .option('-y, --yes', 'accepted for cosign compatibility; sigil never asks')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--output <format>', 'text or json', 'text')
    .addHelpText('after', '\nThe statement is an in-toto Statement v0.1 whose subject is the image repository and digest. custom wraps the\nfile as {"Data": <text>, "Timestamp": <now>}, spdx embeds it as text, every other type embeds the JSON.\nAttestations are appended to the .att tag (never dropping one written meanwhile); --replace drops those of the same type.\n--new-bundle-format writes a Sigstore bundle v0.3 referrer (with a dsse log entry) instead, as cosign does.')
    .action(async (image: string, opts: AttestOptions) => {
      const format = parseOutputFormat(opts.output);
      const { runAttest } = await import('./attest-run.ts');
      const result = await runAttest(ctx.io, image, {
        ...opts, upload: parseBooleanFlag('--upload', opts.upload), tlogUpload: parseBooleanFlag('--tlog-upload', opts.tlogUpload),
      });
      if (format === 'json') writeJson(ctx.io.stdout, result);
    });
}

/** The flags of `sigil attest` as commander hands them over. */
export interface AttestOptions extends KeylessOptions {
  readonly predicate: string;
  readonly type: string;
  readonly key?: string;
  readonly replace?: boolean;
  readonly recordCreationTimestamp?: boolean;
  readonly recursive?: boolean;
  readonly upload: string | boolean;
  readonly tlogUpload: string;
  readonly rekorEntryType: string;
  readonly newBundleFormat?: boolean;
  readonly outputCertificate?: string;
  readonly certificate?: string;
  readonly certificateChain?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly output: string;
}
