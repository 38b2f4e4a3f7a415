/**
 * Pulling, pushing and deleting manifests (distribution-spec "Pulling manifests",
 * "Pushing Manifests", "Deleting Manifests").
 */
import { InputError, NotFoundError, collectBytes, computeDigest, parseDigest } from '../core/index.ts';
import { MAX_MANIFEST_BYTES, parseManifest, parseTag, type Manifest } from '../oci/index.ts';
import type { RegistryDeps } from './deps.ts';
import { manifestKey, tagKey, toCachedManifest, type CachedManifest, type ManifestCache } from './manifest-cache.ts';
import { contentLengthOf, headersWith, nameOf } from './request.ts';
import { checkReferences, referrerOf, subjectOf } from './manifest-rules.ts';
import type { RegistryRequest, RegistryResponse } from './types.ts';

/** The manifest handlers. */
export interface ManifestHandlers {
  get(req: RegistryRequest): Promise<RegistryResponse>;
  put(req: RegistryRequest): Promise<RegistryResponse>;
  delete(req: RegistryRequest): Promise<RegistryResponse>;
}

function unknownManifest(name: string, reference: string): NotFoundError {
  return new NotFoundError('ERR_OCI_MANIFEST_UNKNOWN', `manifest ${reference} is not in repository ${name}`);
}

/** Creates the manifest handlers over `deps`, reading through `cache`. */
export function createManifestHandlers(deps: RegistryDeps, cache: ManifestCache): ManifestHandlers {
  const load = async (name: string, digest: string): Promise<CachedManifest | undefined> => {
    const key = manifestKey(name, digest);
    const hit = cache.manifests.get(key);
    if (hit !== undefined) return hit;
    const writes = cache.writes;
    const stored = await deps.manifests.get(name, digest);
    if (stored === undefined) return undefined;
    const entry = toCachedManifest(stored);
    if (cache.writes === writes) cache.manifests.set(key, entry);
    return entry;
  };
  const resolve = async (name: string, reference: string): Promise<string | undefined> => {
    // tags cannot contain ':', so this tells the kinds apart without a throwing parse
    if (reference.includes(':')) return parseDigest(reference).value;
    const tag = parseTag(reference);
    const key = tagKey(name, tag);
    const hit = cache.tags.get(key);
    if (hit !== undefined) return hit;
    const writes = cache.writes;
    const digest = await deps.tags.resolve(name, tag);
    if (digest !== undefined && cache.writes === writes) cache.tags.set(key, digest);
    return digest;
  };
  return {
    async get(req) {
      const name = nameOf(req);
      const reference = req.params['reference'] ?? '';
      const digest = await resolve(name, reference);
      const entry = digest === undefined ? undefined : await load(name, digest);
      if (entry === undefined) throw unknownManifest(name, reference);
      return req.method === 'HEAD' ? { status: 200, headers: entry.headers } : { status: 200, headers: entry.headers, body: entry.manifest.bytes };
    },
    put: (req) => putManifest(deps, cache, req),
    delete: (req) => deleteManifest(deps, cache, req),
  };
}

/** Records a completed write and drops the cache entries it changed (and the subject's referrers listing). */
function invalidate(cache: ManifestCache, manifestKeys: readonly string[], tagKeys: readonly string[], subjectKey?: string): void {
  cache.writes += 1;
  for (const key of manifestKeys) cache.manifests.delete(key);
  for (const key of tagKeys) cache.tags.delete(key);
  if (subjectKey !== undefined) cache.referrers.delete(subjectKey);
}

/** Reads, validates and stores a pushed manifest; tags it when pushed by tag. */
async function putManifest(deps: RegistryDeps, cache: ManifestCache, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const reference = req.params['reference'] ?? '';
  const byDigest = reference.includes(':');
  const urlDigest = byDigest ? parseDigest(reference) : undefined;
  const tag = byDigest ? undefined : parseTag(reference);
  const tooLarge = (): InputError => new InputError('ERR_OCI_MANIFEST_TOO_LARGE', `manifest exceeds the ${MAX_MANIFEST_BYTES}-byte limit`);
  if ((contentLengthOf(req) ?? 0) > MAX_MANIFEST_BYTES) throw tooLarge();
  const bytes = await collectBytes(req.body, MAX_MANIFEST_BYTES, tooLarge);
  const digest = computeDigest(urlDigest?.algorithm ?? 'sha256', bytes);
  if (urlDigest !== undefined && urlDigest.value !== digest) {
    throw new InputError('ERR_OCI_DIGEST_INVALID', `manifest body has digest ${digest}, not ${urlDigest.value}`);
  }
  const manifest: Manifest = parseManifest(bytes, req.headers['content-type']);
  await checkReferences(deps, name, manifest);
  const stored = { digest, mediaType: manifest.mediaType, bytes };
  const referrer = referrerOf(manifest, stored);
  // invalidated even when a write fails part-way: the referrer file may be on disk already
  const subjectKey = referrer === undefined ? undefined : manifestKey(name, referrer.subject);
  try {
    await deps.manifests.put(name, stored, referrer);
    if (tag !== undefined) await deps.tags.set(name, tag, digest);
  } finally {
    invalidate(cache, [manifestKey(name, digest)], tag === undefined ? [] : [tagKey(name, tag)], subjectKey);
  }
  const headers: Record<string, string> = { location: `/v2/${name}/manifests/${digest}`, 'docker-content-digest': digest };
  if (manifest.subject !== undefined) headers['oci-subject'] = manifest.subject.digest;
  return { status: 201, headers: headersWith(headers) };
}

/** Deletes a tag, or a manifest with every tag that points at it. */
async function deleteManifest(deps: RegistryDeps, cache: ManifestCache, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const reference = req.params['reference'] ?? '';
  if (!reference.includes(':')) {
    const tag = parseTag(reference);
    const deleted = await deps.tags.delete(name, tag);
    invalidate(cache, [], [tagKey(name, tag)]);
    if (!deleted) throw unknownManifest(name, reference);
    return { status: 202, headers: headersWith({}) };
  }
  const digest = parseDigest(reference).value;
  const stored = await deps.manifests.get(name, digest);
  if (stored === undefined) throw unknownManifest(name, reference);
  const tagKeys: string[] = [];
  for (const tag of (await deps.tags.list(name)) ?? []) {
    if ((await deps.tags.resolve(name, tag)) !== digest) continue;
    await deps.tags.delete(name, tag);
    tagKeys.push(tagKey(name, tag));
  }
  const subject = subjectOf(stored);
  try {
    await deps.manifests.delete(name, digest, subject);
  } finally {
    invalidate(cache, [manifestKey(name, digest)], tagKeys, subject === undefined ? undefined : manifestKey(name, subject));
  }
  return { status: 202, headers: headersWith({}) };
}
