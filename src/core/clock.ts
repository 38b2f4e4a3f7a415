/** Time and randomness as injected capabilities; only adapters/system.ts provides the real ones. */

/** The current time. */
export type Clock = () => Date;

/** A source of random bytes and UUIDs. */
export interface Random {
  bytes(n: number): Uint8Array;
  uuid(): string;
}

/** Waits `ms` milliseconds, or rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
