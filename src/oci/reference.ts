/**
 * Image references (`[registry/]repository[:tag][@digest]`), parsed the way Docker and
 * go-containerregistry do: docker.io is the default registry, single-component names on
 * docker.io live under `library/`, and the first path component is a registry host only when it
 * contains `.` or `:` or is `localhost`.
 */
import { InputError, parseDigest } from '../core/index.ts';
import { MAX_NAME_LENGTH, isRepositoryName, isTag } from './names.ts';

/** The registry an unqualified reference points to. */
export const DEFAULT_REGISTRY = 'docker.io';
/** The tag an untagged, undigested reference points to. */
export const DEFAULT_TAG = 'latest';

/** A parsed image reference. */
export interface Reference {
  /** host with optional port, normalised (`index.docker.io` becomes `docker.io`), e.g. `[::1]:5000` */
  readonly registry: string;
  /** repository path, e.g. `library/ubuntu` */
  readonly repository: string;
  /** the tag given in the text, if any */
  readonly tag?: string;
  /** the digest given in the text, if any */
  readonly digest?: string;
  /** what to fetch: the digest when given (it wins over a tag), else the tag, else `latest` */
  readonly identifier: string;
}

// host: DNS labels (a leading letter or digit, inner hyphens) or a bracketed IPv6 literal; optional port
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST_PATTERN = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-fA-F:.]+(?:%[a-zA-Z0-9]+)?\\])(?::([0-9]{1,5}))?$`);

function invalid(text: string, why: string): InputError {
  return new InputError('ERR_OCI_REFERENCE_INVALID', `invalid reference ${JSON.stringify(text.slice(0, 300))}: ${why}`);
}

/** True when the first path component names a registry rather than a repository namespace. */
function isRegistryComponent(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/**
 * Validates a registry host (`host[:port]`, `[v6]:port`) and normalises Docker Hub's aliases.
 * @throws ERR_OCI_REFERENCE_INVALID
 */
export function parseRegistry(registry: string, text: string = registry): string {
  const match = HOST_PATTERN.exec(registry);
  if (!match) throw invalid(text, `registry ${JSON.stringify(registry)} is not a valid host[:port]`);
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw invalid(text, `registry port ${port} is out of range`);
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') return DEFAULT_REGISTRY;
  return registry;
}

/** Splits `name[:tag]` at the last colon after the last slash. */
function splitTag(name: string): { name: string; tag: string | undefined } {
  const colon = name.lastIndexOf(':');
  if (colon === -1 || colon < name.lastIndexOf('/')) return { name, tag: undefined };
  return { name: name.slice(0, colon), tag: name.slice(colon + 1) };
}

/** Splits `registry/repository`, applying Docker Hub's defaults. */
function splitRegistry(name: string, text: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash !== -1 && isRegistryComponent(first)) {
    const registry = parseRegistry(first, text);
    const rest = name.slice(slash + 1);
    const repository = registry === DEFAULT_REGISTRY && !rest.includes('/') ? `library/${rest}` : rest;
    return { registry, repository };
  }
  return { registry: DEFAULT_REGISTRY, repository: slash === -1 ? `library/${name}` : name };
}

function parseTail(text: string): { name: string; tag: string | undefined; digest: string | undefined } {
  const at = text.indexOf('@');
  const head = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? undefined : text.slice(at + 1);
  if (digest !== undefined) {
    if (digest.includes('@')) throw invalid(text, 'more than one @');
    try { parseDigest(digest); } catch { throw invalid(text, `digest ${JSON.stringify(digest.slice(0, 140))} is not algorithm:hex`); }
  }
  const { name, tag } = splitTag(head);
  if (tag !== undefined && !isTag(tag)) throw invalid(text, `tag ${JSON.stringify(tag.slice(0, 140))} is not [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`);
  return { name, tag, digest };
}

/**
 * Parses an image reference.
 * @throws ERR_OCI_REFERENCE_INVALID with the reason (empty, bad registry, repository, tag or digest)
 */
export function parseReference(text: string): Reference {
  if (text === '') throw invalid(text, 'empty reference');
  if (/\s/.test(text)) throw invalid(text, 'contains whitespace');
  if (text.includes('://')) throw invalid(text, 'a reference has no scheme; drop the http:// or https://');
  const { name, tag, digest } = parseTail(text);
  if (name === '') throw invalid(text, 'missing repository');
  const { registry, repository } = splitRegistry(name, text);
  if (!isRepositoryName(repository)) {
    const why = repository.toLowerCase() !== repository ? 'repository must be lowercase' : 'repository must be lowercase path components of [a-z0-9] joined by . _ __ or -';
    throw invalid(text, why);
  }
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) throw invalid(text, `name is longer than ${MAX_NAME_LENGTH} characters`);
  return {
    registry, repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    identifier: digest ?? tag ?? DEFAULT_TAG,
  };
}

/** The `registry/repository` part of a reference. */
export function formatRepository(ref: Pick<Reference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Formats a reference canonically: `registry/repository[:tag][@digest]` (`:latest` when neither is given). */
export function formatReference(ref: Reference): string {
  const tag = ref.tag ?? (ref.digest === undefined ? DEFAULT_TAG : undefined);
  return `${formatRepository(ref)}${tag !== undefined ? `:${tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The same repository pinned to `digest` (the tag is dropped). */
export function withDigest(ref: Pick<Reference, 'registry' | 'repository'>, digest: string): Reference {
  return { registry: ref.registry, repository: ref.repository, digest, identifier: digest };
}

/** The same repository at `tag` (any digest is dropped). */
export function withTag(ref: Pick<Reference, 'registry' | 'repository'>, tag: string): Reference {
  return { registry: ref.registry, repository: ref.repository, tag, identifier: tag };
}
