/**
 * `sigil server`'s core: takes the data-dir lock, builds the selected services, serves their
 * routes on one port with /healthz and /metrics, writes the trust material (trusted_root.json,
 * signing_config.json) naming what runs, and drains on stop.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError } from '../core/index.ts';
import { createHttpServer, drainServer, type Route } from '../http/index.ts';
import { acquireDataLock } from '../adapters/fs/data-lock.ts';
import { systemClock, systemRandom } from '../adapters/system.ts';
import { formatHttpUrl, type ListenAddress } from './address.ts';
import { startMemoryGuard } from './memory-guard.ts';
import { startServerMetrics, type ServerMetrics } from './metrics/server-metrics.ts';
import type { Service, ServiceContext } from './service.ts';
import { SERVICE_FACTORIES } from './services.ts';
import { writeTrustMaterial, type TrustContribution } from './trust-material.ts';

/** Options of one server run. */
export interface ServerOptions {
  readonly address: ListenAddress;
  readonly dataDir: string;
  readonly services: readonly string[];
  readonly publicUrl?: string;
  readonly htpasswdPath?: string;
  readonly logPostgresUrl?: string;
  readonly caConfigPath?: string;
  readonly caRateLimitPerMinute?: number;
  /** the OIDC issuer adds a new signing key at start */
  readonly oidcRotateKey?: boolean;
  /** worker threads checking new log entries' signatures (default: cores - 1) */
  readonly logVerifyThreads?: number;
  /** false: no /metrics and no counting behind it (default true) */
  readonly metrics?: boolean;
  readonly log: (line: string) => void;
}

/** A listening server. */
export interface RunningServer {
  /** the listening URL, `http://host:port` */
  readonly url: string;
  readonly services: readonly string[];
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), releases the data dir. */
  stop(graceMs?: number): Promise<void>;
}

const HEALTH: Route = {
  methods: ['GET', 'HEAD'],
  pattern: /^\/healthz$/,
  dialect: 'plain',
  handle: async () => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' }),
};

/**
 * Starts the server.
 * @throws ERR_DATA_DIR_LOCKED, ERR_SERVER_LISTEN, ERR_REGISTRY_STORAGE, ERR_CONFIG_INVALID
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const lock = await acquireDataLock(options.dataDir);
  const started: Service[] = [];
  let server: Server | undefined;
  const metrics: ServerMetrics | undefined = options.metrics === false ? undefined : startServerMetrics();
  try {
    let url = '';
    const ctx: ServiceContext = {
      dataDir: options.dataDir, publicUrl: () => options.publicUrl ?? url, listenUrl: () => url, clock: systemClock, random: systemRandom, log: options.log,
      services: options.services,
      ...(options.caConfigPath !== undefined ? { caConfigPath: options.caConfigPath } : {}),
      ...(options.caRateLimitPerMinute !== undefined ? { caRateLimitPerMinute: options.caRateLimitPerMinute } : {}),
      ...(options.htpasswdPath !== undefined ? { htpasswdPath: options.htpasswdPath } : {}),
      ...(options.logPostgresUrl !== undefined ? { logPostgresUrl: options.logPostgresUrl } : {}),
      ...(options.oidcRotateKey === true ? { oidcRotateKey: true } : {}),
      ...(options.logVerifyThreads !== undefined ? { logVerifyThreads: options.logVerifyThreads } : {}),
      ...(metrics === undefined ? {} : { metrics: metrics.registry }),
    };
    // bind first, so services that sign with the public URL (the log's checkpoint origin) know
    // the port even with port 0; requests wait for `ready` until every service is built
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => { markReady = resolve; });
    const routes: Route[] = metrics === undefined ? [HEALTH] : [HEALTH, metrics.route];
    server = createHttpServer({
      routes, baseUrl: ctx.publicUrl, fallbackDialect: 'plain', ready,
      ...(metrics === undefined ? {} : { observer: metrics.observer }),
      onInternalError: (error) => options.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    url = await listen(server, options.address);
    for (const name of options.services) {
      const factory = SERVICE_FACTORIES[name];
      if (factory) started.push(await factory(ctx));
    }
    routes.push(...started.flatMap((s) => s.routes));
    metrics?.labelRoutes(started);
    writeTrustMaterial(options.dataDir, trustOf(started, ctx.publicUrl()), ctx.publicUrl());
    markReady();
    const guard = startMemoryGuard();
    const running = server;
    return {
      url, services: started.map((s) => s.name),
      async stop(graceMs = 10_000) {
        await drainServer(running, graceMs);
        guard.stop();
        metrics?.stop();
        for (const s of started) await s.close?.();
        await lock.release();
      },
    };
  } catch (error) {
    if (server?.listening) await drainServer(server, 0);
    metrics?.stop();
    for (const s of started) await s.close?.();
    await lock.release();
    throw error;
  }
}

/** What the running services put into the trust material; sigil's issuer is named by its URL alone. */
function trustOf(started: readonly Service[], publicUrl: string): TrustContribution[] {
  const parts = started.flatMap((s) => (s.trust ? [s.trust] : []));
  if (started.some((s) => s.name === 'oidc') && !parts.some((p) => p.oidcUrl !== undefined)) parts.push({ oidcUrl: `${publicUrl}/oidc` });
  return parts;
}

function listen(server: Server, address: ListenAddress): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (cause: Error): void => {
      reject(new ConfigError('ERR_SERVER_LISTEN', `cannot listen on ${formatHttpUrl(address.host, address.port).slice(7)}: ${cause.message}`, { cause }));
    };
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      const bound = server.address() as AddressInfo;
      resolve(formatHttpUrl(address.host, bound.port));
    });
  });
}
