/**
 * Reads a Notary trust store for `sigil scan repo`: notation's layout
 * `x509/{ca,signingAuthority,tsa}/<name>/*.{pem,crt,cer}` (PEM or DER certificates; symlinks
 * refused, as the Notary specification requires), as one flat list of anchors or, for a trust
 * policy, as named stores; and notation's trustpolicy.json.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Certificate } from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ConfigError, InputError } from '../../core/index.ts';
import { parseCertificatesPem, parseNotaryTrustPolicy, type NotaryTrustPolicy } from '../../scan/index.ts';

const CERT_FILE = /\.(pem|crt|cer)$/i;

function parseStoreFile(bytes: Buffer, path: string): readonly Certificate[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return parseCertificatesPem(text, path);
  try { return [AsnConvert.parse(bytes, Certificate)]; } catch (cause) { throw new ConfigError('ERR_CONFIG_INVALID', `${path} is neither pem nor der certificates`, { cause }); }
}

async function entries(dir: string): Promise<string[]> {
  try { return (await readdir(dir)).sort(); } catch (cause) { throw new InputError('ERR_FILE_NOT_FOUND', `cannot read the trust store directory ${dir}`, { cause }); }
}

async function noSymlink(path: string): Promise<Awaited<ReturnType<typeof lstat>>> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw new ConfigError('ERR_CONFIG_INVALID', `trust store entry ${path} is a symlink`);
  return info;
}

/**
 * Every certificate of the trust store as one list of anchors (the `ca` and `signingAuthority`
 * stores; `tsa` stores hold timestamp roots, not signers); a flat directory of certificates works too.
 * @throws ERR_FILE_NOT_FOUND, ERR_CONFIG_INVALID
 */
export async function loadTrustStore(dir: string, depth = 0): Promise<Certificate[]> {
  const found: Certificate[] = [];
  for (const name of await entries(dir)) {
    const path = join(dir, name);
    const info = await noSymlink(path);
    if (info.isDirectory() && depth < 3 && name !== 'tsa') found.push(...(await loadTrustStore(path, depth + 1)));
    if (info.isFile() && CERT_FILE.test(name)) found.push(...parseStoreFile(await readFile(path), path));
  }
  return found;
}

/**
 * The named stores of a notation trust store: `ca:<name>`, `signingAuthority:<name>`,
 * `tsa:<name>` → the certificates directly in `x509/<type>/<name>/` (sub-directories are ignored,
 * as the specification says).
 * @throws ERR_FILE_NOT_FOUND when the directory is missing; ERR_CONFIG_INVALID for a symlink or a bad certificate file
 */
export async function loadNamedStores(dir: string): Promise<Map<string, Certificate[]>> {
  const stores = new Map<string, Certificate[]>();
  await entries(dir);
  for (const type of ['ca', 'signingAuthority', 'tsa']) {
    const typeDir = join(dir, 'x509', type);
    let names: string[];
    try { names = (await readdir(typeDir)).sort(); } catch { continue; }
    for (const name of names) {
      const storeDir = join(typeDir, name);
      if (!(await noSymlink(storeDir)).isDirectory()) continue;
      const certs: Certificate[] = [];
      for (const file of await entries(storeDir)) {
        const path = join(storeDir, file);
        if ((await noSymlink(path)).isFile() && CERT_FILE.test(file)) certs.push(...parseStoreFile(await readFile(path), path));
      }
      stores.set(`${type}:${name}`, certs);
    }
  }
  return stores;
}

/**
 * Reads notation's trustpolicy.json.
 * @throws ERR_FILE_NOT_FOUND; ERR_CONFIG_INVALID for bad JSON or a document the specification refuses
 */
export async function loadNotaryTrustPolicy(path: string): Promise<NotaryTrustPolicy> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (cause) { throw new InputError('ERR_FILE_NOT_FOUND', `cannot read --trust-policy ${path}`, { cause }); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (cause) { throw new ConfigError('ERR_CONFIG_INVALID', `--trust-policy ${path} is not JSON`, { cause }); }
  try { return parseNotaryTrustPolicy(doc); } catch (error) {
    throw new ConfigError('ERR_CONFIG_INVALID', `--trust-policy ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
