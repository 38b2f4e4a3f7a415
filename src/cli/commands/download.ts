/** `sigil download signature IMAGE`: prints an image's signatures as cosign does, one JSON object a line. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import type { RegistryFlags } from '../registry.ts';

/** Registers `sigil download` and its `signature` verb. */
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
}
