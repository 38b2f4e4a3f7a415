/**
 * Many proposed entries canonicalized at once, their ECDSA signature checks run together (the
 * checks of a batch share their big-integer inversions: core/ecdsa-digest.ts).
 *
 * Each entry goes through parseProposedEntry with a signature checker that records every ECDSA
 * check and answers "valid" for now; the recorded checks then run as one batch. An entry whose
 * recorded checks all pass took exactly the path a real check would have given it, so its
 * canonical entry is the one parseProposedEntry returns. Any other entry (bad input, a failed
 * check) comes back undefined: parse it alone for its error.
 */
import { areEcdsaDigestSignaturesValid, type EcdsaDigestCheck } from '../../core/ecdsa-digest.ts';
import { planDigestSignatureCheck, type DigestSignatureVerifier } from '../../core/digest-signature.ts';
import { parseProposedEntry } from './proposed-entry.ts';
import type { CanonicalEntry } from './types.ts';
import type { KeyParser } from './verifier-key.ts';

interface Parsed { readonly entry: CanonicalEntry; readonly checks: readonly number[] }

/**
 * The canonical entry of each of `bodies`, as parseProposedEntry(body, parseKey) gives it, or
 * undefined where that throws (call it for the error). Never throws.
 */
export function parseProposedEntries(bodies: readonly Uint8Array[], parseKey: KeyParser): (CanonicalEntry | undefined)[] {
  const checks: EcdsaDigestCheck[] = [];
  const parsed = bodies.map((body): Parsed | undefined => {
    const mine: number[] = [];
    const record: DigestSignatureVerifier = (spkiDer, hash, digest, signature, described) => {
      const plan = planDigestSignatureCheck(spkiDer, hash, digest, signature, described);
      if (typeof plan === 'boolean') return plan;
      mine.push(checks.push(plan) - 1);
      return true;
    };
    try {
      return { entry: parseProposedEntry(body, parseKey, record), checks: mine };
    } catch {
      return undefined;
    }
  });
  let valid: boolean[];
  try {
    valid = areEcdsaDigestSignaturesValid(checks);
  } catch {
    return bodies.map(() => undefined);
  }
  return parsed.map((p) => (p !== undefined && p.checks.every((i) => valid[i] === true) ? p.entry : undefined));
}
