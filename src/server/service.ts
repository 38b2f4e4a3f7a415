/**
 * A service of `sigil server`: a name and the routes it adds to the one shared port. The
 * registry is one; the log, CA and OIDC issuer join the same list later.
 */
import type { Clock, Random } from '../core/index.ts';
import type { Route } from '../http/index.ts';
import type { ServiceLabel } from './metrics/http-metrics.ts';
import type { MetricsRegistry } from './metrics/prom.ts';
import type { TrustContribution } from './trust-material.ts';

/** One running service. */
export interface Service {
  readonly name: string;
  readonly routes: readonly Route[];
  /** the keys and URLs it adds to trusted_root.json and signing_config.json */
  readonly trust?: TrustContribution;
  /** releases what the service holds (called after the HTTP server drained) */
  close?(): Promise<void>;
  /** the metrics `service` label of routes that belong to another one than `name` (the CA's CT API is `ct`) */
  readonly routeLabels?: ReadonlyMap<Route, ServiceLabel>;
}

/** What every service is built from. */
export interface ServiceContext {
  /** the data directory; each service keeps its state in its own folder under it */
  readonly dataDir: string;
  /** the URL the services are known by (fixed by --public-url, else the listening URL) */
  readonly publicUrl: () => string;
  /** the URL this process listens on (equal to publicUrl unless --public-url names another) */
  readonly listenUrl: () => string;
  /** htpasswd file guarding the services that take basic auth */
  readonly htpasswdPath?: string;
  /** the names of every service this server runs */
  readonly services: readonly string[];
  /** Fulcio-shaped issuer configuration file for the CA (besides sigil's own issuer when `oidc` runs) */
  readonly caConfigPath?: string;
  /** certificates the CA issues per identity per minute (default DEFAULT_CA_RATE_LIMIT) */
  readonly caRateLimitPerMinute?: number;
  /** PostgreSQL connection string for the log's entries (SQLite under the data dir when absent) */
  readonly logPostgresUrl?: string;
  /** the OIDC issuer adds a new signing key at start (old public keys stay in its JWKS) */
  readonly oidcRotateKey?: boolean;
  /** worker threads checking new log entries' signatures (default: cores - 1; 0: the main thread) */
  readonly logVerifyThreads?: number;
  readonly clock: Clock;
  readonly random: Random;
  /** where the service registers its metrics (/metrics); none when absent */
  readonly metrics?: MetricsRegistry;
  /** writes one operator log line */
  readonly log: (line: string) => void;
}

/** Builds one service. */
export type ServiceFactory = (ctx: ServiceContext) => Promise<Service>;
