/** `sigil version`: prints the version. */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** The version of this build. */
export const SIGIL_VERSION = '0.1.0';

/** Registers `sigil version`. */
export function registerVersion(program: Command, ctx: CommandContext): void {
  program
    .command('version')
    .description('print the version of sigil')
    .option('--output <format>', 'text or json', 'text')
    .action((opts: { output: string }) => {
      if (parseOutputFormat(opts.output) === 'json') writeJson(ctx.io.stdout, { version: SIGIL_VERSION });
      else ctx.io.stdout.write(`sigil ${SIGIL_VERSION}\n`);
    });
}
