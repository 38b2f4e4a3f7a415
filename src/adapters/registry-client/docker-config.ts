/**
 * Docker's config.json (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), parsed
 * from untrusted JSON into the parts the credential lookup reads.
 */
import { ConfigError } from '../../core/index.ts';

/** One `auths` entry. */
export interface DockerAuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly registrytoken?: string;
}

/** The credential parts of a Docker config file. */
export interface DockerConfig {
  readonly auths: Readonly<Record<string, DockerAuthEntry>>;
  readonly credsStore?: string;
  readonly credHelpers: Readonly<Record<string, string>>;
}

const ENTRY_FIELDS = ['auth', 'username', 'password', 'identitytoken', 'registrytoken'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEntry(value: unknown, key: string, path: string): DockerAuthEntry {
  if (!isObject(value)) throw new ConfigError('ERR_CONFIG_INVALID', `${path}: auths[${JSON.stringify(key)}] must be an object`);
  const entry: Record<string, string> = {};
  for (const field of ENTRY_FIELDS) {
    const v = value[field];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string') throw new ConfigError('ERR_CONFIG_INVALID', `${path}: auths[${JSON.stringify(key)}].${field} must be a string`);
    entry[field] = v;
  }
  return entry;
}

function parseHelperName(value: unknown, where: string, path: string): string {
  // the name becomes part of an executable name: keep it to a safe alphabet
  if (typeof value !== 'string' || !/^[a-zA-Z0-9._-]+$/.test(value)) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${path}: ${where} must be a credential helper name`);
  }
  return value;
}

/**
 * Parses config.json text.
 * @throws ERR_CONFIG_INVALID naming the file and field
 */
export function parseDockerConfig(text: string, path: string): DockerConfig {
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new ConfigError('ERR_CONFIG_INVALID', `${path} is not valid json`); }
  if (!isObject(body)) throw new ConfigError('ERR_CONFIG_INVALID', `${path} must hold a json object`);
  const auths: Record<string, DockerAuthEntry> = {};
  if (body['auths'] !== undefined) {
    if (!isObject(body['auths'])) throw new ConfigError('ERR_CONFIG_INVALID', `${path}: auths must be an object`);
    for (const [key, value] of Object.entries(body['auths'])) auths[key] = parseEntry(value, key, path);
  }
  const credHelpers: Record<string, string> = {};
  if (body['credHelpers'] !== undefined) {
    if (!isObject(body['credHelpers'])) throw new ConfigError('ERR_CONFIG_INVALID', `${path}: credHelpers must be an object`);
    for (const [key, value] of Object.entries(body['credHelpers'])) credHelpers[key] = parseHelperName(value, `credHelpers[${JSON.stringify(key)}]`, path);
  }
  const store = body['credsStore'];
  const credsStore = store === undefined || store === '' ? undefined : parseHelperName(store, 'credsStore', path);
  return { auths, credHelpers, ...(credsStore !== undefined ? { credsStore } : {}) };
}

/** The server names a registry is filed under in config.json (Docker Hub has historic aliases). */
export function configKeysFor(registry: string): readonly string[] {
  if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1'];
  return [registry, `https://${registry}`, `http://${registry}`];
}

/** The host an `auths` key names (`https://host/v1/` -> `host`). */
export function hostOfConfigKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

/** The server URL handed to a credential helper (`https://index.docker.io/v1/` for Docker Hub). */
export function helperServerUrl(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}
