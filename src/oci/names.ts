/**
 * Repository name and tag grammar of the OCI distribution-spec ("Pulling manifests").
 */
import { InputError } from '../core/index.ts';

// <name>: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME_PATTERN = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** distribution's limit on a repository name, including a registry host. */
export const MAX_NAME_LENGTH = 255;

/** True when `name` is a valid repository name (never contains `..`, empty parts or `/` at the ends). */
export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

/**
 * Validates a repository name.
 * @throws ERR_OCI_NAME_INVALID
 */
export function parseRepositoryName(name: string): string {
  if (!isRepositoryName(name)) {
    throw new InputError('ERR_OCI_NAME_INVALID', `invalid repository name ${JSON.stringify(name.slice(0, 300))}: want lowercase path components of [a-z0-9] joined by . _ __ or -`);
  }
  return name;
}

/** True when `tag` is a valid tag. */
export function isTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/**
 * Validates a tag.
 * @throws ERR_OCI_TAG_INVALID
 */
export function parseTag(tag: string): string {
  if (!isTag(tag)) throw new InputError('ERR_OCI_TAG_INVALID', `invalid tag ${JSON.stringify(tag.slice(0, 200))}: want [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`);
  return tag;
}
