/**
 * Keeping the OCI 1.1 referrers tag schema up to date: a registry without the referrers API
 * does not index a manifest's `subject`, so the distribution-spec asks the client that pushes
 * a referrer to merge its descriptor into the `sha256-<hex>` index itself.
 *
 * That merge is a read-modify-write of a tag, and registries have no compare-and-swap on tags:
 * two writers at the same moment (two signers, a signer and a copy) could each drop the other's
 * descriptor. As for `.sig` tags (signature-store/write.ts), the window is one read and one PUT,
 * and after the PUT the writer waits more than twice that window and reads the index again: an
 * overwrite that dropped a descriptor of its own has landed by then, and it merges again.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ConflictError, encodeUtf8 } from '../../core/index.ts';
import { OCI_INDEX, referrersTag, type Descriptor } from '../../oci/index.ts';
import type { RegistryClient } from './client.ts';
import type { RepositoryRef } from './scopes.ts';
import type { FetchedManifest } from './types.ts';

/** The least wait before the re-read after a PUT: covers scheduling delays on a busy machine. */
const POST_WRITE_FLOOR_MS = 20;

/** Clock and sleep of the re-check (tests may pass their own). */
export interface ReferrersIndexDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly monotonicMs: () => number;
  readonly jitter: () => number;
  readonly maxAttempts?: number;
}

const REAL_DEPS: ReferrersIndexDeps = { sleep: async (ms) => { await delay(ms); }, monotonicMs: () => performance.now(), jitter: Math.random };

function listedIn(fetched: FetchedManifest | undefined): readonly Descriptor[] {
  const m = fetched?.manifest;
  return m?.kind === 'index' ? m.manifests : [];
}

function missingFrom(listed: readonly Descriptor[], wanted: readonly Descriptor[]): Descriptor[] {
  return wanted.filter((d, i) => !listed.some((m) => m.digest === d.digest) && wanted.findIndex((x) => x.digest === d.digest) === i);
}

/**
 * Adds `descriptors` (referrers of `subjectDigest` already pushed) to the tag-schema index of
 * `repo` when the registry has no referrers API; nothing to do when it has one or all are listed.
 * @returns how many descriptors were missing from the index and are now in it
 * @throws ERR_SIGNATURE_APPEND_CONFLICT when concurrent writers keep dropping them; registry errors
 */
export async function addToReferrersTagIndex(
  client: RegistryClient, repo: RepositoryRef, subjectDigest: string, descriptors: readonly Descriptor[], deps: ReferrersIndexDeps = REAL_DEPS,
): Promise<number> {
  const listed = await client.listReferrers(repo, subjectDigest);
  if (listed.source === 'api') return 0;
  const added = missingFrom(listed.manifests, descriptors).length;
  if (added === 0) return 0;
  const tag = referrersTag(subjectDigest);
  const attempts = deps.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const started = deps.monotonicMs();
    const current = listedIn(await client.findManifest(repo, tag));
    const missing = missingFrom(current, descriptors);
    if (missing.length === 0) return added;
    const bytes = encodeUtf8(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...current, ...missing] }));
    const written = await client.putManifest(repo, tag, bytes, OCI_INDEX);
    const windowMs = deps.monotonicMs() - started;
    await deps.sleep(Math.round(Math.max(POST_WRITE_FLOOR_MS, 2 * windowMs) + deps.jitter() * 10));
    const now = await client.findManifest(repo, tag);
    if (now?.digest === written || missingFrom(listedIn(now), descriptors).length === 0) return added;
    await deps.sleep(Math.round(deps.jitter() * 20 * attempt));
  }
  throw new ConflictError('ERR_SIGNATURE_APPEND_CONFLICT', `concurrent writers kept overwriting the referrers index ${tag}; gave up after ${attempts} attempts`);
}
