/**
 * htpasswd basic auth (bcrypt entries only, as distribution's htpasswd auth): parses the file
 * once, and remembers verdicts keyed by a hash of the Authorization header so bcrypt (tens of
 * milliseconds by design) runs once per credential, not once per request.
 */
import { readFile } from 'node:fs/promises';
import { compare } from 'bcryptjs';
import { ConfigError, InputError, hashHex } from '../../core/index.ts';
import type { Authenticate } from '../../registry/ports.ts';

/** Most remembered verdicts before the memory is cleared. */
const MAX_REMEMBERED = 4096;

/**
 * Parses htpasswd text into user -> bcrypt hash (`$2y$` is read as the identical `$2b$`).
 * @throws ERR_CONFIG_INVALID for a line that is not `user:$2[aby]$...`
 */
export function parseHtpasswd(text: string): ReadonlyMap<string, string> {
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const user = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon < 1 || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) {
      throw new ConfigError('ERR_CONFIG_INVALID', `htpasswd line ${i + 1}: want user:<bcrypt hash> (create it with htpasswd -B)`);
    }
    users.set(user, hash.replace(/^\$2y\$/, '$2b$'));
  });
  return users;
}

function decodeBasic(header: string): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Creates the authenticator for the parsed `users`. */
export function createHtpasswdAuthenticate(users: ReadonlyMap<string, string>): Authenticate {
  const remembered = new Map<string, boolean>();
  return async (header) => {
    if (header === undefined) return false;
    // key by a hash: the header carries the password
    const key = hashHex('sha256', header);
    const known = remembered.get(key);
    if (known !== undefined) return known;
    const credentials = decodeBasic(header);
    const hash = credentials === undefined ? undefined : users.get(credentials.user);
    const ok = credentials !== undefined && hash !== undefined && (await compare(credentials.password, hash));
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, ok);
    return ok;
  };
}

/**
 * Reads an htpasswd file and creates its authenticator.
 * @throws ERR_FILE_NOT_FOUND, ERR_CONFIG_INVALID
 */
export async function loadHtpasswd(path: string): Promise<Authenticate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError('ERR_FILE_NOT_FOUND', `cannot read htpasswd file ${path}`, { cause });
  }
  return createHtpasswdAuthenticate(parseHtpasswd(text));
}
