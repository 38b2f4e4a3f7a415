/** `sigil scan`: the scanner's command group; the scanning code loads only when a scan runs. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { CommandContext } from '../main.ts';
import type { FsOptions } from './scan-run.ts';

/** Registers the `sigil scan` group and `sigil scan fs`. */
export function registerScan(program: Command, ctx: CommandContext): void {
  const scan = program.command('scan').description('find who signed what: signed files on disk (fs); registries (repo) come later');
  scan.action(() => {
    ctx.io.stderr.write(scan.helpInformation());
    throw new UsageError('ERR_USAGE', 'scan needs a subcommand: fs');
  });
  scan
    .command('fs')
    .description('walk directories and report, verified, the signatures of signed JARs (WAR, EAR, APK v1) and Authenticode PE files')
    .argument('<dirs...>', 'directories (or files) to scan; symlinks are followed, loops are not')
    .option('--output <format>', 'pretty, json (a superset of SigScan\'s), csv or sarif', 'pretty')
    .option('--concurrency <n>', 'files scanned at once', '4')
    .option('--fail-on <kinds>', 'exit 13 when any file is unsigned and/or unverified (comma-separated)')
    .option('--ca-file <pem>', 'trust anchors (PEM): signer and timestamp chains must lead to one, valid at the timestamp (or now)')
    .option('--max-hash-size <size>', 'JAR/PE files larger than this are neither hashed nor checked (reported); other files are never read past their first bytes', '4g')
    .action(async (dirs: string[], opts: FsOptions) => {
      const { runFs } = await import('./scan-run.ts');
      await runFs(ctx, dirs, opts);
    });
}
