/** `sigil copy SRC DST`: copies an image or a whole index between repositories or registries. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** Flags of `sigil copy`. */
export interface CopyFlags {
  readonly platform?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly concurrency: string;
  readonly only?: string;
  readonly output: string;
}

/** Registers `sigil copy`. */
export function registerCopy(program: Command, ctx: CommandContext): void {
  program
    .command('copy')
    .description('copy an image or index (every platform) to another repository or registry, digests preserved')
    .argument('<source>', 'image reference to copy from')
    .argument('<destination>', 'repository or tag to copy to (without a tag: the source\'s tag or digest)')
    .option('--platform <os/arch[/variant]>', 'copy only this platform\'s manifest out of an index')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--only <kinds>', 'carry only these companions: comma-separated sig, att, sbom, referrers (default: all four)')
    .option('--concurrency <n>', 'blobs copied at once', '4')
    .option('-f, --force', 'accepted for cosign compatibility: sigil always writes the destination, and never asks')
    .option('--output <format>', 'text or json', 'text')
    .addHelpText('after', '\nThe image\'s cosign signatures, attestations and SBOMs (sha256-<hex>.sig/.att/.sbom tags) and its OCI referrers\nare carried too, for an index also those of every platform manifest. --only limits which; referrers are\ncarried unless --only is given without "referrers". A .sig or .att tag the destination already holds with other\nsignatures is merged (both kept), not overwritten.')
    .action(async (source: string, destination: string, opts: CopyFlags) => {
      const format = parseOutputFormat(opts.output);
      const { runCopy, formatCopied, formatCarried } = await import('./copy-run.ts');
      const result = await runCopy(ctx.io, source, destination, opts);
      if (format === 'json') { writeJson(ctx.io.stdout, result); return; }
      ctx.io.stdout.write(`${formatCopied(result)}\n`);
      const carried = formatCarried(result);
      if (carried !== '') ctx.io.stderr.write(`${carried}\n`);
    });
}
