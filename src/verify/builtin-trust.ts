/**
 * The trust roots built into sigil: the Sigstore public-good production and staging instances,
 * as published by sigstore/root-signing(-staging); provenance in trust/README.md.
 */
import production from './trust/production-trusted-root.json' with { type: 'json' };
import staging from './trust/staging-trusted-root.json' with { type: 'json' };
import { toTrustedRoot, type TrustedRoot } from './trust-root.ts';

/** Which built-in instance. */
export type SigstoreInstance = 'production' | 'staging';

/**
 * The built-in trust root of a public-good instance.
 * @throws ERR_TRUST_ROOT_INVALID never in a correct build (a test parses both)
 */
export function builtinTrustedRoot(instance: SigstoreInstance): TrustedRoot {
  return toTrustedRoot(instance === 'production' ? production : staging);
}
