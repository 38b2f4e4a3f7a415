/**
 * Where a registry lives: scheme choice (plain HTTP for loopback, as go-containerregistry does)
 * and resolving the relative or absolute URLs registries answer with.
 */

/** The host that serves Docker Hub's registry API. */
const DOCKER_HUB_API = 'registry-1.docker.io';

/** The host:port requests go to (`docker.io` is served by registry-1.docker.io). */
export function registryApiHost(registry: string): string {
  return registry === 'docker.io' ? DOCKER_HUB_API : registry;
}

/** True for localhost, 127.0.0.0/8 and [::1], with or without a port: spoken to in plain HTTP. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : (registry.split(':')[0] ?? '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host.endsWith('.localhost');
}

/** Resolves a Location or Link target against the URL of the request that returned it. */
export function resolveUrl(target: string, base: string): string {
  return new URL(target, base).toString();
}

/** A URL without its query string, for messages (upload URLs carry opaque state). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}
