/**
 * Authenticode signatures in PE files: every WIN_CERTIFICATE, its SignedData over
 * SpcIndirectDataContent, the recomputed image hash against the signed one, nested signatures
 * (unsigned attribute 1.3.6.1.4.1.311.2.4.1) and their timestamps.
 */
import type { SignedData } from '@peculiar/asn1-cms';
import { AsnProp, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { InputError, type LegacyDigestAlgorithm } from '../core/index.ts';
import { findAttributeValues, isSameBytes, parseDer, parseSignedData } from './cms.ts';
import { digestFileRanges } from './file-hash.ts';
import { DIGEST_OIDS, OID } from './oids.ts';
import { imageHashRanges, parseCertificateTable, type PeLayout } from './pe.ts';
import type { RandomAccessFile } from './ports.ts';
import { toProblem, type PeDetails, type Problem, type SignatureReport } from './report.ts';
import { describeSigner } from './signer-report.ts';
import { readExact } from './le-bytes.ts';
import type { ScanTrust } from './trust.ts';

// DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
class DigestInfo {
  digestAlgorithm = new AlgorithmIdentifier();
  digest = new OctetString();
}
AsnType({ type: AsnTypeTypes.Sequence })(DigestInfo);
AsnProp({ type: AlgorithmIdentifier })(DigestInfo.prototype, 'digestAlgorithm');
AsnProp({ type: OctetString })(DigestInfo.prototype, 'digest');

// SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo };
// SpcAttributeTypeAndOptionalValue has AlgorithmIdentifier's shape (an OID and an optional ANY).
class SpcIndirectDataContent {
  data = new AlgorithmIdentifier();
  messageDigest = new DigestInfo();
}
AsnType({ type: AsnTypeTypes.Sequence })(SpcIndirectDataContent);
AsnProp({ type: AlgorithmIdentifier })(SpcIndirectDataContent.prototype, 'data');
AsnProp({ type: DigestInfo })(SpcIndirectDataContent.prototype, 'messageDigest');

const MAX_NESTING = 4;

/** What an Authenticode scan found. */
export interface AuthenticodeScan {
  readonly signatures: readonly SignatureReport[];
  readonly problems: readonly Problem[];
  readonly pe: PeDetails;
}

interface PeContext {
  readonly file: RandomAccessFile;
  readonly layout: PeLayout;
  readonly trust: ScanTrust | null;
  /** image hashes by algorithm, computed once each */
  readonly imageHashes: Map<LegacyDigestAlgorithm, Promise<Uint8Array>>;
}

// The messageDigest attribute covers the content octets of SpcIndirectDataContent: its DER without the outer tag and length.
function contentOctets(tlv: Uint8Array): Uint8Array {
  const first = tlv[1] ?? 0;
  const header = first < 0x80 ? 2 : 2 + (first & 0x7f);
  if (tlv[0] !== 0x30 || header > tlv.byteLength || header > 6) throw new InputError('ERR_SCAN_FILE_MALFORMED', 'authenticode content is not a der sequence');
  return tlv.subarray(header);
}

async function checkImageHash(ctx: PeContext, content: SpcIndirectDataContent): Promise<Problem[]> {
  const algorithm = DIGEST_OIDS[content.messageDigest.digestAlgorithm.algorithm];
  if (!algorithm) return [{ code: 'ERR_SCAN_ALGORITHM_UNSUPPORTED', message: `unsupported image hash algorithm ${content.messageDigest.digestAlgorithm.algorithm}` }];
  let hash = ctx.imageHashes.get(algorithm);
  if (!hash) {
    hash = digestFileRanges(ctx.file, imageHashRanges(ctx.layout, ctx.file.sizeBytes), algorithm);
    ctx.imageHashes.set(algorithm, hash);
  }
  if (isSameBytes(await hash, content.messageDigest.digest.buffer)) return [];
  return [{ code: 'ERR_SCAN_DIGEST_MISMATCH', message: `the ${algorithm} pe image hash does not match the signed one: the file was changed after signing` }];
}

async function scanSignedData(ctx: PeContext, sd: SignedData, label: string, depth: number): Promise<SignatureReport[]> {
  if (sd.encapContentInfo.eContentType !== OID.spcIndirectData || !sd.encapContentInfo.eContent?.any) {
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `${label}: content type ${sd.encapContentInfo.eContentType} is not SpcIndirectDataContent`);
  }
  const tlv = new Uint8Array(sd.encapContentInfo.eContent.any);
  const content = parseDer(tlv, SpcIndirectDataContent, `${label} SpcIndirectDataContent`);
  const problems = await checkImageHash(ctx, content);
  const out: SignatureReport[] = [];
  for (const [i, si] of sd.signerInfos.entries()) {
    const signer = sd.signerInfos.length > 1 ? `${label}/signer[${i}]` : label;
    out.push(describeSigner(si, sd, { format: 'authenticode', signer, content: contentOctets(tlv), problems, trust: ctx.trust }));
    for (const [j, nested] of findAttributeValues(si.unsignedAttrs, OID.spcNestedSignature).entries()) {
      if (depth >= MAX_NESTING) throw new InputError('ERR_SCAN_FILE_MALFORMED', `${label}: nested signatures deeper than ${MAX_NESTING}`);
      out.push(...(await scanSignedData(ctx, parseSignedData(nested, `${signer} nested signature`), `${signer}/nested[${j}]`, depth + 1)));
    }
  }
  return out;
}

/**
 * Scans the certificate table of a PE file whose layout is known; an empty table means unsigned.
 * Per-signature failures become problems; one bad WIN_CERTIFICATE does not hide the others.
 * @throws ERR_SCAN_FILE_MALFORMED when the table itself cannot be split into entries
 */
export async function scanAuthenticode(file: RandomAccessFile, layout: PeLayout, trust: ScanTrust | null = null): Promise<AuthenticodeScan> {
  if (!layout.certTable) return { signatures: [], problems: [], pe: { format: layout.format, certificateTable: null } };
  const table = await readExact(file, layout.certTable.offset, layout.certTable.size, 'certificate table');
  const certs = parseCertificateTable(table);
  const pe: PeDetails = {
    format: layout.format,
    certificateTable: {
      offset: layout.certTable.offset, sizeBytes: layout.certTable.size,
      entries: certs.map((c) => ({ revision: c.revision, type: c.type, sizeBytes: c.data.byteLength + 8 })),
    },
  };
  const ctx: PeContext = { file, layout, trust, imageHashes: new Map() };
  const signatures: SignatureReport[] = [];
  const problems: Problem[] = [];
  for (const [i, cert] of certs.entries()) {
    if (cert.type !== 2) {
      problems.push({ code: 'ERR_SCAN_FILE_MALFORMED', message: `cert[${i}]: WIN_CERTIFICATE type ${cert.type} is not pkcs signed data` });
      continue;
    }
    try { signatures.push(...(await scanSignedData(ctx, parseSignedData(cert.data, `cert[${i}]`), `cert[${i}]`, 0))); }
    catch (error) { problems.push(toProblem(error)); }
  }
  return { signatures, problems, pe };
}
