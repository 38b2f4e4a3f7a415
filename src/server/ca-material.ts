/**
 * The CA's keys and certificates under `<data>/ca/`: root-key.pem and intermediate-key.pem
 * (PKCS#8, mode 0600) and chain.pem (intermediate, then root). chain.pem is written last, through
 * a rename, so it marks a complete set: a first start that died half-way starts over, since no
 * certificate was issued from keys without a chain.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError, decodePem, encodePem, equalBytes, generatePrivateKey, importPkcs8PrivateKey, type Clock, type PrivateKey, type Random,
} from '../core/index.ts';
import { createAuthorityCertificates, type CaSigner } from '../ca/index.ts';
import { parseCertificate } from '../verify/index.ts';

/** The CA's material, loaded. */
export interface CaMaterial {
  /** signs leaves */
  readonly intermediate: CaSigner;
  readonly intermediateDer: Uint8Array;
  readonly rootDer: Uint8Array;
}

const ROOT_KEY = 'root-key.pem';
const INTERMEDIATE_KEY = 'intermediate-key.pem';
const CHAIN = 'chain.pem';

function signerOf(key: PrivateKey): CaSigner {
  return { spkiDer: key.publicKey().toSpkiDer(), sign: (data) => key.sign('ecdsa-p256-sha256', data) };
}

function writePrivate(path: string, key: PrivateKey): void {
  writeFileSync(path, encodePem('PRIVATE KEY', key.toPkcs8Der()), { mode: 0o600 });
  chmodSync(path, 0o600);
}

function create(dir: string, clock: Clock, random: Random): CaMaterial {
  const rootKey = generatePrivateKey('ecdsa-p256');
  const intermediateKey = generatePrivateKey('ecdsa-p256');
  const intermediate = signerOf(intermediateKey);
  const certs = createAuthorityCertificates({ root: signerOf(rootKey), intermediate, now: clock(), random });
  writePrivate(join(dir, ROOT_KEY), rootKey);
  writePrivate(join(dir, INTERMEDIATE_KEY), intermediateKey);
  const tmp = join(dir, `${CHAIN}.tmp`);
  writeFileSync(tmp, encodePem('CERTIFICATE', certs.intermediateDer) + encodePem('CERTIFICATE', certs.rootDer));
  renameSync(tmp, join(dir, CHAIN));
  return { intermediate, intermediateDer: certs.intermediateDer, rootDer: certs.rootDer };
}

function load(dir: string): CaMaterial {
  const chainPath = join(dir, CHAIN);
  try {
    const [intermediateDer, rootDer] = decodePem(readFileSync(chainPath, 'utf8')).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
    if (intermediateDer === undefined || rootDer === undefined) throw new Error('chain.pem needs the intermediate and the root');
    const keyBlock = decodePem(readFileSync(join(dir, INTERMEDIATE_KEY), 'utf8')).find((b) => b.label === 'PRIVATE KEY');
    if (keyBlock === undefined) throw new Error('no PRIVATE KEY block');
    const intermediate = signerOf(importPkcs8PrivateKey(keyBlock.der));
    if (!equalBytes(parseCertificate(intermediateDer).publicKey.spkiDer, intermediate.spkiDer)) throw new Error('the intermediate key does not match chain.pem');
    return { intermediate, intermediateDer, rootDer };
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `the CA material in ${dir} is unusable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Loads the CA's keys and chain from `<dataDir>/ca/`, creating them on first start.
 * @throws ERR_CONFIG_INVALID when the files exist but do not fit together
 */
export function loadOrCreateCaMaterial(dataDir: string, clock: Clock, random: Random): CaMaterial {
  const dir = join(dataDir, 'ca');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return existsSync(join(dir, CHAIN)) ? load(dir) : create(dir, clock, random);
}
