/**
 * `sigil download signature IMAGE` and `sigil download attestation IMAGE`: print an image's
 * signatures, or its attestation envelopes, as cosign does, one JSON object a line.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import type { RegistryFlags } from '../registry.ts';
import type { DownloadAttestationFlags } from './download-attestation-run.ts';

/** Registers `sigil download` and its `signature` and `attestation` verbs. */
export function registerDownload(program: Command, ctx: CommandContext): void {
  const download = program.command('download').description('download supply chain artifacts of an image, like cosign download');
  download
    .command('signature')
    .description('print every signature of an image (.sig tag and referrers), one JSON object per line')
    .argument('<image>', 'image reference')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .addHelpText('after', '\nEach line: {"Base64Signature","Payload" (base64),"Cert","Chain","Bundle","RFC3161Timestamp"}.\nCert and Chain carry only {"Raw": <base64 DER>} of Go\'s x509 serialisation.')
    .action(async (image: string, opts: RegistryFlags) => {
      const { runDownloadSignature } = await import('./download-run.ts');
      for (const line of await runDownloadSignature(ctx.io, image, opts)) ctx.io.stdout.write(`${JSON.stringify(line)}\n`);
    });
  download
    .command('attestation')
    .description('print every attestation of an image (its .att tag), one DSSE envelope JSON per line, in layer order (cosign: in the order its parallel fetches finish)')
    .argument('<image>', 'image reference')
    .option('--platform <os/arch[/variant]>', 'the attestations of this platform\'s manifest out of an index')
    .option('--predicate-type <type>', 'only attestations of this predicate type: a cosign short name (slsaprovenance, spdxjson, cyclonedx, custom, ...) or a URI')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .action(async (image: string, opts: DownloadAttestationFlags) => {
      const { runDownloadAttestation } = await import('./download-attestation-run.ts');
      for (const line of await runDownloadAttestation(ctx.io, image, opts)) ctx.io.stdout.write(`${line}\n`);
    });
}
