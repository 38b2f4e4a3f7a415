/**
 * Submissions to the CT log (RFC 6962 §3.1, §4.1, §4.2): the chain is checked (each certificate
 * signed by the next, ending at or under an accepted root; a precertificate carries the critical
 * poison, a certificate does not), and the entry the SCT signs and the tree logs is built: for a
 * precertificate the issuer key hash and the TBS with the poison removed.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, ExtendedKeyUsage, id_ce_extKeyUsage } from '@peculiar/asn1-x509';
import { concatBytes, createIssuerCheck, encodeHex, equalBytes, hashBytes, InputError, isAppError } from '../core/index.ts';
import { tbsExtensions, tbsOfCertificate, withTbsExtensions, type TbsExtension } from '../core/tbs-extensions.ts';
import { encodeUint, encodeVector } from './tls.ts';

/** OID of the precertificate poison. */
export const OID_CT_POISON = '1.3.6.1.4.1.11129.2.4.3';
/** EKU of a precertificate signing certificate, which this log does not accept. */
const OID_PRECERT_SIGNING = '1.3.6.1.4.1.11129.2.4.4';

/** RFC 6962 LogEntryType. */
export type EntryType = 'x509' | 'precert';

/** A checked submission: what the SCT signs (minus timestamp and extensions) and what get-entries returns. */
export interface CtSubmission {
  readonly entryType: EntryType;
  /** the `signed_entry` field: ASN.1Cert for x509, issuer_key_hash + TBS for precert */
  readonly signedEntry: Uint8Array;
  readonly extraData: Uint8Array;
}

function invalid(message: string, cause?: unknown): InputError {
  return new InputError('ERR_CT_SUBMISSION_INVALID', message, cause === undefined ? {} : { cause });
}

function parse(der: Uint8Array, i: number): Certificate {
  try {
    return AsnConvert.parse(der, Certificate);
  } catch (cause) {
    throw invalid(`chain[${i}] is not a DER certificate`, cause);
  }
}

function hasPoison(extensions: readonly TbsExtension[]): boolean {
  return extensions.some((e) => e.oid === OID_CT_POISON && e.critical);
}

/** The leaf's TBS and extensions, read from its exact DER (OpenSSL parses it whole in the chain check). */
function readLeaf(der: Uint8Array): { readonly tbsDer: Uint8Array; readonly extensions: readonly TbsExtension[] } {
  try {
    const tbsDer = tbsOfCertificate(der);
    return { tbsDer, extensions: tbsExtensions(tbsDer) };
  } catch (cause) {
    if (isAppError(cause)) throw invalid('chain[0] is not a DER certificate', cause);
    throw cause;
  }
}

/**
 * What the log remembers about the certificates above a leaf, by exact DER: the same
 * intermediate and root come with every submission, so their links, anchoring and parse are
 * checked once. Only facts that hold for those bytes forever are kept.
 */
export interface ChainMemo {
  /** `child|parent` hex pairs whose signature verified, and `anchor|<hex>` of anchored tails */
  readonly verified: Set<string>;
  /** issuer DER hex → the SHA-256 of its SPKI and whether it is a precertificate signing certificate */
  readonly issuers: Map<string, { readonly keyHash: Uint8Array; readonly precertSigning: boolean }>;
  /** issuer DER hex → its signature check, the issuer and its key parsed once */
  readonly issuerChecks: Map<string, ((certDer: Uint8Array) => boolean) | undefined>;
}

const MAX_MEMO_ENTRIES = 256;

/** An empty memo. */
export function createChainMemo(): ChainMemo {
  return { verified: new Set(), issuers: new Map(), issuerChecks: new Map() };
}

function remember(memo: ChainMemo, key: string): void {
  if (memo.verified.size >= MAX_MEMO_ENTRIES) memo.verified.clear();
  memo.verified.add(key);
}

function isIssuedBy(certDer: Uint8Array, issuerDer: Uint8Array, issuerHex: string, memo: ChainMemo): boolean {
  if (!memo.issuerChecks.has(issuerHex)) {
    if (memo.issuerChecks.size >= MAX_MEMO_ENTRIES) memo.issuerChecks.clear();
    memo.issuerChecks.set(issuerHex, createIssuerCheck(issuerDer));
  }
  const check = memo.issuerChecks.get(issuerHex);
  return check !== undefined && check(certDer);
}

function checkChain(chain: readonly Uint8Array[], roots: readonly Uint8Array[], memo: ChainMemo): void {
  const hex = chain.map(encodeHex);
  for (let i = 0; i + 1 < chain.length; i++) {
    const key = `${hex[i]}|${hex[i + 1]}`;
    if (i > 0 && memo.verified.has(key)) continue;
    if (!isIssuedBy(chain[i] as Uint8Array, chain[i + 1] as Uint8Array, hex[i + 1] as string, memo)) throw invalid(`chain[${i}] is not signed by chain[${i + 1}]`);
    if (i > 0) remember(memo, key);
  }
  const last = chain[chain.length - 1] as Uint8Array;
  const anchorKey = `anchor|${hex[hex.length - 1]}`;
  if (chain.length > 1 && memo.verified.has(anchorKey)) return;
  const anchored = roots.some((r) => equalBytes(r, last) || isIssuedBy(last, r, encodeHex(r), memo));
  if (!anchored) throw invalid('the chain does not end at a root this log accepts');
  if (chain.length > 1) remember(memo, anchorKey);
}

function purposesOf(cert: Certificate): readonly string[] {
  const eku = (cert.tbsCertificate.extensions ?? []).find((e) => e.extnID === id_ce_extKeyUsage);
  if (eku === undefined) return [];
  try {
    return [...AsnConvert.parse(eku.extnValue.buffer, ExtendedKeyUsage)];
  } catch (cause) {
    throw invalid('the issuer has a malformed extended key usage', cause);
  }
}

function issuerFacts(der: Uint8Array | undefined, memo: ChainMemo): { readonly keyHash: Uint8Array; readonly precertSigning: boolean } {
  if (der === undefined) throw invalid('a precertificate needs its issuer in the chain');
  const key = encodeHex(der);
  const known = memo.issuers.get(key);
  if (known !== undefined) return known;
  const cert = parse(der, 1);
  const facts = {
    keyHash: hashBytes('sha256', new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo))),
    precertSigning: purposesOf(cert).includes(OID_PRECERT_SIGNING),
  };
  if (memo.issuers.size >= MAX_MEMO_ENTRIES) memo.issuers.clear();
  memo.issuers.set(key, facts);
  return facts;
}

/** RFC 6962 §3.2: the TBS without the poison, every other byte as the CA signed it. */
function tbsWithoutPoison(tbsDer: Uint8Array, extensions: readonly TbsExtension[]): Uint8Array {
  return withTbsExtensions(tbsDer, extensions.filter((e) => e.oid !== OID_CT_POISON).map((e) => e.der));
}

function certificateChain(chain: readonly Uint8Array[]): Uint8Array {
  return encodeVector(concatBytes(chain.map((c) => encodeVector(c, 3))), 3);
}

/**
 * Checks an add-chain (`precert` false) or add-pre-chain submission: DER certificates, leaf first.
 * @throws ERR_CT_SUBMISSION_INVALID for an empty, unparsable, unlinked or unanchored chain, or a leaf of the wrong kind
 */
export function parseSubmission(chain: readonly Uint8Array[], roots: readonly Uint8Array[], precert: boolean, memo: ChainMemo): CtSubmission {
  if (chain.length === 0) throw invalid('the chain is empty');
  const leaf = readLeaf(chain[0] as Uint8Array);
  if (!precert) parse(chain[0] as Uint8Array, 0);
  checkChain(chain, roots, memo);
  if (!precert) {
    if (hasPoison(leaf.extensions)) throw invalid('add-chain takes certificates; this one is a precertificate (use add-pre-chain)');
    return { entryType: 'x509', signedEntry: encodeVector(chain[0] as Uint8Array, 3), extraData: certificateChain(chain.slice(1)) };
  }
  if (!hasPoison(leaf.extensions)) throw invalid('add-pre-chain takes precertificates; this one has no critical poison extension');
  const issuer = issuerFacts(chain[1], memo);
  if (issuer.precertSigning) {
    throw invalid('precertificate signing certificates are not supported; the issuing CA must sign the precertificate');
  }
  return {
    entryType: 'precert',
    signedEntry: concatBytes([issuer.keyHash, encodeVector(tbsWithoutPoison(leaf.tbsDer, leaf.extensions), 3)]),
    extraData: concatBytes([encodeVector(chain[0] as Uint8Array, 3), certificateChain(chain.slice(1))]),
  };
}

/**
 * The TLS TimestampedEntry-based bytes shared by the SCT signature input and the Merkle leaf
 * (RFC 6962 §3.2, §3.4): version 0, type 0 (certificate_timestamp = timestamped_entry), the
 * timestamp, entry type, signed entry and CT extensions.
 */
export function encodeTimestampedEntry(submission: CtSubmission, timestampMs: number, extensions: Uint8Array): Uint8Array {
  return concatBytes([
    encodeUint(0, 1), encodeUint(0, 1), encodeUint(timestampMs, 8),
    encodeUint(submission.entryType === 'x509' ? 0 : 1, 2), submission.signedEntry, encodeVector(extensions, 2),
  ]);
}
