/**
 * The CredentialSource docker users expect: config.json `credHelpers` for the registry, else
 * `credsStore`, else the `auths` entry (`auth` base64 user:pass, `username`/`password`,
 * `identitytoken`). Helpers run as `docker-credential-<name> get` with the server URL on stdin.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthError, ConfigError } from '../../core/index.ts';
import { configKeysFor, helperServerUrl, hostOfConfigKey, parseDockerConfig, type DockerAuthEntry, type DockerConfig } from './docker-config.ts';
import type { Credential, CredentialSource } from './types.ts';

/** Where to look: the environment (DOCKER_CONFIG, HOME, PATH) and a helper timeout. */
export interface DockerCredentialsOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly helperTimeoutMs?: number;
}

/** Creates a CredentialSource reading Docker's config once, on first use. */
export function createDockerCredentials(options: DockerCredentialsOptions): CredentialSource {
  let config: Promise<DockerConfig | undefined> | undefined;
  return async (registry) => {
    config ??= loadConfig(options.env);
    const loaded = await config;
    if (!loaded) return undefined;
    const helper = loaded.credHelpers[registry] ?? findByHost(loaded.credHelpers, registry) ?? loaded.credsStore;
    if (helper) {
      const found = await runHelper(helper, helperServerUrl(registry), options);
      if (found) return found;
    }
    const entry = findByHost(loaded.auths, registry);
    return entry ? fromEntry(entry, registry) : undefined;
  };
}

async function loadConfig(env: DockerCredentialsOptions['env']): Promise<DockerConfig | undefined> {
  const dir = env['DOCKER_CONFIG'] ?? (env['HOME'] ? join(env['HOME'], '.docker') : undefined);
  if (!dir) return undefined;
  const path = join(dir, 'config.json');
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('ERR_CONFIG_INVALID', `cannot read ${path}`, { cause: error });
  }
  return parseDockerConfig(text, path);
}

function findByHost<T>(map: Readonly<Record<string, T>>, registry: string): T | undefined {
  for (const key of configKeysFor(registry)) if (map[key] !== undefined) return map[key];
  const wanted = configKeysFor(registry).map(hostOfConfigKey);
  const key = Object.keys(map).find((k) => wanted.includes(hostOfConfigKey(k)));
  return key === undefined ? undefined : map[key];
}

function fromEntry(entry: DockerAuthEntry, registry: string): Credential | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.registrytoken) return { registryToken: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw new AuthError('ERR_AUTH_CREDENTIALS', `docker config auth for ${registry} is not base64 of user:password`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? '' };
  return undefined;
}

/** Runs `docker-credential-<name> get`; undefined when the helper has no credentials for the server. */
async function runHelper(name: string, serverUrl: string, options: DockerCredentialsOptions): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  const { code, stdout, stderr } = await spawnWithInput(program, ['get'], serverUrl, options);
  if (code !== 0) {
    // docker-credential-helpers' "credentials not found in native keychain"
    if (/not found/i.test(stdout + stderr)) return undefined;
    throw new AuthError('ERR_AUTH_CREDENTIALS', `${program} get failed (exit ${code}): ${(stderr || stdout).trim().slice(0, 200)}`);
  }
  let body: unknown;
  try { body = JSON.parse(stdout); } catch { throw new AuthError('ERR_AUTH_CREDENTIALS', `${program} get answered invalid json`); }
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const username = obj['Username'];
  const secret = obj['Secret'];
  if (typeof username !== 'string' || typeof secret !== 'string') throw new AuthError('ERR_AUTH_CREDENTIALS', `${program} get answered without string Username and Secret`);
  if (secret === '') return undefined;
  // docker's convention: the username <token> marks an identity (refresh) token
  return username === '<token>' ? { identityToken: secret } : { username, password: secret };
}

function spawnWithInput(program: string, args: readonly string[], input: string, options: DockerCredentialsOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
    // loaded here, not imported: most runs have no credential helper, and node:child_process costs every start-up
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    // our own timer: spawn's `timeout` option leaks its timer when the program cannot start
    const timer = setTimeout(() => child.kill('SIGKILL'), options.helperTimeoutMs ?? 30_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdin.on('error', () => undefined); // a helper that exits without reading stdin
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new AuthError('ERR_AUTH_CREDENTIALS', `cannot run credential helper ${program}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, { cause: error }));
    });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, stdout, stderr }); });
    child.stdin.end(input);
  });
}
