/**
 * `sigil log`: a Rekor v1 client with rekor-cli's verbs (upload, get, search, verify, info, proof).
 * JSON on stdout by default; `--output text` for people.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
import type { LogReport } from './log-run.ts';

/** Flags every `sigil log` subcommand takes. */
export interface LogFlags {
  readonly rekorUrl?: string;
  readonly logKey?: string;
  readonly output: string;
}

/** Flags of the subcommands that name entries, artifacts or keys. */
export interface LogEntryFlags extends LogFlags {
  readonly entry?: string;
  readonly artifact?: string;
  readonly signature?: string;
  readonly publicKey?: string;
  readonly uuid?: string;
  readonly logIndex?: string;
  readonly sha?: string;
  readonly email?: string;
  readonly firstSize?: string;
  readonly lastSize?: string;
}

type Runner = (ctx: CommandContext, flags: LogEntryFlags) => Promise<LogReport>;

function common(cmd: Command, verifies = false): Command {
  cmd.option('--rekor-url <url>', 'the Rekor v1 log (default: SIGIL_REKOR_URL)');
  if (verifies) cmd.option('--log-key <file>', 'the log\'s public key, PEM (default: SIGSTORE_REKOR_PUBLIC_KEY, else the key the log serves)');
  return cmd.option('--output <format>', 'json or text', 'json');
}

function action(ctx: CommandContext, load: () => Promise<Runner>): (flags: LogEntryFlags) => Promise<void> {
  return async (flags) => {
    const format = parseOutputFormat(flags.output);
    const report = await (await load())(ctx, flags);
    if (format === 'json') writeJson(ctx.io.stdout, report.json);
    else ctx.io.stdout.write(report.text);
  };
}

/** Registers `sigil log` and its subcommands. */
export function registerLog(program: Command, ctx: CommandContext): void {
  const log = program.command('log').description('use a Rekor v1 transparency log (rekor-cli\'s verbs)');
  const run = async () => import('./log-run.ts');
  common(log.command('upload').description('log a hashedrekord entry (from --artifact, --signature, --public-key) or a proposed entry (--entry)'))
    .option('--entry <file>', 'a proposed entry, JSON')
    .option('--artifact <file>', 'the signed file').option('--signature <file>', 'its signature (base64 or raw)').option('--public-key <file>', 'the PEM key or certificate')
    .action(action(ctx, async () => (await run()).runLogUpload));
  common(log.command('get').description('fetch an entry by --log-index or --uuid (64-hex uuid or 80-hex entry id)'))
    .option('--log-index <n>', 'the entry\'s global index').option('--uuid <id>', 'the entry uuid or entry id')
    .action(action(ctx, async () => (await run()).runLogGet));
  common(log.command('search').description('find entry ids by --sha, --artifact, --public-key or --email'))
    .option('--sha <hash>', '[sha256:]<hex> (sha1 and sha512 by prefix)').option('--artifact <file>', 'a file, hashed here with sha256')
    .option('--public-key <file>', 'a PEM key or certificate').option('--email <address>', 'a certificate email')
    .action(action(ctx, async () => (await run()).runLogSearch));
  common(log.command('verify').description('verify an entry\'s signed entry timestamp and inclusion proof offline (--entry) or as fetched'), true)
    .option('--entry <file>', 'an entry as `sigil log get` prints it').option('--log-index <n>', 'fetch by index').option('--uuid <id>', 'fetch by uuid')
    .action(action(ctx, async () => (await run()).runLogVerify));
  common(log.command('info').description('the signed tree head, verified, and consistent with the last one this machine saw'), true)
    .action(action(ctx, async () => (await import('./log-info.ts')).runLogInfo));
  common(log.command('proof').description('a consistency proof between two tree sizes'))
    .option('--first-size <n>', 'the older tree size', '1').option('--last-size <n>', 'the newer tree size (default: the current size)')
    .action(action(ctx, async () => (await run()).runLogProof));
}
