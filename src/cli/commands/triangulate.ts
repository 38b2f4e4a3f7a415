/** `sigil triangulate IMAGE`: prints where cosign keeps an image's signatures (or attestations, SBOMs). */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import type { RegistryFlags } from '../registry.ts';

/** Flags of `sigil triangulate`. */
export interface TriangulateFlags extends RegistryFlags {
  readonly type: string;
}

/** Registers `sigil triangulate`. */
export function registerTriangulate(program: Command, ctx: CommandContext): void {
  program
    .command('triangulate')
    .description('print the reference of the tag holding an image\'s signatures (attestations, SBOMs), like cosign triangulate')
    .argument('<image>', 'image reference')
    .option('--type <type>', 'signature, attestation, sbom or digest (the image by digest)', 'signature')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .action(async (image: string, opts: TriangulateFlags) => {
      const { runTriangulate } = await import('./triangulate-run.ts');
      ctx.io.stdout.write(`${await runTriangulate(ctx.io, image, opts)}\n`);
    });
}
