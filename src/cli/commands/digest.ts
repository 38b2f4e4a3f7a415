/** `sigil digest REF`: prints an image's manifest digest, like `crane digest`. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** Registers `sigil digest`. */
export function registerDigest(program: Command, ctx: CommandContext): void {
  program
    .command('digest')
    .description('print the manifest digest of an image (with --platform, of that platform\'s manifest in an index)')
    .argument('<reference>', 'image reference, e.g. registry.example/app:1.0')
    .option('--platform <os/arch[/variant]>', 'pick this platform out of an index')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .option('--output <format>', 'text or json', 'text')
    .action(async (reference: string, opts: { platform?: string; allowInsecureRegistry?: boolean; output: string }) => {
      const format = parseOutputFormat(opts.output);
      const { runDigest } = await import('./digest-run.ts');
      const result = await runDigest(ctx.io, reference, opts);
      if (format === 'json') writeJson(ctx.io.stdout, result);
      else ctx.io.stdout.write(`${result.digest}\n`);
    });
}
