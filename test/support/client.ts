// A registry client for tests: real fetch to 127.0.0.1, recorded sleeps, no docker config.
import { createRegistryClient, type Credential, type RegistryClient, type RegistryClientDeps } from '../../src/adapters/registry-client/index.ts';

/** A client and the sleeps it asked for. */
export interface TestClient { readonly client: RegistryClient; readonly sleeps: number[] }

/** Creates a client with fast, recorded sleeps; `credential` answers for every registry. */
export function createTestClient(overrides: Partial<RegistryClientDeps> & { credential?: Credential } = {}): TestClient {
  const sleeps: number[] = [];
  const { credential, ...rest } = overrides;
  const client = createRegistryClient({
    fetch: globalThis.fetch,
    timeoutMs: 10_000,
    credentials: async () => credential,
    sleep: async (ms) => { sleeps.push(ms); },
    now: () => new Date(),
    jitter: () => 0.5,
    ...rest,
  });
  return { client, sleeps };
}
