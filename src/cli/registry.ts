/**
 * Wires the registry client to the real world for CLI commands: global fetch, Docker
 * credentials from the environment, the real clock, sleep and jitter, and (only with
 * --allow-insecure-registry) an undici dispatcher that skips TLS verification, loaded lazily.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { createDockerCredentials, createRegistryClient, type CredentialSource, type RegistryClient } from '../adapters/registry-client/index.ts';
import type { Sleep } from '../core/index.ts';
import type { CliIo } from './io.ts';

/** Registry options every registry command takes. */
export interface RegistryFlags {
  readonly allowInsecureRegistry?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;

const realSleep: Sleep = async (ms, signal) => { await delay(ms, undefined, signal ? { signal } : undefined); };

/** What a command may replace: the credential store (scan repo's -u/-p, --token), the fetch (scan repo's buffered one). */
export interface ClientOverrides {
  readonly credentials?: CredentialSource;
  /** used for every request, plain and (with --allow-insecure-registry) unverified TLS alike; a fetch injected by tests wins */
  readonly fetch?: typeof globalThis.fetch;
}

/** Builds the client a command uses. */
export function createCliRegistryClient(io: CliIo, flags: RegistryFlags, overrides: ClientOverrides = {}): RegistryClient {
  const allowInsecure = flags.allowInsecureRegistry === true;
  const { credentials, fetch: own } = overrides;
  const injected = io.deps?.fetch;
  const insecureFetch = own && !injected ? own : createInsecureFetch();
  return createRegistryClient({
    fetch: injected ?? own ?? globalThis.fetch,
    ...(allowInsecure ? { insecureFetch } : {}),
    allowInsecure,
    timeoutMs: io.deps?.registryTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    credentials: credentials ?? createDockerCredentials({ env: io.env }),
    sleep: io.deps?.sleep ?? realSleep,
    now: () => new Date(),
    jitter: Math.random,
    ...(io.deps?.chunkSizeBytes !== undefined ? { chunkSizeBytes: io.deps.chunkSizeBytes } : {}),
  });
}

/** A fetch whose TLS connections accept any certificate (self-signed registries). */
function createInsecureFetch(): typeof globalThis.fetch {
  let loaded: Promise<typeof globalThis.fetch> | undefined;
  const load = async (): Promise<typeof globalThis.fetch> => {
    const undici = await import('undici');
    const dispatcher = new undici.Agent({ connect: { rejectUnauthorized: false } });
    const insecure = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
      // undici's own fetch and Response are the WHATWG ones Node's global fetch is built from
      undici.fetch(input instanceof Request ? input.url : String(input), { ...(init as object), dispatcher }) as unknown as Promise<Response>;
    return insecure;
  };
  return async (input, init) => (await (loaded ??= load()))(input, init);
}
