/**
 * Where the registry keeps things under `<data>/registry` (distribution's layout, simplified):
 *   blobs/<alg>/<hex[0..2]>/<hex>                      content-addressed blobs and manifests
 *   repositories/<name>/_layers/<alg>/<hex>            blob links (empty files)
 *   repositories/<name>/_manifests/revisions/<alg>/<hex>  manifest links (hold the media type)
 *   repositories/<name>/_manifests/tags/<tag>          tag files (hold a digest)
 *   repositories/<name>/_referrers/<alg>/<hex>/<alg>-<hex>.json  referrer descriptors by subject
 *   uploads/<id>/{info.json,data}                      resumable upload sessions
 *   tmp/                                               temp files, emptied at start-up
 * Names, tags, digests and ids are validated before they get here; `_` never starts a name
 * component, so the `_` folders cannot collide with a repository.
 */
import { join } from 'node:path';
import { parseDigest } from '../../core/index.ts';

/** Paths of one registry data directory. */
export interface RegistryLayout {
  readonly root: string;
  readonly tmp: string;
  readonly uploads: string;
  readonly repositories: string;
  readonly blobs: string;
  blob(digest: string): string;
  layerLink(name: string, digest: string): string;
  revision(name: string, digest: string): string;
  revisions(name: string): string;
  tags(name: string): string;
  referrers(name: string, subject: string): string;
  upload(id: string): string;
}

/** Splits a digest already validated by the registry (checked again: it becomes a path). */
function parts(digest: string): { algorithm: string; hex: string } {
  const d = parseDigest(digest);
  return { algorithm: d.algorithm, hex: d.hex };
}

/** The layout of the registry under data directory `dataDir`. */
export function createRegistryLayout(dataDir: string): RegistryLayout {
  const root = join(dataDir, 'registry');
  const repositories = join(root, 'repositories');
  const repo = (name: string): string => join(repositories, name);
  return {
    root,
    tmp: join(root, 'tmp'),
    uploads: join(root, 'uploads'),
    repositories,
    blobs: join(root, 'blobs'),
    blob(digest) { const { algorithm, hex } = parts(digest); return join(root, 'blobs', algorithm, hex.slice(0, 2), hex); },
    layerLink(name, digest) { const { algorithm, hex } = parts(digest); return join(repo(name), '_layers', algorithm, hex); },
    revision(name, digest) { const { algorithm, hex } = parts(digest); return join(repo(name), '_manifests', 'revisions', algorithm, hex); },
    revisions: (name) => join(repo(name), '_manifests', 'revisions'),
    tags: (name) => join(repo(name), '_manifests', 'tags'),
    referrers(name, subject) { const { algorithm, hex } = parts(subject); return join(repo(name), '_referrers', algorithm, hex); },
    upload: (id) => join(root, 'uploads', id),
  };
}
