/** The work of `sigil copy`, loaded only when the command runs. */
import { copyImage } from '../../adapters/registry-client/index.ts';
import {
  COMPANION_KINDS, companionSubjects, copyCompanions, type CarriedCompanion, type CompanionKind,
} from '../../adapters/signature-store/index.ts';
import { UsageError } from '../../core/index.ts';
import {
  formatReference, formatRepository, parsePlatformSpec, parseReference, withDigest, withTag, type Descriptor, type Reference,
} from '../../oci/index.ts';
import type { CliIo } from '../io.ts';
import { createProgress } from '../progress.ts';
import { createCliRegistryClient } from '../registry.ts';
import type { CopyFlags } from './copy.ts';

/** What `sigil copy --output json` prints. */
export interface CopyReport {
  readonly source: string;
  readonly destination: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly manifests: number;
  readonly blobs: { readonly copied: number; readonly skipped: number; readonly mounted: number };
  readonly bytes: number;
  /** the signatures, attestations, SBOMs and referrers carried along */
  readonly carried: readonly CarriedCompanion[];
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64) throw new UsageError('ERR_USAGE', `--concurrency must be an integer from 1 to 64, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * Parses `--only`: a comma-separated subset of sig, att, sbom, referrers; absent means all.
 * @throws ERR_USAGE
 */
export function parseCompanionKinds(text: string | undefined): readonly CompanionKind[] {
  if (text === undefined) return COMPANION_KINDS;
  const kinds = text.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const bad = kinds.find((k) => !(COMPANION_KINDS as readonly string[]).includes(k));
  if (bad !== undefined || kinds.length === 0) {
    throw new UsageError('ERR_USAGE', `--only takes a comma-separated list of ${COMPANION_KINDS.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return COMPANION_KINDS.filter((k) => kinds.includes(k));
}

/**
 * The destination: as given; else the source's tag; else (a source by digest) no tag at all, so
 * the copy is pushed by the digest of what is copied (with --platform, the platform manifest's).
 */
export function resolveDestination(source: Reference, destination: Reference): Reference {
  if (destination.tag !== undefined || destination.digest !== undefined) return destination;
  if (source.tag !== undefined) return withTag(destination, source.tag);
  if (source.digest !== undefined) return destination;
  return withTag(destination, 'latest');
}

/** How the destination is reported: its tag, or the digest it was pushed by. */
function describeDestination(destination: Reference, digest: string): string {
  return destination.tag !== undefined ? formatReference(destination) : formatReference(withDigest(destination, digest));
}

/**
 * Copies `sourceText` to `destinationText`.
 * @throws ERR_OCI_REFERENCE_INVALID, ERR_USAGE, ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_DIGEST_MISMATCH, registry errors
 */
export async function runCopy(io: CliIo, sourceText: string, destinationText: string, flags: CopyFlags): Promise<CopyReport> {
  const source = parseReference(sourceText);
  const concurrency = parseConcurrency(flags.concurrency);
  const platform = flags.platform === undefined ? undefined : parsePlatformSpec(flags.platform);
  const kinds = parseCompanionKinds(flags.only);
  const destination = resolveDestination(source, parseReference(destinationText));
  const client = createCliRegistryClient(io, flags);
  const progress = createProgress(io.stderr);
  try {
    const options = { concurrency, onBlobProgress: (blob: Descriptor, sent: number) => progress.update(blob.digest.slice(7, 19), sent, blob.size) };
    const result = await copyImage(client, source, destination, { ...options, ...(platform ? { platform } : {}) });
    const root = await client.getManifest(destination, result.digest);
    const carried = await copyCompanions(client, source, destination, companionSubjects(root), kinds, options);
    return { source: formatReference(source), destination: describeDestination(destination, result.digest), ...result, carried };
  } finally {
    progress.done();
  }
}

/** `registry/repository@digest`, the text output of a copy. */
export function formatCopied(report: CopyReport): string {
  return `${formatRepository(parseReference(report.destination))}@${report.digest}`;
}

/** The stderr summary of what was carried along, e.g. `carried: sig 1, att 1, referrer 2`; empty when nothing was. */
export function formatCarried(report: CopyReport): string {
  const counts = new Map<string, number>();
  for (const c of report.carried) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return counts.size === 0 ? '' : `carried: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`;
}
