/** `sigil server`: runs sigil's services on one port until SIGTERM or SIGINT. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { CommandContext } from '../main.ts';

/** Options of `sigil server`. */
interface ServerFlags {
  readonly addr: string;
  readonly data: string;
  readonly only?: string;
  readonly publicUrl?: string;
  readonly htpasswd?: string;
  readonly logPostgresUrl?: string;
  readonly caConfig?: string;
  readonly caRateLimit?: string;
  readonly oidcRotateKey?: boolean;
  readonly logVerifyThreads?: string;
  /** false with --no-metrics */
  readonly metrics: boolean;
}

function logPostgres(url: string | undefined): { logPostgresUrl?: string } {
  return url === undefined || url === '' ? {} : { logPostgresUrl: url };
}

function parseRateLimit(text: string): number {
  if (!/^(0|[1-9][0-9]{0,6})$/.test(text)) throw new UsageError('ERR_USAGE', `--ca-rate-limit wants a whole number of certificates per minute, not ${JSON.stringify(text)}`);
  return Number(text);
}

function logVerifyThreads(text: string | undefined): { logVerifyThreads?: number } {
  if (text === undefined || text === '') return {};
  if (!/^[0-9]{1,3}$/.test(text)) throw new UsageError('ERR_USAGE', `--log-verify-threads must be a whole number of threads, got ${JSON.stringify(text.slice(0, 20))}`);
  return { logVerifyThreads: Number(text) };
}

/** Registers `sigil server`. */
export function registerServer(program: Command, ctx: CommandContext): void {
  program
    .command('server')
    .description('run the OCI registry, the transparency log, the OIDC issuer and the CA with its CT log on one port')
    .option('--addr <host:port>', 'address to listen on; port 0 picks a free port', '127.0.0.1:8080')
    .option('--data <dir>', 'data directory; all state lives here and survives restarts', './.sigil')
    .option('--only <services>', 'comma-separated services to run (known: registry, log, oidc, ca)')
    .option('--public-url <url>', 'the URL the services are known by (default: the listening URL)')
    .option('--htpasswd <file>', 'require basic auth against this htpasswd file (bcrypt entries)')
    .option('--oidc-rotate-key', 'give the OIDC issuer a new signing key at start; tokens signed by the previous keys still verify')
    .option('--ca-config <file>', 'Fulcio issuer configuration (its JSON or YAML form) the CA trusts besides sigil\'s own issuer')
    .option('--ca-rate-limit <n>', 'certificates the CA issues per identity per minute; 0 turns the limit off (default 60)')
    .option('--log-postgres-url <url>', 'keep the log in this PostgreSQL database (replicas share it and one key file); env SIGIL_LOG_POSTGRES_URL')
    .option('--log-verify-threads <n>', 'worker threads that check the signatures of new log entries (default: cores - 1; 0: the main thread); env SIGIL_LOG_VERIFY_THREADS')
    .option('--no-metrics', 'serve no /metrics (Prometheus) and count nothing for it')
    .action(async (flags: ServerFlags) => {
      const { parseListenAddress, parseServiceNames, startServer } = await import('../../server/index.ts');
      const address = parseListenAddress(flags.addr);
      const services = parseServiceNames(flags.only);
      const stopSignal = ctx.io.watchStop?.();
      const server = await startServer({
        address, services, dataDir: resolve(ctx.io.cwd, flags.data),
        log: (line) => ctx.io.stderr.write(`${line}\n`),
        ...(flags.publicUrl !== undefined ? { publicUrl: flags.publicUrl.replace(/\/+$/, '') } : {}),
        ...(flags.htpasswd !== undefined ? { htpasswdPath: resolve(ctx.io.cwd, flags.htpasswd) } : {}),
        ...logPostgres(flags.logPostgresUrl ?? ctx.io.env['SIGIL_LOG_POSTGRES_URL']),
        ...(flags.caConfig !== undefined ? { caConfigPath: resolve(ctx.io.cwd, flags.caConfig) } : {}),
        ...(flags.caRateLimit !== undefined ? { caRateLimitPerMinute: parseRateLimit(flags.caRateLimit) } : {}),
        ...(flags.oidcRotateKey === true ? { oidcRotateKey: true } : {}),
        ...logVerifyThreads(flags.logVerifyThreads ?? ctx.io.env['SIGIL_LOG_VERIFY_THREADS']),
        ...(flags.metrics ? {} : { metrics: false }),
      });
      ctx.io.stdout.write(`sigil server listening on ${server.url}\n`);
      if (stopSignal !== undefined) {
        await new Promise<void>((done) => {
          if (stopSignal.aborted) done();
          else stopSignal.addEventListener('abort', () => done(), { once: true });
        });
      } else {
        await new Promise<void>(() => undefined);
      }
      await server.stop();
    });
}
