/**
 * Token scopes the client asks for: pull to read, push and pull to write, and pull on the
 * source repository of a cross-repository mount.
 */
import { formatRepositoryScope } from '../../oci/index.ts';

/** A repository on a registry. */
export interface RepositoryRef {
  readonly registry: string;
  readonly repository: string;
}

/** Scope to read `repo`. */
export function pullScopes(repo: RepositoryRef): readonly string[] {
  return [formatRepositoryScope(repo.repository, ['pull'])];
}

/** Scopes to write `repo` (and read `mountFrom` for a mount). */
export function pushScopes(repo: RepositoryRef, mountFrom?: RepositoryRef): readonly string[] {
  const scopes = [formatRepositoryScope(repo.repository, ['pull', 'push'])];
  if (mountFrom && mountFrom.repository !== repo.repository) scopes.push(formatRepositoryScope(mountFrom.repository, ['pull']));
  return scopes;
}

/** Scope to delete from `repo` (distribution asks for `delete`; some registries for `*`). */
export function deleteScopes(repo: RepositoryRef): readonly string[] {
  return [formatRepositoryScope(repo.repository, ['delete'])];
}

/** The scope of the catalog endpoint. */
export const CATALOG_SCOPES: readonly string[] = ['registry:catalog:*'];

/** `/v2/<repository>` */
export function repositoryPath(repo: RepositoryRef): string {
  return `/v2/${repo.repository}`;
}
