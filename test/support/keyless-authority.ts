// A Fulcio-shaped CA with a CT log (the official @sigstore/mock implementations, an independent
// X.509 and SCT producer) plus a one-entry Rekor v1 signer, and the trusted_root.json naming all
// three: enough to make real keyless signatures (certificate with embedded SCT, SET, inclusion
// proof and checkpoint) offline, for tests and the keyless benchmark.
import { createHash, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { initializeCA, initializeCTLog } from '@sigstore/mock';
import { canonicalJsonBytes, encodeBase64, encodePem, encodeUtf8 } from '../../src/core/index.ts';

/** What the certificate says about the signer. */
export interface TestIdentity {
  /** a URI SAN (the mock CA writes URI names) */
  readonly san: string;
  readonly issuer: string;
  /** legacy GitHub workflow extensions .1.2 to .1.6 by OID */
  readonly github?: Readonly<Record<string, string>>;
}

/** A logged entry in the shapes cosign and bundles carry it. */
export interface TestLogEntry {
  readonly body: Uint8Array;
  readonly integratedTime: number;
  readonly logIndex: number;
  readonly logIdHex: string;
  readonly set: Uint8Array;
  /** `dev.sigstore.cosign/bundle` annotation JSON */
  readonly cosignBundle: string;
  /** bundle `tlogEntries[0]` in protobuf JSON */
  readonly bundleEntry: Record<string, unknown>;
}

/** The authority and its trust root. */
export interface KeylessAuthority {
  readonly trustedRoot: Record<string, unknown>;
  readonly rootPem: string;
  readonly rekorPublicKeyPem: string;
  /** issues a certificate for a fresh P-256 key */
  issue(identity: TestIdentity): Promise<{ readonly key: KeyObject; readonly certDer: Uint8Array; readonly certPem: string }>;
  /** logs `body` (a canonical Rekor entry) at `integratedTime` */
  log(body: Record<string, unknown>, integratedTime?: number): TestLogEntry;
}

const ec = (namedCurve = 'P-256'): { publicKey: KeyObject; privateKey: KeyObject } => generateKeyPairSync('ec', { namedCurve });
const spki = (k: KeyObject): Uint8Array<ArrayBuffer> => new Uint8Array(k.export({ format: 'der', type: 'spki' }));
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

function logInstance(url: string, key: Uint8Array, start: string): Record<string, unknown> {
  return {
    baseUrl: url, hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: encodeBase64(key), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: encodeBase64(sha256(key)) },
  };
}

/** Signs one entry as a one-entry Rekor v1 log: SET, and an inclusion proof whose root is the leaf. */
function logEntry(log: { key: KeyObject; logId: Buffer; host: string }, bodyJson: Record<string, unknown>, logIndex: number, time: number): TestLogEntry {
  const body = canonicalJsonBytes(bodyJson);
  const payload = { body: encodeBase64(body), integratedTime: time, logID: log.logId.toString('hex'), logIndex };
  const set = new Uint8Array(nodeSign('sha256', canonicalJsonBytes(payload), log.key));
  const root = sha256(new Uint8Array(Buffer.concat([Buffer.from([0]), body])));
  const note = `${log.host} - 1\n1\n${root.toString('base64')}\n`;
  const noteSig = nodeSign('sha256', encodeUtf8(note), log.key);
  const checkpoint = `${note}\n\u2014 ${log.host} ${Buffer.concat([log.logId.subarray(0, 4), noteSig]).toString('base64')}\n`;
  return {
    body, integratedTime: time, logIndex, logIdHex: log.logId.toString('hex'), set,
    cosignBundle: JSON.stringify({ SignedEntryTimestamp: encodeBase64(set), Payload: payload }),
    bundleEntry: {
      logIndex: String(logIndex), logId: { keyId: log.logId.toString('base64') },
      kindVersion: { kind: String(bodyJson['kind']), version: String(bodyJson['apiVersion']) },
      integratedTime: String(time), inclusionPromise: { signedEntryTimestamp: encodeBase64(set) },
      inclusionProof: { logIndex: '0', rootHash: root.toString('base64'), treeSize: '1', hashes: [], checkpoint: { envelope: checkpoint } },
      canonicalizedBody: encodeBase64(body),
    },
  };
}

/** Creates the authority. `clock` fixes the CA's and log's time (default: now at each call); `caCurve` its key (P-384). */
export async function createKeylessAuthority(options: { clock?: Date; rekorHost?: string; caCurve?: 'P-256' | 'P-384' } = {}): Promise<KeylessAuthority> {
  const ctKeys = ec();
  const rekor = ec();
  const ctlog = await initializeCTLog(ctKeys, options.clock);
  // by default a P-384 CA signing with ECDSA-SHA384, as Fulcio's production chain does
  const ca = await initializeCA(ec(options.caCurve ?? 'P-384'), ctlog, options.clock);
  const rootDer = new Uint8Array(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength);
  const rekorSpki = spki(rekor.publicKey);
  const logId = sha256(rekorSpki);
  const host = options.rekorHost ?? 'rekor.sigil.test';
  const start = new Date(Date.UTC(2020, 0, 1)).toISOString();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    certificateAuthorities: [{ subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: 'https://fulcio.sigil.test', certChain: { certificates: [{ rawBytes: encodeBase64(rootDer) }] }, validFor: { start } }],
    tlogs: [logInstance(`https://${host}`, rekorSpki, start)],
    ctlogs: [logInstance('https://ctfe.sigil.test', spki(ctKeys.publicKey), start)],
    timestampAuthorities: [],
  };
  let nextIndex = 0;
  return {
    trustedRoot,
    rootPem: encodePem('CERTIFICATE', rootDer),
    rekorPublicKeyPem: encodePem('PUBLIC KEY', rekorSpki),
    async issue(identity) {
      const key = ec();
      const extensions = [
        { oid: '1.3.6.1.4.1.57264.1.1', value: identity.issuer, legacy: true },
        { oid: '1.3.6.1.4.1.57264.1.8', value: identity.issuer },
        ...Object.entries(identity.github ?? {}).map(([oid, value]) => ({ oid, value, legacy: true })),
      ];
      const der = await ca.issueCertificate({ publicKey: spki(key.publicKey), subjectAltName: identity.san, extensions });
      const certDer = new Uint8Array(der.buffer, der.byteOffset, der.byteLength);
      return { key: key.privateKey, certDer, certPem: encodePem('CERTIFICATE', certDer) };
    },
    log: (bodyJson, integratedTime) => logEntry({ key: rekor.privateKey, logId, host }, bodyJson, nextIndex++, integratedTime ?? Math.floor((options.clock ?? new Date()).getTime() / 1000)),
  };
}
