/**
 * The scan report model: one entry per path met, with the signatures found in it. Renderers
 * (pretty, json, csv, sarif) read only these types.
 */
import { isAppError, type ErrorCode } from '../core/index.ts';

/** One thing that went wrong, by catalogue code. */
export interface Problem {
  readonly code: ErrorCode;
  readonly message: string;
}

/** A timestamp on a signature: RFC 3161 token or legacy Authenticode countersignature. */
export interface TimestampReport {
  readonly kind: 'rfc3161' | 'legacy';
  /** the TSA certificate's subject, RFC 4514; `""` when it could not be found */
  readonly subject: string;
  /** RFC 3339 genTime (RFC 3161) or signingTime (legacy); null when absent */
  readonly time: string | null;
  readonly digestAlgorithm: string | null;
  readonly status: 'verified' | 'failed';
  readonly problems: readonly Problem[];
}

/** One signature: a JAR signer (.SF + block) or an Authenticode SignedData (primary or nested). */
export interface SignatureReport {
  readonly format: 'jar' | 'authenticode';
  /** JAR: the signature file's base name (`SIGNER-R`); Authenticode: `cert[0]`, `cert[0]/nested[1]` */
  readonly signer: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serialHex: string;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  /** subjects of every certificate the signature carries, in order */
  readonly chain: readonly string[];
  readonly digestAlgorithm: string;
  readonly signatureAlgorithm: string;
  readonly timestamp: TimestampReport | null;
  /** whether the signer's chain leads to a --ca-file anchor at the signing time; not-checked without anchors */
  readonly trust: 'trusted' | 'untrusted' | 'not-checked';
  /** verified: the signature value and every digest it covers check out, and the chain is trusted when anchors were given */
  readonly status: 'verified' | 'failed';
  readonly problems: readonly Problem[];
}

/** What kind of path an entry is. */
export type EntryKind = 'jar' | 'pe' | 'other' | 'unreadable' | 'unsupported';

/** The Authenticode layout of a PE file. */
export interface PeDetails {
  readonly format: 'pe32' | 'pe32+';
  /** the attribute certificate table (file offset and size) and its WIN_CERTIFICATE entries; null when absent */
  readonly certificateTable: {
    readonly offset: number;
    readonly sizeBytes: number;
    readonly entries: readonly { readonly revision: number; readonly type: number; readonly sizeBytes: number }[];
  } | null;
}

/** One path met by the walk. */
export interface FileReport {
  readonly path: string;
  readonly kind: EntryKind;
  readonly sizeBytes: number | null;
  /** lowercase hex SHA-256 of the whole file (bare, like SigScan's fs rows); null when not hashed */
  readonly digest: string | null;
  readonly signatures: readonly SignatureReport[];
  readonly problems: readonly Problem[];
  /** PE files whose headers parsed: their layout */
  readonly pe?: PeDetails;
}

/** A whole scan. */
export interface ScanReport {
  readonly directories: readonly string[];
  readonly entries: readonly FileReport[];
}

/** Turns a caught error into a Problem (unknown errors keep their message under ERR_INTERNAL). */
export function toProblem(error: unknown): Problem {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'ERR_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Counts the signatures in a report. */
export function countSignatures(report: ScanReport): number {
  return report.entries.reduce((n, e) => n + e.signatures.length, 0);
}
