/**
 * Wires the registry client to the real world for CLI commands: node:http keep-alive fetch (not
 * global fetch: loading undici would cost more than the registry work of a short command),
 * Docker credentials from the environment, the real clock, sleep and jitter, and (only with
 * --allow-insecure-registry) a fetch that skips TLS verification.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { createDockerCredentials, createRegistryClient, type CredentialSource, type RegistryClient } from '../adapters/registry-client/index.ts';
import { createNodeFetch } from '../adapters/http-clients/node-fetch.ts';
import type { HttpFetch } from '../adapters/http-clients/fetch.ts';
import type { Sleep } from '../core/index.ts';
import type { CliIo } from './io.ts';
import { registryTlsOf, type RegistryTlsFlags } from './registry-tls.ts';

/** Registry options every registry command takes (cosign's names). */
export interface RegistryFlags extends RegistryTlsFlags {
  readonly allowInsecureRegistry?: boolean;
  /** plain HTTP allowed, TLS still verified (cosign's --allow-http-registry) */
  readonly allowHttpRegistry?: boolean;
  readonly registryUsername?: string;
  readonly registryPassword?: string;
  readonly registryToken?: string;
}

/**
 * The credentials cosign's --registry-username/--registry-password (both non-empty) or
 * --registry-token give for every registry the command talks to; undefined: Docker's config.
 */
export function flagCredentialsOf(flags: RegistryFlags): CredentialSource | undefined {
  const { registryUsername: username, registryPassword: password, registryToken } = flags;
  if (username && password) { const basic = { username, password }; return async () => basic; }
  if (registryToken) { const bearer = { registryToken }; return async () => bearer; }
  return undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;

const realSleep: Sleep = async (ms, signal) => { await delay(ms, undefined, signal ? { signal } : undefined); };

/** What a command may replace: the credential store (scan repo's -u/-p, --token), the fetch (scan repo's buffered one). */
export interface ClientOverrides {
  readonly credentials?: CredentialSource;
  /** used for every request, plain and (with --allow-insecure-registry) unverified TLS alike; a fetch injected by tests wins */
  readonly fetch?: HttpFetch;
}

/** Builds the client a command uses. */
export function createCliRegistryClient(io: CliIo, flags: RegistryFlags, overrides: ClientOverrides = {}): RegistryClient {
  const allowInsecure = flags.allowInsecureRegistry === true;
  const { fetch: own } = overrides;
  const credentials = overrides.credentials ?? flagCredentialsOf(flags);
  const injected = io.deps?.fetch;
  const tls = registryTlsOf(io.cwd, flags) ?? {};
  return createRegistryClient({
    fetch: injected ?? own ?? createNodeFetch(tls),
    ...(allowInsecure ? { insecureFetch: own && !injected ? own : createNodeFetch({ ...tls, rejectUnauthorized: false }) } : {}),
    allowInsecure,
    ...(flags.allowHttpRegistry === true ? { allowHttp: true } : {}),
    timeoutMs: io.deps?.registryTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    credentials: credentials ?? createDockerCredentials({ env: io.env }),
    sleep: io.deps?.sleep ?? realSleep,
    now: () => new Date(),
    jitter: Math.random,
    ...(io.deps?.chunkSizeBytes !== undefined ? { chunkSizeBytes: io.deps.chunkSizeBytes } : {}),
  });
}
