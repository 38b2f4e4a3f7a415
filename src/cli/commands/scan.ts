/** `sigil scan`: the scanner's command group; the scanning code loads only when a scan runs. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { CommandContext } from '../main.ts';
import type { FsOptions } from './scan-run.ts';
import type { RepoOptions } from './scan-repo-run.ts';

/** Registers the `sigil scan` group, `sigil scan fs` and `sigil scan repo`. */
export function registerScan(program: Command, ctx: CommandContext): void {
  const scan = program.command('scan').description('find who signed what: signed files on disk (fs), signed images in a registry (repo)');
  scan.action(() => {
    ctx.io.stderr.write(scan.helpInformation());
    throw new UsageError('ERR_USAGE', 'scan needs a subcommand: fs or repo');
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
  scan
    .command('repo')
    .description('list every tag (and platform) of a registry or namespace with its cosign, attestation, sigstore-bundle and notary signatures: who signed, when; --verify checks them')
    .argument('<registry>', 'REGISTRY[/NAMESPACE]: host[:port], optionally a repository prefix; no tag or digest')
    .option('-u, --username <name>', 'registry user name (with -p); default: docker credentials')
    .option('-p, --password <password>', 'registry password (with -u)')
    .option('--token <token>', 'a registry bearer token sent as is')
    .option('--allow-insecure-registry', 'allow plain HTTP and self-signed TLS for the registry')
    .option('--output <format>', 'pretty, json (a superset of SigScan\'s), csv or sarif', 'pretty')
    .option('--concurrency <n>', 'tags scanned at once', '8')
    .option('--fail-on <kinds>', 'exit 13 when any entry is unsigned and/or unverified (comma-separated)')
    .option('--verify', 'verify every signature against the trust policy below')
    .option('--key <pem>', 'a cosign public key (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--trusted-root <json>', 'a sigstore trusted root (fulcio CAs, rekor keys) for keyless signatures and bundles')
    .option('--trust-store <dir>', 'notary trust store: a notation-style x509/ca/<name>/ directory tree, or a directory of CA certificates')
    .option('--trust-policy <json>', 'notation\'s trustpolicy.json: per repository scope, the named stores of --trust-store, the trusted identities and the verification level')
    .action(async (target: string, opts: RepoOptions) => {
      const { runRepo } = await import('./scan-repo-run.ts');
      await runRepo(ctx, target, opts);
    });
}
