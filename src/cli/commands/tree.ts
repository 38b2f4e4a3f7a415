/** `sigil tree IMAGE`: the image's signatures, attestations, SBOMs and referrers, like cosign tree. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import type { RegistryFlags } from '../registry.ts';

/** Registers `sigil tree`. */
export function registerTree(program: Command, ctx: CommandContext): void {
  program
    .command('tree')
    .description('show an image\'s signatures, attestations, SBOMs (cosign tags) and OCI referrers, like cosign tree')
    .argument('<image>', 'image reference')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--output <format>', 'text or json', 'text')
    .action(async (image: string, opts: RegistryFlags & { output: string }) => {
      const format = parseOutputFormat(opts.output);
      const { runTree, formatTree } = await import('./tree-run.ts');
      const tree = await runTree(ctx.io, image, opts);
      if (format === 'json') writeJson(ctx.io.stdout, tree);
      else ctx.io.stdout.write(formatTree(tree));
    });
}
