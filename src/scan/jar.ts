/**
 * Signed JARs (and WAR/EAR/APK v1, which use the same META-INF scheme): for each signer, the
 * PKCS#7 block must verify over its .SF file, the .SF digests must match the manifest (whole, or
 * section by section), and the manifest digests must match the entries it names. Across signers,
 * every entry outside the signing files must be covered by one (else a file-level problem). JAR File Specification, "Signed JAR File".
 */
import { InputError, digestBytes } from '../core/index.ts';
import { parseSignedData } from './cms.ts';
import { listDigestAttributes, parseManifest, type Manifest, type ManifestSection } from './jar-manifest.ts';
import { JAR_DIGEST_NAMES } from './oids.ts';
import type { RandomAccessFile } from './ports.ts';
import { toProblem, type Problem, type SignatureReport } from './report.ts';
import { describeSigner } from './signer-report.ts';
import { createInflateBudget, readZipEntry, type InflateBudget } from './zip-entry.ts';
import type { ZipEntry, ZipLimits } from './zip.ts';
import type { ScanTrust } from './trust.ts';

/** What a JAR scan found. */
export interface JarScan {
  readonly signatures: readonly SignatureReport[];
  readonly problems: readonly Problem[];
}

const BLOCK_SUFFIXES = ['.RSA', '.DSA', '.EC'] as const;

/** The most signers (.SF files) read from one JAR; each costs a PKCS#7 parse and a signature check. */
export const MAX_JAR_SIGNERS = 32;

/** True for the files the signing process itself writes (never covered by the manifest). */
export function isSigningRelated(name: string): boolean {
  const upper = name.toUpperCase();
  if (!upper.startsWith('META-INF/') || upper.slice(9).includes('/')) return false;
  const base = upper.slice(9);
  return base === 'MANIFEST.MF' || base.startsWith('SIG-') || upper.endsWith('.SF') || BLOCK_SUFFIXES.some((s) => upper.endsWith(s));
}

/** True when the zip looks like a JAR: it has a META-INF/MANIFEST.MF. */
export function isJarDirectory(entries: readonly ZipEntry[]): boolean {
  return entries.some((e) => e.name.toUpperCase() === 'META-INF/MANIFEST.MF');
}

interface JarContext {
  readonly file: RandomAccessFile;
  readonly byName: ReadonlyMap<string, ZipEntry>;
  readonly limits: ZipLimits;
  readonly budget: InflateBudget;
  readonly trust: ScanTrust | null;
  /** entry name -> problem (or null when its manifest digests match), computed once */
  readonly entryChecks: Map<string, Problem | null>;
}

function checkDigests(what: string, digests: ReadonlyMap<string, string>, data: Uint8Array): Problem | null {
  let checked = 0;
  for (const [alg, b64] of digests) {
    const algorithm = JAR_DIGEST_NAMES[alg];
    if (!algorithm) continue;
    checked += 1;
    if (Buffer.from(digestBytes(algorithm, data)).toString('base64') !== b64.trim()) {
      return { code: 'ERR_SCAN_DIGEST_MISMATCH', message: `${alg} digest of ${what} does not match` };
    }
  }
  return checked > 0 ? null : { code: 'ERR_SCAN_ALGORITHM_UNSUPPORTED', message: `${what} has no digest in a supported algorithm` };
}

async function checkEntry(ctx: JarContext, name: string, section: ManifestSection | undefined): Promise<Problem | null> {
  const cached = ctx.entryChecks.get(name);
  if (cached !== undefined) return cached;
  const entry = ctx.byName.get(name);
  let result: Problem | null;
  if (!entry) result = { code: 'ERR_SCAN_DIGEST_MISMATCH', message: `signed entry ${JSON.stringify(name)} is missing from the archive` };
  else if (!section) result = { code: 'ERR_SCAN_DIGEST_MISMATCH', message: `signed entry ${JSON.stringify(name)} has no manifest section` };
  else {
    try { result = checkDigests(`entry ${JSON.stringify(name)}`, listDigestAttributes(section, '-digest'), await readZipEntry(ctx.file, entry, ctx.limits, ctx.budget)); }
    catch (error) { result = toProblem(error); }
  }
  ctx.entryChecks.set(name, result);
  return result;
}

// The .SF either digests the whole manifest, or each manifest section it names (the fallback).
function checkSignatureFile(sf: Manifest, manifestBytes: Uint8Array, manifest: Manifest): Problem[] {
  const whole = listDigestAttributes(sf.main, '-digest-manifest');
  if (whole.size > 0 && checkDigests('the manifest', whole, manifestBytes) === null) return [];
  const problems: Problem[] = [];
  const mainDigests = listDigestAttributes(sf.main, '-digest-manifest-main-attributes');
  if (mainDigests.size > 0) {
    const p = checkDigests('the manifest main attributes', mainDigests, manifest.main.raw);
    if (p) problems.push(p);
  }
  for (const [name, section] of sf.entries) {
    const target = manifest.entries.get(name);
    const p = target ? checkDigests(`manifest section ${JSON.stringify(name)}`, listDigestAttributes(section, '-digest'), target.raw)
      : { code: 'ERR_SCAN_DIGEST_MISMATCH' as const, message: `signature file names ${JSON.stringify(name)}, which the manifest lacks` };
    if (p) problems.push(p);
  }
  return problems;
}

async function checkSignedEntries(ctx: JarContext, sf: Manifest, manifest: Manifest): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const name of sf.entries.keys()) {
    const p = await checkEntry(ctx, name, manifest.entries.get(name));
    if (p) problems.push(p);
  }
  return problems;
}

// An entry is signed when at least one signer's .SF names it (as the JDK's JarVerifier decides).
function checkCoverage(entries: readonly ZipEntry[], signed: ReadonlySet<string>): Problem[] {
  const unsigned = entries.map((e) => e.name).filter((n) => !n.endsWith('/') && !isSigningRelated(n) && !signed.has(n));
  if (unsigned.length === 0) return [];
  return [{ code: 'ERR_SCAN_UNSIGNED_CONTENT', message: `${unsigned.length} entries are not covered by any signature, e.g. ${JSON.stringify(unsigned[0])}` }];
}

async function scanSigner(ctx: JarContext, sfEntry: ZipEntry, manifestBytes: Uint8Array, manifest: Manifest, signed: Set<string>): Promise<readonly SignatureReport[]> {
  const base = sfEntry.name.slice(0, -3);
  const block = BLOCK_SUFFIXES.map((s) => ctx.byName.get(base + s) ?? ctx.byName.get(base + s.toLowerCase())).find((e) => e !== undefined);
  if (!block) throw new InputError('ERR_SCAN_FILE_MALFORMED', `${sfEntry.name} has no signature block (.RSA, .DSA or .EC)`);
  const sfBytes = await readZipEntry(ctx.file, sfEntry, ctx.limits, ctx.budget);
  const sf = parseManifest(sfBytes, sfEntry.name);
  const sd = parseSignedData(await readZipEntry(ctx.file, block, ctx.limits, ctx.budget), block.name);
  for (const name of sf.entries.keys()) signed.add(name);
  const problems = [...checkSignatureFile(sf, manifestBytes, manifest), ...(await checkSignedEntries(ctx, sf, manifest))];
  const signer = base.slice('META-INF/'.length);
  return sd.signerInfos.map((si) => describeSigner(si, sd, { format: 'jar', signer, content: sfBytes, problems, trust: ctx.trust }));
}

/**
 * Scans a zip that holds a META-INF/MANIFEST.MF; a JAR without .SF files has no signatures. Entries
 * are inflated against `budget` when given (shared with an enclosing archive), else a fresh one.
 * @throws ERR_SCAN_FILE_MALFORMED or ERR_SCAN_ARCHIVE_LIMIT when the manifest cannot be read, or there are too many signers
 */
export async function scanJar(file: RandomAccessFile, entries: readonly ZipEntry[], limits: ZipLimits, trust: ScanTrust | null = null, budget: InflateBudget | null = null): Promise<JarScan> {
  const byName = new Map(entries.map((e) => [e.name, e] as const));
  const ctx: JarContext = { file, byName, limits, budget: budget ?? createInflateBudget(limits), trust, entryChecks: new Map() };
  const manifestEntry = entries.find((e) => e.name.toUpperCase() === 'META-INF/MANIFEST.MF');
  const sfEntries = entries.filter((e) => isSigningRelated(e.name) && e.name.toUpperCase().endsWith('.SF'));
  if (!manifestEntry || sfEntries.length === 0) return { signatures: [], problems: [] };
  if (sfEntries.length > MAX_JAR_SIGNERS) throw new InputError('ERR_SCAN_ARCHIVE_LIMIT', `jar: ${sfEntries.length} signature files, more than ${MAX_JAR_SIGNERS}`);
  const manifestBytes = await readZipEntry(file, manifestEntry, limits, ctx.budget);
  const manifest = parseManifest(manifestBytes, manifestEntry.name);
  const signatures: SignatureReport[] = [];
  const problems: Problem[] = [];
  const signed = new Set<string>();
  for (const sfEntry of sfEntries) {
    try { signatures.push(...(await scanSigner(ctx, sfEntry, manifestBytes, manifest, signed))); }
    catch (error) { problems.push(toProblem(error)); }
  }
  return { signatures, problems: [...problems, ...checkCoverage(entries, signed)] };
}
