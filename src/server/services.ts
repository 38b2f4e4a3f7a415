/**
 * The services `sigil server` knows, and `--only` selection.
 */
import { UsageError } from '../core/index.ts';
import { createCaServerService } from './ca.ts';
import { createLogServerService } from './log-service.ts';
import { createOidcService } from './oidc.ts';
import { createRegistryService } from './registry.ts';
import type { ServiceFactory } from './service.ts';

/** Every service by name, in start order. */
export const SERVICE_FACTORIES: Readonly<Record<string, ServiceFactory>> = {
  registry: createRegistryService,
  log: createLogServerService,
  oidc: createOidcService,
  ca: createCaServerService,
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
