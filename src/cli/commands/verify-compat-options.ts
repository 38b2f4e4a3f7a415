/**
 * cosign's verification flags beyond identity and key, shared by `verify`, `verify-attestation`
 * and `verify-blob`: --check-claims, --offline, --private-infrastructure, --max-workers,
 * --experimental-oci11 and (verify) --signature-digest-algorithm, with cosign's semantics.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { parseBooleanFlag } from './flags.ts';

/** The flags as commander hands them over. */
export interface VerifyCompatFlags {
  readonly checkClaims?: string;
  readonly offline?: boolean;
  readonly privateInfrastructure?: boolean;
  readonly insecureIgnoreTlog?: boolean;
  readonly maxWorkers?: string;
  readonly experimentalOci11?: boolean;
  readonly signatureDigestAlgorithm?: string;
}

/** Which of the flags a verb has (cosign's sets differ per verb). */
export interface VerifyCompatSet {
  readonly checkClaims?: boolean;
  readonly experimentalOci11?: boolean;
  readonly signatureDigestAlgorithm?: boolean;
}

/** Adds the flags of `set` (and always --offline, --private-infrastructure, --max-workers). */
export function addVerifyCompatOptions(command: Command, set: VerifyCompatSet): Command {
  if (set.checkClaims) command.option('--check-claims <bool>', 'false: do not check that the signed payload names the image digest and the -a annotations (cosign\'s claims)', 'true');
  command
    .option('--offline', 'never contact the transparency log: its key must come from SIGSTORE_REKOR_PUBLIC_KEY or the trusted root, and no entry is searched for')
    .option('--private-infrastructure', 'as --insecure-ignore-tlog: skip the transparency log, for a private deployment without one')
    .option('--max-workers <n>', 'at most this many verifications at once (sigil verifies one at a time, so any positive value holds)', '10');
  if (set.experimentalOci11) command.option('--experimental-oci11', 'also read OCI 1.1 referrers (sigil always reads both the .sig tag and the referrers)');
  if (set.signatureDigestAlgorithm) command.option('--signature-digest-algorithm <alg>', 'digest of the signed payload with --key: sha256 (the only one cosign signs with; sha224, sha384, sha512 are refused)', 'sha256');
  return command;
}

/** The flags settled into what the verifier reads. */
export interface SettledVerifyFlags {
  readonly verifyClaims: boolean;
  readonly insecureIgnoreTlog: boolean;
  readonly offline: boolean;
}

const DIGESTS = ['sha224', 'sha256', 'sha384', 'sha512'];

/**
 * Validates the flags and settles them as cosign does (--private-infrastructure implies
 * --insecure-ignore-tlog).
 * @throws ERR_USAGE for a malformed value; ERR_FLAG_UNSUPPORTED for a digest algorithm other than sha256
 */
export function settleVerifyFlags(flags: VerifyCompatFlags): SettledVerifyFlags {
  const workers = flags.maxWorkers ?? '10';
  if (!/^\d+$/.test(workers) || Number(workers) < 1) throw new UsageError('ERR_USAGE', `--max-workers must be a positive whole number, got ${JSON.stringify(workers)}`);
  const alg = flags.signatureDigestAlgorithm ?? 'sha256';
  if (!DIGESTS.includes(alg)) throw new UsageError('ERR_USAGE', `unsupported digest algorithm: ${alg} (sha224, sha256, sha384 or sha512)`);
  if (alg !== 'sha256') throw new UsageError('ERR_FLAG_UNSUPPORTED', `--signature-digest-algorithm: only sha256 is supported by sigil (cosign sign and sign-blob sign with it), got ${alg}`);
  return {
    verifyClaims: parseBooleanFlag('--check-claims', flags.checkClaims ?? 'true'),
    insecureIgnoreTlog: flags.insecureIgnoreTlog === true || flags.privateInfrastructure === true,
    offline: flags.offline === true,
  };
}
