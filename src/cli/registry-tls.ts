/**
 * cosign's registry TLS flags: --registry-cacert (the CAs to trust instead of the system's),
 * --registry-client-cert and --registry-client-key (mutual TLS; both or neither) and
 * --registry-server-name (the name the registry's certificate must carry, sent as SNI).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../core/index.ts';
import type { NodeFetchOptions } from '../adapters/http-clients/node-fetch.ts';

/** The TLS flags as commander hands them over. */
export interface RegistryTlsFlags {
  readonly registryCacert?: string;
  readonly registryClientCert?: string;
  readonly registryClientKey?: string;
  readonly registryServerName?: string;
}

function readPem(cwd: string, path: string, flag: string): string {
  let text: string;
  try { text = readFileSync(resolve(cwd, path), 'utf8'); } catch (cause) {
    throw new InputError('ERR_FILE_NOT_FOUND', `${flag} ${path} cannot be read`, { cause });
  }
  if (!text.includes('-----BEGIN ')) throw new InputError('ERR_INPUT_INVALID', `${flag} ${path} holds no PEM block`);
  return text;
}

/**
 * The TLS options of the registry client's fetch; undefined when no TLS flag is given.
 * @throws ERR_USAGE for a client certificate without its key (or the reverse); ERR_FILE_NOT_FOUND, ERR_INPUT_INVALID for the files
 */
export function registryTlsOf(cwd: string, flags: RegistryTlsFlags): NodeFetchOptions | undefined {
  const { registryCacert: ca, registryClientCert: cert, registryClientKey: key, registryServerName: servername } = flags;
  if ((cert === undefined || cert === '') !== (key === undefined || key === '')) {
    throw new UsageError('ERR_USAGE', '--registry-client-cert and --registry-client-key go together');
  }
  if (!ca && !cert && !servername) return undefined;
  return {
    ...(ca ? { ca: readPem(cwd, ca, '--registry-cacert') } : {}),
    ...(cert && key ? { cert: readPem(cwd, cert, '--registry-client-cert'), key: readPem(cwd, key, '--registry-client-key') } : {}),
    ...(servername ? { servername } : {}),
  };
}
