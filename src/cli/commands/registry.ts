/** `sigil registry gc`: removes unreferenced blobs and stale upload sessions of the embedded registry. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

/** Options of `sigil registry gc`. */
interface GcFlags {
  readonly data: string;
  readonly dryRun?: boolean;
  readonly output: string;
}

/** Registers `sigil registry` and its `gc` subcommand. */
export function registerRegistry(program: Command, ctx: CommandContext): void {
  const registry = program.command('registry').description('maintain the embedded OCI registry');
  registry
    .command('gc')
    .description('remove blobs no manifest references and upload sessions older than a day (stop the server first)')
    .option('--data <dir>', 'data directory of sigil server', './.sigil')
    .option('--dry-run', 'only report what would be removed')
    .option('--output <format>', 'text or json', 'text')
    .action(async (flags: GcFlags) => {
      const format = parseOutputFormat(flags.output);
      const { runRegistryGc } = await import('../../server/index.ts');
      const report = await runRegistryGc(resolve(ctx.io.cwd, flags.data), flags.dryRun === true);
      if (format === 'json') {
        writeJson(ctx.io.stdout, {
          dryRun: report.dryRun,
          blobs: { count: report.blobs.length, bytes: report.blobBytes, digests: report.blobs.map((b) => b.digest) },
          uploads: { count: report.uploads.length, bytes: report.uploadBytes, ids: report.uploads.map((u) => u.id) },
        });
        return;
      }
      const verb = report.dryRun ? 'would remove' : 'removed';
      for (const b of report.blobs) ctx.io.stdout.write(`${verb} blob ${b.digest} (${b.sizeBytes} bytes)\n`);
      for (const u of report.uploads) ctx.io.stdout.write(`${verb} upload ${u.id} (${u.sizeBytes} bytes)\n`);
      ctx.io.stdout.write(`${verb} ${report.blobs.length} blobs (${report.blobBytes} bytes) and ${report.uploads.length} upload sessions (${report.uploadBytes} bytes)\n`);
    });
}
