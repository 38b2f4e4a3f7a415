/**
 * The transparency log as a service of `sigil server`: Rekor v1 under /api/v1/log and
 * /api/v1/index, its state under `<data>/log/` (SQLite) or in PostgreSQL (SIGIL_LOG_POSTGRES_URL).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem } from '../core/index.ts';
import { LOG_KEY_FILE, openLogService, type OpenedLogService } from './log.ts';
import { createLogMetrics } from './metrics/log-metrics.ts';
import type { Service, ServiceContext } from './service.ts';

/**
 * Opens and starts the log; the checkpoint origin is the public URL's host.
 * @throws ERR_CONFIG_INVALID, ERR_TLOG_STORAGE
 */
export async function createLogServerService(ctx: ServiceContext): Promise<Service> {
  let opened: OpenedLogService | undefined;
  const observer = ctx.metrics === undefined ? undefined : createLogMetrics(ctx.metrics, () => opened);
  const log = await openLogService({
    dataDir: ctx.dataDir, publicUrl: ctx.publicUrl(), clock: ctx.clock,
    ...(observer === undefined ? {} : { observer }),
    ...(ctx.logPostgresUrl === undefined ? {} : { postgresUrl: ctx.logPostgresUrl }),
    ...(ctx.logVerifyThreads === undefined ? {} : { verifyThreads: ctx.logVerifyThreads }),
  });
  opened = log;
  await log.start();
  ctx.log(`log: tree ${log.treeId}, origin ${log.origin}, log id ${log.logIdHex}`);
  const spkiDer = decodePem(log.publicKeyPem)[0]?.der ?? new Uint8Array(0);
  const trust = { tlog: { baseUrl: ctx.publicUrl(), spkiDer, validFrom: logKeyCreated(ctx.dataDir) }, rekorUrl: ctx.publicUrl() };
  return { name: 'log', routes: log.routes, trust, close: () => log.close() };
}

/** When the log key was made (its file's modification time, whole seconds): the start of the key's validity. */
function logKeyCreated(dataDir: string): Date {
  const ms = statSync(join(dataDir, 'log', LOG_KEY_FILE)).mtimeMs;
  return new Date(Math.floor(ms / 1000) * 1000);
}
