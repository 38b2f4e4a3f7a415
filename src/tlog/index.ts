// The transparency log: Rekor v1 entries, the group-commit sequencer, proofs and routes. No I/O.
export * from './ports.ts';
export * from './route-types.ts';
export * from './service.ts';
export * from './log-signer.ts';
export * from './log-api.ts';
export * from './log-entry.ts';
export * from './identifiers.ts';
export * from './entries/proposed-entry.ts';
export * from './entries/proposed-batch.ts';
export type { CanonicalEntry } from './entries/types.ts';
export { createCachedKeyParser, type KeyParser } from './entries/verifier-key.ts';
