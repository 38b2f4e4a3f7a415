/**
 * The trust root keyless verification runs against, chosen as cosign chooses: `--trusted-root
 * FILE` when given; otherwise the built-in Sigstore production root, with any of cosign's
 * environment overrides replacing its part: SIGSTORE_ROOT_FILE (PEM certificates of the CA:
 * roots and intermediates), SIGSTORE_REKOR_PUBLIC_KEY (the log key, PEM) and
 * SIGSTORE_CT_LOG_PUBLIC_KEY_FILE (the CT log key, PEM).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, UsageError, decodePem, decodeUtf8, encodeBase64, hashBytes, isAppError, parsePublicKeyPem, type KeyType } from '../core/index.ts';
import { builtinTrustedRoot, parseCertificate, parseTrustedRoot, toTrustedRoot, type TrustedRoot } from '../verify/index.ts';
import { isIssuedBy, isSelfSigned, type X509Certificate } from '../verify/certificate.ts';
import type { CliIo } from './io.ts';
import { readInputFile } from './input-file.ts';

const KEY_DETAILS: Readonly<Record<KeyType, string>> = {
  'ecdsa-p256': 'PKIX_ECDSA_P256_SHA_256', 'ecdsa-p384': 'PKIX_ECDSA_P384_SHA_384', 'ecdsa-p521': 'PKIX_ECDSA_P521_SHA_512',
  ed25519: 'PKIX_ED25519', rsa: 'PKIX_RSA_PKCS1V15_2048_SHA256',
};
const FOREVER = { start: '1970-01-01T00:00:00Z' };

async function readEnvFile(io: CliIo, variable: string): Promise<string | undefined> {
  const path = io.env[variable];
  if (path === undefined || path === '') return undefined;
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${variable} names ${path}, which cannot be read`, { cause });
  }
}

function logFromPem(pem: string, variable: string): unknown {
  try {
    const key = parsePublicKeyPem(pem);
    const spki = key.toSpkiDer();
    return {
      baseUrl: variable, hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: encodeBase64(spki), keyDetails: KEY_DETAILS[key.type], validFor: FOREVER },
      logId: { keyId: encodeBase64(hashBytes('sha256', spki)) },
    };
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${variable} does not hold a pem public key`, { cause });
  }
}

/** Every chain from an intermediate or root of the PEM bundle up to a self-signed root in it; `source` names it in messages. */
function authoritiesFromPem(pem: string, source = 'SIGSTORE_ROOT_FILE'): unknown[] {
  let certs: X509Certificate[];
  try {
    certs = decodePem(pem).filter((b) => b.label === 'CERTIFICATE').map((b) => parseCertificate(b.der));
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${source} does not hold pem certificates`, { cause });
  }
  if (certs.length === 0) throw new ConfigError('ERR_CONFIG_INVALID', `${source} holds no CERTIFICATE block`);
  const chains: X509Certificate[][] = [];
  for (const start of certs) {
    const chain = [start];
    for (let cur = start; !isSelfSigned(cur) && chain.length <= certs.length;) {
      const up = certs.find((c) => c !== cur && isIssuedBy(cur, c));
      if (!up) break;
      chain.push(up);
      cur = up;
    }
    const top = chain[chain.length - 1];
    if (top && isSelfSigned(top)) chains.push(chain);
  }
  return chains.map((chain) => ({
    subject: {}, uri: source, validFor: FOREVER,
    certChain: { certificates: chain.map((c) => ({ rawBytes: encodeBase64(c.der) })) },
  }));
}

/**
 * The trust root for keyless verification.
 * @throws ERR_FILE_NOT_FOUND, ERR_TRUST_ROOT_INVALID for a bad --trusted-root; ERR_CONFIG_INVALID for a bad override
 */
export async function resolveTrustedRoot(io: CliIo, trustedRootFile: string | undefined): Promise<TrustedRoot> {
  if (trustedRootFile !== undefined) return parseTrustedRoot(await readInputFile(io.cwd, trustedRootFile, 'trusted root'));
  const base = builtinTrustedRoot('production');
  const [roots, rekor, ct] = await Promise.all([
    readEnvFile(io, 'SIGSTORE_ROOT_FILE'), readEnvFile(io, 'SIGSTORE_REKOR_PUBLIC_KEY'), readEnvFile(io, 'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE'),
  ]);
  if (roots === undefined && rekor === undefined && ct === undefined) return base;
  let parts: TrustedRoot;
  try {
    parts = toTrustedRoot({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      certificateAuthorities: roots === undefined ? [] : authoritiesFromPem(roots),
      tlogs: rekor === undefined ? [] : [logFromPem(rekor, 'SIGSTORE_REKOR_PUBLIC_KEY')],
      ctlogs: ct === undefined ? [] : [logFromPem(ct, 'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE')],
      timestampAuthorities: [],
    });
  } catch (cause) {
    if (isAppError(cause) && cause.code === 'ERR_CONFIG_INVALID') throw cause;
    throw new ConfigError('ERR_CONFIG_INVALID', 'the SIGSTORE_* trust overrides do not form a trust root', { cause });
  }
  return {
    ...base,
    ...(roots === undefined ? {} : { certificateAuthorities: parts.certificateAuthorities }),
    ...(rekor === undefined ? {} : { tlogs: parts.tlogs }),
    ...(ct === undefined ? {} : { ctlogs: parts.ctlogs }),
  };
}

/** A private CA given on the command line (cosign's --ca-roots and --ca-intermediates, or verify's --certificate-chain). */
export interface PrivateCaFiles {
  readonly caRoots?: string | undefined;
  readonly caIntermediates?: string | undefined;
  readonly certificateChain?: string | undefined;
}

const given = (v: string | undefined): v is string => v !== undefined && v !== '';

/**
 * `root` with its certificate authorities replaced by the private CA `files` name (every chain
 * from a given certificate up to a self-signed root among them); `root` unchanged when none is given.
 * @throws ERR_USAGE for --ca-intermediates alone or with --certificate-chain; ERR_FILE_NOT_FOUND;
 *   ERR_CONFIG_INVALID when the files hold no self-signed root or no certificate
 */
export async function withPrivateCa(io: CliIo, root: TrustedRoot, files: PrivateCaFiles): Promise<TrustedRoot> {
  const { caRoots, caIntermediates, certificateChain } = files;
  if (!given(caRoots) && !given(certificateChain)) {
    if (given(caIntermediates)) throw new UsageError('ERR_USAGE', '--ca-intermediates needs --ca-roots');
    return root;
  }
  if (given(certificateChain) && (given(caRoots) || given(caIntermediates))) throw new UsageError('ERR_USAGE', 'give --certificate-chain or --ca-roots (with --ca-intermediates), not both');
  const named = given(certificateChain) ? [['--certificate-chain', certificateChain]] : [['--ca-roots', caRoots ?? ''], ...(given(caIntermediates) ? [['--ca-intermediates', caIntermediates]] : [])];
  const texts = await Promise.all(named.map(async ([flag = '', path = '']) => decodeUtf8(await readInputFile(io.cwd, path, `${flag} file`))));
  const source = named.map(([flag]) => flag).join(' and ');
  const authorities = authoritiesFromPem(texts.join('\n'), source);
  if (authorities.length === 0) throw new ConfigError('ERR_CONFIG_INVALID', `${source}: no certificate leads to a self-signed root among them`);
  const parts = toTrustedRoot({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', certificateAuthorities: authorities, tlogs: [], ctlogs: [], timestampAuthorities: [] });
  return { ...root, certificateAuthorities: parts.certificateAuthorities };
}
