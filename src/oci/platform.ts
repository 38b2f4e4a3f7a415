/**
 * `--platform os/arch[/variant]` parsing and matching index entries against it.
 */
import { InputError, NotFoundError } from '../core/index.ts';
import type { Descriptor, Platform } from './manifest.ts';

/** A platform a user asked for. */
export interface PlatformSpec {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

const PART = /^[a-z0-9._-]+$/;

/**
 * Parses `os/arch[/variant]`.
 * @throws ERR_INPUT_INVALID
 */
export function parsePlatformSpec(text: string): PlatformSpec {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !PART.test(p))) {
    throw new InputError('ERR_INPUT_INVALID', `invalid platform ${JSON.stringify(text.slice(0, 100))}: want os/arch[/variant], e.g. linux/arm64`);
  }
  const [os = '', architecture = '', variant] = parts;
  return { os, architecture, ...(variant !== undefined ? { variant } : {}) };
}

/** True when `platform` satisfies `wanted` (the variant is compared only when asked for). */
export function matchesPlatform(platform: Platform | undefined, wanted: PlatformSpec): boolean {
  if (!platform) return false;
  if (platform.os !== wanted.os || platform.architecture !== wanted.architecture) return false;
  return wanted.variant === undefined || platform.variant === wanted.variant;
}

/**
 * Picks the index entry for `wanted`.
 * @throws ERR_OCI_PLATFORM_NOT_FOUND listing the platforms the index has
 */
export function selectPlatform(manifests: readonly Descriptor[], wanted: PlatformSpec): Descriptor {
  const found = manifests.find((d) => matchesPlatform(d.platform, wanted));
  if (found) return found;
  const have = manifests.flatMap((d) => (d.platform ? [[d.platform.os, d.platform.architecture, d.platform.variant].filter(Boolean).join('/')] : []));
  const want = [wanted.os, wanted.architecture, wanted.variant].filter(Boolean).join('/');
  throw new NotFoundError('ERR_OCI_PLATFORM_NOT_FOUND', `no manifest for platform ${want} in the index (it has ${have.join(', ') || 'no platforms'})`);
}
