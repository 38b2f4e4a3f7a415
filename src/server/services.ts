/**
 * The services `sigil server` knows, and `--only` selection. Each service's code is imported
 * only when it runs, so `--only registry` loads no CA, log, OIDC or SQLite code (less memory
 * and start-up work for a server that does not need them).
 */
import { UsageError } from '../core/index.ts';
import type { ServiceFactory } from './service.ts';

/** Every service by name, in start order; each loads its module on first use. */
export const SERVICE_FACTORIES: Readonly<Record<string, ServiceFactory>> = {
  registry: async (ctx) => (await import('./registry.ts')).createRegistryService(ctx),
  log: async (ctx) => (await import('./log-service.ts')).createLogServerService(ctx),
  oidc: async (ctx) => (await import('./oidc.ts')).createOidcService(ctx),
  ca: async (ctx) => (await import('./ca.ts')).createCaServerService(ctx),
};

/**
 * Parses `--only a,b` into service names (all services when absent).
 * @throws ERR_USAGE for an empty list or an unknown name
 */
export function parseServiceNames(only: string | undefined): readonly string[] {
  const known = Object.keys(SERVICE_FACTORIES);
  if (only === undefined) return known;
  const names = [...new Set(only.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (names.length === 0) throw new UsageError('ERR_USAGE', `--only needs at least one service; known: ${known.join(', ')}`);
  for (const name of names) {
    if (!known.includes(name)) throw new UsageError('ERR_USAGE', `unknown service ${JSON.stringify(name)} in --only; known: ${known.join(', ')}`);
  }
  return names;
}
