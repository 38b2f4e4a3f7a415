/** `sigil clean IMAGE`: deletes an image's signatures, attestations and SBOMs (cosign's tags). */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import type { RegistryFlags } from '../registry.ts';

/** Flags of `sigil clean`. */
export interface CleanFlags extends RegistryFlags {
  readonly type: string;
  readonly force?: boolean;
}

/** Registers `sigil clean`. */
export function registerClean(program: Command, ctx: CommandContext): void {
  program
    .command('clean')
    .description('delete the manifests of an image\'s .sig, .att and .sbom tags (by digest), like cosign clean')
    .argument('<image>', 'image reference')
    .option('--type <type>', 'signature, attestation, sbom or all', 'all')
    .option('-f, --force', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for any registry')
    .action(async (image: string, opts: CleanFlags) => {
      const { runClean } = await import('./clean-run.ts');
      await runClean(ctx.io, image, opts);
    });
}
