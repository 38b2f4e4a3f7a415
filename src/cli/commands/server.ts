/** `sigil server`: runs sigil's services on one port until SIGTERM or SIGINT. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../core/index.ts';

/** Options of `sigil server`. */
interface ServerFlags {
  readonly addr: string;
  readonly data: string;
  readonly only?: string;
  readonly publicUrl?: string;
  readonly htpasswd?: string;
  readonly logPostgresUrl?: string;
  readonly logVerifyThreads?: string;
}

function logPostgres(url: string | undefined): { logPostgresUrl?: string } {
  return url === undefined || url === '' ? {} : { logPostgresUrl: url };
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
    .description('run the OCI registry and the transparency log (later also the CA and OIDC issuer) on one port')
    .option('--addr <host:port>', 'address to listen on; port 0 picks a free port', '127.0.0.1:8080')
    .option('--data <dir>', 'data directory; all state lives here and survives restarts', './.sigil')
    .option('--only <services>', 'comma-separated services to run (known: registry, log)')
    .option('--public-url <url>', 'the URL the services are known by (default: the listening URL)')
    .option('--htpasswd <file>', 'require basic auth against this htpasswd file (bcrypt entries)')
    .option('--log-postgres-url <url>', 'keep the log in this PostgreSQL database (replicas share it and one key file); env SIGIL_LOG_POSTGRES_URL')
    .option('--log-verify-threads <n>', 'worker threads that check the signatures of new log entries (default: cores - 1; 0: the main thread); env SIGIL_LOG_VERIFY_THREADS')
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
        ...logVerifyThreads(flags.logVerifyThreads ?? ctx.io.env['SIGIL_LOG_VERIFY_THREADS']),
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
