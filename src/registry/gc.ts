/**
 * Garbage collection of the blob store (mark and sweep, like distribution's `garbage-collect`):
 * every manifest revision of every repository is a root; it marks itself, its config and
 * layers, its index children and its subject. Unmarked blobs, and upload sessions older than
 * `maxUploadAgeMs`, are removed. Requires that nothing writes meanwhile (the data-dir lock).
 */
import type { Clock } from '../core/index.ts';
import { parseManifest, referencedManifests, type Manifest } from '../oci/index.ts';
import type { GcSink, GcSource, StoredBlob, UploadSession } from './ports.ts';

/** What a collection removed (or, in a dry run, would remove). */
export interface GcReport {
  readonly dryRun: boolean;
  readonly blobs: readonly StoredBlob[];
  readonly blobBytes: number;
  readonly uploads: readonly UploadSession[];
  readonly uploadBytes: number;
}

/** Options of one collection. */
export interface GcOptions {
  readonly dryRun: boolean;
  readonly clock: Clock;
  /** default one day */
  readonly maxUploadAgeMs?: number;
}

function markManifest(marked: Set<string>, manifest: Manifest): void {
  if (manifest.kind === 'image') {
    marked.add(manifest.config.digest);
    for (const layer of manifest.layers) marked.add(layer.digest);
  }
  for (const child of referencedManifests(manifest)) marked.add(child.digest);
  if (manifest.subject !== undefined) marked.add(manifest.subject.digest);
}

/** The digests reachable from every manifest revision of every repository. */
export async function markBlobs(source: GcSource): Promise<ReadonlySet<string>> {
  const marked = new Set<string>();
  for (const name of await source.listRepositories()) {
    for (const digest of await source.listRevisions(name)) {
      marked.add(digest);
      const bytes = await source.readBlob(digest);
      if (bytes === undefined) continue;
      try {
        markManifest(marked, parseManifest(bytes));
      } catch {
        // an unparsable revision keeps itself but marks nothing else
      }
    }
  }
  return marked;
}

/** Runs one mark-and-sweep collection. */
export async function collectGarbage(source: GcSource, sink: GcSink, options: GcOptions): Promise<GcReport> {
  const marked = await markBlobs(source);
  const blobs = (await sink.listBlobs()).filter((b) => !marked.has(b.digest));
  const cutoff = options.clock().getTime() - (options.maxUploadAgeMs ?? 24 * 60 * 60 * 1000);
  const uploads = (await sink.listUploads()).filter((u) => u.createdAt.getTime() < cutoff);
  if (!options.dryRun) {
    for (const blob of blobs) await sink.deleteBlob(blob.digest);
    for (const upload of uploads) await sink.deleteUpload(upload);
  }
  return {
    dryRun: options.dryRun,
    blobs,
    blobBytes: blobs.reduce((n, b) => n + b.sizeBytes, 0),
    uploads,
    uploadBytes: uploads.reduce((n, u) => n + u.sizeBytes, 0),
  };
}
