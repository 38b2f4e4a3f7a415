/**
 * The transparency log as a service of `sigil server`: Rekor v1 under /api/v1/log and
 * /api/v1/index, its state under `<data>/log/` (SQLite) or in PostgreSQL (SIGIL_LOG_POSTGRES_URL).
 */
import { openLogService } from './log.ts';
import type { Service, ServiceContext } from './service.ts';

/**
 * Opens and starts the log; the checkpoint origin is the public URL's host.
 * @throws ERR_CONFIG_INVALID, ERR_TLOG_STORAGE
 */
export async function createLogServerService(ctx: ServiceContext): Promise<Service> {
  const log = await openLogService({
    dataDir: ctx.dataDir, publicUrl: ctx.publicUrl(), clock: ctx.clock,
    ...(ctx.logPostgresUrl === undefined ? {} : { postgresUrl: ctx.logPostgresUrl }),
    ...(ctx.logVerifyThreads === undefined ? {} : { verifyThreads: ctx.logVerifyThreads }),
  });
  await log.start();
  ctx.log(`log: tree ${log.treeId}, origin ${log.origin}, log id ${log.logIdHex}`);
  return { name: 'log', routes: log.routes, close: () => log.close() };
}
