/**
 * Everything the registry routes are built from, passed in once by the composition root.
 */
import type { Clock, Random } from '../core/index.ts';
import type { Authenticate, RegistryStorage } from './ports.ts';

/** Dependencies of the registry: its storage ports, clock, randomness and options. */
export interface RegistryDeps extends RegistryStorage {
  readonly clock: Clock;
  readonly random: Random;
  /** when set, every /v2 request must pass it (htpasswd basic auth) */
  readonly authenticate?: Authenticate;
  /** most bytes of manifests kept in memory (default 64 MiB) */
  readonly cacheBytes?: number;
}
