/**
 * Scans a registry: the catalog (or one namespace of it), every tag of every repository, every
 * platform of an index, and the signatures of each. Bounded concurrency; every failure becomes a
 * problem on the report (a tag, a repository, or the catalog) and the scan goes on.
 */
import { formatPlatform, type Manifest } from '../oci/index.ts';
import type { RegistrySource } from './ports.ts';
import { toProblem, type Problem } from './report.ts';
import { findRepoSignatures, type FindContext } from './repo-signatures.ts';
import type { RepoEntry, RepoScanReport } from './repo-report.ts';
import type { RepoTrust } from './repo-trust.ts';

/** Settings of a registry scan. */
export interface RepoScanOptions {
  /** repositories scanned at once times tags per repository: requests in flight stay ≤ this */
  readonly concurrency: number;
  readonly trust: RepoTrust | null;
  /** called once per entry as it is done (progress) */
  readonly onEntry?: (entry: RepoEntry) => void;
}

/** cosign's attachment tags and the referrers tag schema's index tags: signatures, not images. */
const ATTACHMENT_TAG = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/;

/** True for a tag that holds signatures or referrers rather than an image. */
export function isAttachmentTag(tag: string): boolean {
  return ATTACHMENT_TAG.test(tag);
}

/** Runs `fn` over `items`, at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function entryOf(repository: string, tag: string, fields: Partial<RepoEntry>): RepoEntry {
  return { path: `${repository}:${tag}`, repository, tag, digest: null, mediaType: null, platform: null, signatures: [], problems: [], ...fields };
}

async function scanIndexChildren(ctx: FindContext, tag: string, manifest: Manifest): Promise<RepoEntry[]> {
  if (manifest.kind !== 'index') return [];
  // BuildKit attestation manifests are listed with platform unknown/unknown: not a platform
  const children = manifest.manifests.filter((d) => !(d.platform?.os === 'unknown' && d.platform.architecture === 'unknown'));
  return Promise.all(children.map(async (child): Promise<RepoEntry> => {
    const platform = child.platform ? formatPlatform(child.platform) : child.digest;
    const found = await findRepoSignatures(ctx, { digest: child.digest, mediaType: child.mediaType, sizeBytes: child.size });
    return { ...entryOf(ctx.repository, tag, { digest: child.digest, mediaType: child.mediaType, platform, ...found }), path: `${ctx.repository}:${tag}@${platform}` };
  }));
}

/**
 * Scans one tag: its manifest, signatures, and each platform of an index. Never throws. The tag
 * is resolved with a GET, not a HEAD: the manifest is small, an index needs its body anyway, and
 * Node's fetch (undici) closes the connection after every HEAD, so HEADs cost a TCP handshake each.
 */
export async function scanTag(ctx: FindContext, tag: string): Promise<RepoEntry[]> {
  let fetched;
  let manifest: Manifest;
  try {
    fetched = await ctx.source.getManifest(ctx.repository, tag);
    manifest = fetched.manifest;
  } catch (error) {
    return [entryOf(ctx.repository, tag, { ...(fetched ? { digest: fetched.digest, mediaType: fetched.mediaType } : {}), problems: [toProblem(error)] })];
  }
  const subject = { digest: fetched.digest, mediaType: fetched.mediaType, sizeBytes: fetched.bytes.byteLength };
  const found = await findRepoSignatures(ctx, subject);
  const children = await scanIndexChildren(ctx, tag, manifest);
  return [entryOf(ctx.repository, tag, { digest: subject.digest, mediaType: subject.mediaType, signatures: found.signatures, problems: found.problems }), ...children];
}

/** True when `repository` is `namespace` or below it (`""` matches all). */
export function isInNamespace(repository: string, namespace: string): boolean {
  return namespace === '' || repository === namespace || repository.startsWith(`${namespace}/`);
}

/**
 * Scans `namespace` of a registry (all of it for `""`); every failure is reported, none thrown.
 * Entries come in catalog order, then tag-list order.
 */
export async function scanRegistry(source: RegistrySource, registry: string, namespace: string, options: RepoScanOptions): Promise<RepoScanReport> {
  const problems: { repository: string | null; problem: Problem }[] = [];
  let repositories: readonly string[];
  try { repositories = (await source.listRepositories()).filter((r) => isInNamespace(r, namespace)); } catch (error) {
    return { registry, namespace, entries: [], problems: [{ repository: null, problem: toProblem(error) }] };
  }
  const listed = await mapLimit(repositories, options.concurrency, async (repository) => {
    try { return { repository, tags: await source.listTags(repository) }; } catch (error) {
      problems.push({ repository, problem: toProblem(error) });
      return { repository, tags: [] as readonly string[] };
    }
  });
  const work = listed.flatMap(({ repository, tags }) => {
    const ctx: FindContext = { source, repository, tags: new Set(tags), trust: options.trust };
    return tags.filter((t) => !isAttachmentTag(t)).map((tag) => ({ ctx, tag }));
  });
  const scanned = await mapLimit(work, options.concurrency, async ({ ctx, tag }) => {
    const entries = await scanTag(ctx, tag);
    for (const e of entries) options.onEntry?.(e);
    return entries;
  });
  problems.sort((a, b) => (a.repository ?? '').localeCompare(b.repository ?? ''));
  return { registry, namespace, entries: scanned.flat(), problems };
}
