/**
 * The issuer's access secret: what separates "can reach the port" from "may mint tokens". The
 * mint grant authenticates with it as client secret, and the login and device pages ask for it.
 */
import { hashBytes } from '../core/index.ts';

/** Checks a presented secret against the issuer's, in time independent of where they differ. */
export function createSecretCheck(secret: string): (given: string | undefined) => boolean {
  const want = hashBytes('sha256', secret);
  return (given) => {
    if (given === undefined || given === '') return false;
    // compare digests so the loop length never depends on the input
    const got = hashBytes('sha256', given);
    let diff = 0;
    for (let i = 0; i < want.length; i++) diff |= (want[i] ?? 0) ^ (got[i] ?? 0);
    return diff === 0;
  };
}
