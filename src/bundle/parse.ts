/**
 * Parses an untrusted Sigstore bundle (protobuf JSON: lowerCamelCase or snake_case names, int64 as
 * strings or numbers, bytes as base64) and applies each version's rules (rekor-fulcio §5.3).
 */
import { InputError, decodeUtf8 } from '../core/index.ts';
import type {
  Bundle, BundleInclusionProof, BundleVersion, DsseEnvelope, MessageSignature, SignerMaterial, TransparencyLogEntry,
} from './types.ts';

type Json = Record<string, unknown>;

const VERSIONS: Readonly<Record<string, BundleVersion>> = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
};

function bad(message: string): InputError {
  return new InputError('ERR_BUNDLE_INVALID', message);
}

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${where} must be an object`);
  return v as Json;
}

// snake_case spellings of the field names this parser asks for, derived once per name
const SNAKE_NAMES = new Map<string, string>();

/** A field by its JSON name or its proto (snake_case) name. */
function field(o: Json, camel: string): unknown {
  if (camel in o) return o[camel];
  let snake = SNAKE_NAMES.get(camel);
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    SNAKE_NAMES.set(camel, snake);
  }
  return o[snake];
}

function bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string') throw bad(`${where} must be base64`);
  // the common case, canonical padded standard base64, is recognised by re-encoding its decoding
  const decoded = Buffer.from(value, 'base64');
  if (decoded.toString('base64') === value) return new Uint8Array(decoded);
  // protobuf JSON accepts standard or URL-safe base64, padded or not; Go's decoder (protojson)
  // also skips CR and LF, and real bundles carry MIME-wrapped timestamps
  const v = value.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(v) || v.replace(/=+$/, '').length % 4 === 1) throw bad(`${where} must be base64`);
  return new Uint8Array(Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function int64(v: unknown, where: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v)) return BigInt(v);
  throw bad(`${where} must be a non-negative integer`);
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw bad(`${where} must be a string`);
  return v;
}

function parseProof(v: unknown, where: string): BundleInclusionProof {
  const p = obj(v, where);
  const hashes = field(p, 'hashes') ?? [];
  if (!Array.isArray(hashes)) throw bad(`${where}.hashes must be an array`);
  const checkpoint = field(p, 'checkpoint');
  return {
    logIndex: int64(field(p, 'logIndex') ?? 0, `${where}.logIndex`),
    rootHash: bytes(field(p, 'rootHash'), `${where}.rootHash`),
    treeSize: int64(field(p, 'treeSize'), `${where}.treeSize`),
    hashes: hashes.map((h, i) => bytes(h, `${where}.hashes[${i}]`)),
    ...(checkpoint === undefined ? {} : { checkpoint: str(field(obj(checkpoint, `${where}.checkpoint`), 'envelope'), `${where}.checkpoint.envelope`) }),
  };
}

function parseEntry(v: unknown, where: string): TransparencyLogEntry {
  const e = obj(v, where);
  const kv = obj(field(e, 'kindVersion'), `${where}.kindVersion`);
  const promise = field(e, 'inclusionPromise');
  const proof = field(e, 'inclusionProof');
  const bodyText = str(field(e, 'canonicalizedBody'), `${where}.canonicalizedBody`);
  return {
    logIndex: int64(field(e, 'logIndex') ?? 0, `${where}.logIndex`),
    logId: { keyId: bytes(field(obj(field(e, 'logId'), `${where}.logId`), 'keyId'), `${where}.logId.keyId`) },
    kindVersion: { kind: str(kv['kind'], `${where}.kindVersion.kind`), version: str(kv['version'], `${where}.kindVersion.version`) },
    integratedTime: int64(field(e, 'integratedTime') ?? 0, `${where}.integratedTime`),
    ...(promise === undefined ? {} : { inclusionPromise: { signedEntryTimestamp: bytes(field(obj(promise, `${where}.inclusionPromise`), 'signedEntryTimestamp'), `${where}.inclusionPromise.signedEntryTimestamp`) } }),
    ...(proof === undefined ? {} : { inclusionProof: parseProof(proof, `${where}.inclusionProof`) }),
    canonicalizedBody: bytes(bodyText, `${where}.canonicalizedBody`),
    canonicalizedBodyBase64: bodyText,
  };
}

function parseSigner(m: Json, version: BundleVersion): SignerMaterial {
  const chain = field(m, 'x509CertificateChain');
  const cert = field(m, 'certificate');
  const key = field(m, 'publicKey');
  if ([chain, cert, key].filter((x) => x !== undefined).length !== 1) throw bad('verificationMaterial needs exactly one of x509CertificateChain, certificate, publicKey');
  if (chain !== undefined) {
    if (version === '0.3') throw bad('a v0.3 bundle must carry a single certificate, not x509CertificateChain');
    const certs = field(obj(chain, 'x509CertificateChain'), 'certificates');
    if (!Array.isArray(certs) || certs.length === 0) throw bad('x509CertificateChain.certificates must be a non-empty array');
    return { kind: 'x509-chain', certificates: certs.map((c, i) => bytes(field(obj(c, `certificates[${i}]`), 'rawBytes'), `certificates[${i}].rawBytes`)) };
  }
  if (cert !== undefined) return { kind: 'certificate', certificate: bytes(field(obj(cert, 'certificate'), 'rawBytes'), 'certificate.rawBytes') };
  const hint = field(obj(key, 'publicKey'), 'hint');
  return { kind: 'public-key', hint: hint === undefined ? '' : str(hint, 'publicKey.hint') };
}

function parseContent(b: Json): MessageSignature | DsseEnvelope {
  const message = field(b, 'messageSignature');
  const dsse = field(b, 'dsseEnvelope');
  if ((message === undefined) === (dsse === undefined)) throw bad('a bundle needs exactly one of messageSignature and dsseEnvelope');
  if (message !== undefined) {
    const m = obj(message, 'messageSignature');
    const digest = field(m, 'messageDigest');
    const d = digest === undefined ? undefined : obj(digest, 'messageSignature.messageDigest');
    return { kind: 'message', signature: bytes(m['signature'], 'messageSignature.signature'),
      ...(d ? { messageDigest: { algorithm: str(d['algorithm'], 'messageDigest.algorithm'), digest: bytes(d['digest'], 'messageDigest.digest') } } : {}) };
  }
  const e = obj(dsse, 'dsseEnvelope');
  const sigs = e['signatures'];
  if (!Array.isArray(sigs) || sigs.length !== 1) throw bad('a dsse envelope in a bundle must carry exactly one signature');
  return {
    kind: 'dsse', payload: bytes(e['payload'], 'dsseEnvelope.payload'), payloadType: str(field(e, 'payloadType'), 'dsseEnvelope.payloadType'),
    signatures: sigs.map((s, i) => { const o = obj(s, `signatures[${i}]`); return { sig: bytes(o['sig'], `signatures[${i}].sig`), keyid: o['keyid'] === undefined ? '' : str(o['keyid'], `signatures[${i}].keyid`) }; }),
  };
}

function checkVersionRules(version: BundleVersion, entries: readonly TransparencyLogEntry[]): void {
  entries.forEach((e, i) => {
    if (version === '0.1' && !e.inclusionPromise) throw bad(`tlogEntries[${i}]: a v0.1 bundle needs an inclusionPromise`);
    if (version !== '0.1' && !e.inclusionProof?.checkpoint) throw bad(`tlogEntries[${i}]: a v${version} bundle needs an inclusionProof with a checkpoint`);
  });
}

/**
 * Parses bundle JSON, as bytes (strict UTF-8) or as text already decoded.
 * @throws ERR_BUNDLE_VERSION_UNSUPPORTED for an unknown media type, ERR_BUNDLE_INVALID otherwise
 */
export function parseBundle(data: Uint8Array | string): Bundle {
  let json: unknown;
  try { json = JSON.parse(typeof data === 'string' ? data : decodeUtf8(data)); } catch { throw bad('bundle is not valid json'); }
  const b = obj(json, 'bundle');
  const mediaType = str(field(b, 'mediaType'), 'mediaType');
  const version = VERSIONS[mediaType];
  if (!version) throw new InputError('ERR_BUNDLE_VERSION_UNSUPPORTED', `unsupported bundle media type ${JSON.stringify(mediaType.slice(0, 100))}`);
  const m = obj(field(b, 'verificationMaterial'), 'verificationMaterial');
  const entriesJson = field(m, 'tlogEntries') ?? [];
  if (!Array.isArray(entriesJson)) throw bad('tlogEntries must be an array');
  const tlogEntries = entriesJson.map((e, i) => parseEntry(e, `tlogEntries[${i}]`));
  checkVersionRules(version, tlogEntries);
  const tsData = field(m, 'timestampVerificationData');
  const stamps = tsData === undefined ? [] : field(obj(tsData, 'timestampVerificationData'), 'rfc3161Timestamps') ?? [];
  if (!Array.isArray(stamps)) throw bad('rfc3161Timestamps must be an array');
  return {
    mediaType, version,
    verificationMaterial: {
      signer: parseSigner(m, version), tlogEntries,
      rfc3161Timestamps: stamps.map((s, i) => bytes(field(obj(s, `rfc3161Timestamps[${i}]`), 'signedTimestamp'), `rfc3161Timestamps[${i}].signedTimestamp`)),
    },
    content: parseContent(b),
  };
}
