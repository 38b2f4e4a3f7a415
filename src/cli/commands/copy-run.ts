/** The work of `sigil copy`, loaded only when the command runs. */
import { copyImage } from '../../adapters/registry-client/index.ts';
import { UsageError } from '../../core/index.ts';
import {
  formatReference, formatRepository, parsePlatformSpec, parseReference, withDigest, withTag, type Reference,
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
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64) throw new UsageError('ERR_USAGE', `--concurrency must be an integer from 1 to 64, got ${JSON.stringify(text)}`);
  return n;
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
  const destination = resolveDestination(source, parseReference(destinationText));
  const client = createCliRegistryClient(io, flags);
  const progress = createProgress(io.stderr);
  try {
    const result = await copyImage(client, source, destination, {
      ...(platform ? { platform } : {}),
      concurrency,
      onBlobProgress: (blob, sent) => progress.update(blob.digest.slice(7, 19), sent, blob.size),
    });
    return { source: formatReference(source), destination: describeDestination(destination, result.digest), ...result };
  } finally {
    progress.done();
  }
}

/** `registry/repository@digest`, the text output of a copy. */
export function formatCopied(report: CopyReport): string {
  return `${formatRepository(parseReference(report.destination))}@${report.digest}`;
}
