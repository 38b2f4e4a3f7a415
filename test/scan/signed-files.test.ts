// The scanner against files signed by the real tools (jarsigner, osslsigncode) with a local TSA,
// cross-checked with the tools' own verifiers, plus the same files broken in the ways bad input is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { DEFAULT_SCAN_OPTIONS, parseCertificatesPem, scanFile, type FileReport } from '../../src/scan/index.ts';
import { buildScanFixtures, type ScanFixtures } from '../support/scan-fixtures.ts';
import { memoryFile } from '../support/memory-file.ts';
import { runTool } from '../support/scan-tools.ts';
import { hashHex } from '../../src/core/index.ts';
import { listCertificates, parseSignedData, verifySignerInfo } from '../../src/scan/cms.ts';
import { parseCertificateTable, parsePeLayout } from '../../src/scan/pe.ts';
import { LenientSignedData, RawSet } from '../../src/scan/signed-data-schema.ts';
import { readZipDirectory, DEFAULT_ZIP_LIMITS } from '../../src/scan/zip.ts';
import { createInflateBudget, readZipEntry } from '../../src/scan/zip-entry.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';

let fx: ScanFixtures;
before(async () => { fx = await buildScanFixtures(); });
after(async () => { await rm(fx.dir, { recursive: true, force: true }); });

async function scanPath(path: string, edit?: (b: Uint8Array) => Uint8Array): Promise<FileReport> {
  const bytes = new Uint8Array(await readFile(path));
  return scanFile(path, memoryFile(edit ? edit(bytes) : bytes));
}

/** Expected per signature: subject key, status, timestamp kind (or none), signature algorithm. */
type Who = 'rsa' | 'ec' | 'dsa' | 'keytool';
type Want = readonly [subject: Who, status: 'verified' | 'failed', ts: 'rfc3161' | 'legacy' | 'none', alg: string];

const cases: { name: string; path: (f: ScanFixtures) => string; kind: 'jar' | 'pe'; want: readonly Want[]; codes?: readonly string[]; fileCodes?: readonly string[] }[] = [
  { name: 'unsigned jar', path: (f) => f.jars.unsigned, kind: 'jar', want: [] },
  { name: 'jar, rsa', path: (f) => f.jars.rsa, kind: 'jar', want: [['rsa', 'verified', 'none', 'sha256WithRSA']] },
  { name: 'jar, rsa + rfc 3161', path: (f) => f.jars.rsaTsa, kind: 'jar', want: [['rsa', 'verified', 'rfc3161', 'sha256WithRSA']] },
  { name: 'jar, ec + rfc 3161', path: (f) => f.jars.ec, kind: 'jar', want: [['ec', 'verified', 'rfc3161', 'ecdsaWithSHA256']] },
  { name: 'jar, dsa', path: (f) => f.jars.dsa, kind: 'jar', want: [['dsa', 'verified', 'none', 'dsaWithSHA256']] },
  { name: 'jar, keytool self-signed key', path: (f) => f.jars.keytool, kind: 'jar', want: [['keytool', 'verified', 'none', 'sha256WithRSA']] },
  { name: 'jar, entry added after signing', path: (f) => f.jars.added, kind: 'jar', want: [['rsa', 'verified', 'none', 'sha256WithRSA']], fileCodes: ['ERR_SCAN_UNSIGNED_CONTENT'] },
  {
    name: 'jar, signed again after an entry was added (per-section .SF check)', path: (f) => f.jars.resigned, kind: 'jar',
    want: [['ec', 'verified', 'none', 'ecdsaWithSHA256'], ['rsa', 'verified', 'none', 'sha256WithRSA']],
  },
  { name: 'jar, two signers', path: (f) => f.jars.twoSigners, kind: 'jar', want: [['ec', 'verified', 'none', 'ecdsaWithSHA256'], ['rsa', 'verified', 'rfc3161', 'sha256WithRSA']] },
  { name: 'jar, entry changed after signing', path: (f) => f.jars.tampered, kind: 'jar', want: [['rsa', 'failed', 'none', 'sha256WithRSA']], codes: ['ERR_SCAN_DIGEST_MISMATCH'] },
  { name: 'unsigned pe', path: (f) => f.pes.unsigned, kind: 'pe', want: [] },
  { name: 'pe32+, rsa', path: (f) => f.pes.signed64, kind: 'pe', want: [['rsa', 'verified', 'none', 'sha256WithRSA']] },
  { name: 'pe32, rsa', path: (f) => f.pes.signed32, kind: 'pe', want: [['rsa', 'verified', 'none', 'sha256WithRSA']] },
  { name: 'pe, rfc 3161 timestamp', path: (f) => f.pes.rfc3161, kind: 'pe', want: [['rsa', 'verified', 'rfc3161', 'sha256WithRSA']] },
  { name: 'pe, legacy countersignature', path: (f) => f.pes.legacy, kind: 'pe', want: [['rsa', 'verified', 'legacy', 'sha256WithRSA']] },
  { name: 'pe, nested ec signature', path: (f) => f.pes.dual, kind: 'pe', want: [['rsa', 'verified', 'rfc3161', 'sha256WithRSA'], ['ec', 'verified', 'rfc3161', 'ecdsaWithSHA256']] },
  { name: 'pe, sha-1 primary and nested sha-256 (like putty.exe)', path: (f) => f.pes.sha1Dual, kind: 'pe', want: [['rsa', 'verified', 'legacy', 'sha1WithRSA'], ['rsa', 'verified', 'legacy', 'sha256WithRSA']] },
  { name: 'pe, code byte flipped after signing', path: (f) => f.pes.tampered, kind: 'pe', want: [['rsa', 'failed', 'none', 'sha256WithRSA']], codes: ['ERR_SCAN_DIGEST_MISMATCH'] },
];

for (const c of cases) {
  test(`signed files: ${c.name}`, async () => {
    const path = c.path(fx);
    const r = await scanPath(path);
    assert.equal(r.kind, c.kind);
    assert.deepEqual(r.problems.map((p) => p.code), c.fileCodes ?? []);
    assert.equal(r.digest, hashHex('sha256', await readFile(path)), 'the digest is the real sha-256 of the file');
    const who = (subject: string): string => (['rsa', 'ec', 'dsa', 'keytool'] as const).find((k) => fx.subjects[k] === subject) ?? subject;
    const got = r.signatures.map((s) => [who(s.subject), s.status, s.timestamp?.kind ?? 'none', s.signatureAlgorithm]);
    assert.deepEqual(got, c.want);
    for (const s of r.signatures) {
      if (s.timestamp) assert.equal(s.timestamp.subject, fx.subjects.tsa);
      if (s.timestamp) assert.match(s.timestamp.time ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.equal(s.issuer, s.subject === fx.subjects.keytool ? fx.subjects.keytool : 'CN=Sigil Test Root');
      assert.deepEqual([...new Set(s.problems.map((p) => p.code))], c.codes ?? []);
    }
  });
}

// jarsigner only warns about unsigned entries ("jar verified." still), so sigil's verdict is compared per signature
test('signed files: verdicts agree with osslsigncode verify and jarsigner -verify', async () => {
  for (const c of cases) {
    const path = c.path(fx);
    const r = await scanPath(path);
    const ours = r.signatures.length > 0 && r.signatures.every((s) => s.status === 'verified');
    let theirs: boolean;
    if (c.kind === 'pe') {
      theirs = await runTool('osslsigncode', ['verify', '-CAfile', fx.rootCert, '-TSA-CAfile', fx.rootCert, '-in', path]).then(() => true, () => false);
    } else {
      const out = await runTool('jarsigner', ['-verify', path]).then((b) => b.toString(), (e: Error) => e.message);
      theirs = out.includes('jar verified.');
    }
    assert.equal(ours, theirs, `${c.name}: sigil says ${ours}, the tool says ${theirs}`);
  }
});

// Bad input made from good files: each is reported on the entry or its signature, never thrown.
const broken: { name: string; path: (f: ScanFixtures) => string; edit: (b: Uint8Array) => Uint8Array; codes: readonly string[] }[] = [
  { name: 'pe truncated inside the certificate table', path: (f) => f.pes.rfc3161, edit: (b) => b.slice(0, b.byteLength - 700), codes: ['ERR_SCAN_FILE_MALFORMED'] },
  {
    name: 'pe whose signature value is flipped',
    path: (f) => f.pes.signed64,
    // the DER SignedData starts 0x30 0x82 <len16>; its last bytes are the signer's signature value
    edit: (b) => { const v = new DataView(b.buffer); const at = v.getUint32(0x58 + 144, true) + 8; const end = at + 4 + v.getUint16(at + 2); b[end - 5] = (b[end - 5] ?? 0) ^ 0x01; return b; },
    codes: ['ERR_SCAN_SIGNATURE_INVALID'],
  },
  {
    name: 'pe whose pkcs#7 header is garbage',
    path: (f) => f.pes.signed64,
    edit: (b) => { const at = new DataView(b.buffer).getUint32(0x58 + 144, true); b.fill(0xff, at + 8, at + 24); return b; },
    codes: ['ERR_SCAN_FILE_MALFORMED'],
  },
  {
    name: 'signed jar behind a launcher script prefix (offsets shift; still verified)', path: (f) => f.jars.rsaTsa,
    edit: (b) => { const p = new TextEncoder().encode('#!/bin/sh\nexec java -jar "$0"\n'); const out = new Uint8Array(p.length + b.length); out.set(p); out.set(b, p.length); return out; },
    codes: [],
  },
  { name: 'jar truncated in half', path: (f) => f.jars.rsaTsa, edit: (b) => b.slice(0, b.byteLength >> 1), codes: ['ERR_SCAN_FILE_MALFORMED'] },
];
for (const c of broken) {
  test(`bad input: ${c.name}`, async () => {
    const r = await scanPath(c.path(fx), c.edit);
    const codes = [...r.problems, ...r.signatures.flatMap((s) => s.problems)].map((p) => p.code);
    assert.deepEqual([...new Set(codes)], c.codes);
    assert.ok(r.signatures.every((s) => s.status === (c.codes.length === 0 ? 'verified' : 'failed')));
  });
}

// --ca-file: chains judged at the verified timestamp, else at `now`
test('trust: CA-issued signers are trusted; keytool\'s self-signed one is not', async () => {
  const anchors = parseCertificatesPem(await readFile(fx.rootCert, 'utf8'), 'root.crt');
  const trust = { anchors, now: new Date() };
  for (const path of [fx.jars.rsaTsa, fx.jars.dsa, fx.pes.dual, fx.pes.legacy, fx.jars.keytool]) {
    const r = await scanFile(path, memoryFile(new Uint8Array(await readFile(path))), { ...DEFAULT_SCAN_OPTIONS, trust });
    const want = path === fx.jars.keytool ? 'untrusted' : 'trusted';
    assert.deepEqual(r.signatures.map((s) => s.trust), r.signatures.map(() => want), path);
    if (want === 'untrusted') assert.deepEqual(r.signatures.flatMap((s) => s.problems.map((p) => p.code)), ['ERR_SCAN_CHAIN_UNTRUSTED']);
  }
});

test('trust: after the certificates expire, only timestamped signatures stay trusted', async () => {
  const anchors = parseCertificatesPem(await readFile(fx.rootCert, 'utf8'), 'root.crt');
  const trust = { anchors, now: new Date('2099-01-01T00:00:00Z') };
  const cases = [[fx.jars.rsaTsa, 'trusted'], [fx.pes.legacy, 'trusted'], [fx.jars.rsa, 'untrusted'], [fx.pes.signed64, 'untrusted']] as const;
  for (const [path, want] of cases) {
    const r = await scanFile(path, memoryFile(new Uint8Array(await readFile(path))), { ...DEFAULT_SCAN_OPTIONS, trust });
    assert.equal(r.signatures[0]?.trust, want, path);
    assert.equal(r.signatures[0]?.status, want === 'trusted' ? 'verified' : 'failed', path);
  }
});

test('trust: a --ca-file without certificates is a config error', () => {
  assert.throws(() => parseCertificatesPem('nothing here', 'x.pem'), { code: 'ERR_CONFIG_INVALID' });
  assert.throws(() => parseCertificatesPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'x.pem'), { code: 'ERR_CONFIG_INVALID' });
});

test('pe details: format and the WIN_CERTIFICATE entries of the table', async () => {
  const r64 = await scanPath(fx.pes.dual);
  assert.equal(r64.pe?.format, 'pe32+');
  assert.deepEqual(r64.pe?.certificateTable?.entries.map((e) => [e.revision, e.type]), [[0x200, 2]]);
  assert.equal(r64.pe?.certificateTable?.offset, 0x400);
  const r32 = await scanPath(fx.pes.signed32);
  assert.equal(r32.pe?.format, 'pe32');
  const unsigned = await scanPath(fx.pes.unsigned);
  assert.deepEqual(unsigned.pe, { format: 'pe32+', certificateTable: null });
});

// Seeded mutation loop: flipped bytes and truncations anywhere in real signed files must give a
// report with catalogued problems, never a throw and never ERR_INTERNAL (an unexpected exception).
function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

test('mutations of signed files are always reported, never thrown', async () => {
  const rand = seeded(Number(process.env['SIGIL_MUTATION_SEED'] ?? 20261123));
  const paths = [fx.jars.rsaTsa, fx.jars.twoSigners, fx.pes.dual, fx.pes.legacy, fx.pes.sha1Dual];
  let failed = 0;
  const rounds = Number(process.env['SIGIL_MUTATION_ROUNDS'] ?? 300);
  for (let i = 0; i < rounds; i += 1) {
    const path = paths[i % paths.length] ?? '';
    const bytes = new Uint8Array(await readFile(path));
    // truncation every third round, else a few flipped bytes
    const mutated = i % 3 === 0 ? bytes.slice(0, Math.floor(rand() * bytes.length)) : bytes;
    if (i % 3 !== 0) for (let k = 0; k < 1 + (i % 4); k += 1) { const at = Math.floor(rand() * mutated.length); mutated[at] = (mutated[at] ?? 0) ^ (1 + Math.floor(rand() * 255)); }
    const r = await scanFile(path, memoryFile(mutated));
    const codes = [...r.problems, ...r.signatures.flatMap((s) => s.problems)].map((p) => p.code);
    assert.ok(!codes.includes('ERR_INTERNAL'), `mutation ${i} of ${path}: ${JSON.stringify([...r.problems, ...r.signatures.flatMap((s) => s.problems)])}`);
    if (codes.length > 0 || r.signatures.length === 0) failed += 1;
  }
  assert.ok(failed > rounds / 2, `most mutations are detected (${failed}/${rounds})`);
});

test('cms: the signed content-type attribute must match the content (RFC 5652 §11.1)', async () => {
  const bytes = new Uint8Array(await readFile(fx.pes.signed64));
  const file = memoryFile(bytes);
  const layout = await parsePeLayout(file);
  const table = bytes.subarray(layout.certTable?.offset ?? 0, (layout.certTable?.offset ?? 0) + (layout.certTable?.size ?? 0));
  const [cert] = parseCertificateTable(table);
  const sd = parseSignedData(cert?.data ?? new Uint8Array(0), 'cert');
  const si = sd.signerInfos[0];
  assert.ok(si);
  assert.throws(() => verifySignerInfo(si, listCertificates(sd), new Uint8Array(0), '1.2.840.113549.1.7.1'), { code: 'ERR_SCAN_SIGNATURE_INVALID' });
  assert.throws(() => verifySignerInfo(si, listCertificates(sd), new Uint8Array(0), '1.3.6.1.4.1.311.2.1.4'), { code: 'ERR_SCAN_DIGEST_MISMATCH' });
});

// Microsoft's RFC 3161 tokens carry an obsolete v1 attribute certificate ([1]) beside the X.509 ones
// (seen in Debian's shimx64.efi.signed); @peculiar/asn1-cms alone refuses the whole SignedData then.
test('cms: an attribute certificate [1] in the certificate set is skipped, not fatal', async () => {
  const file = memoryFile(new Uint8Array(await readFile(fx.jars.rsaTsa)));
  const entries = await readZipDirectory(file);
  const read = async (name: string): Promise<Uint8Array> => readZipEntry(file, entries.find((e) => e.name === name)!, DEFAULT_ZIP_LIMITS, createInflateBudget(DEFAULT_ZIP_LIMITS));
  const block = await read('META-INF/SIGNER-R.RSA');
  const info = AsnConvert.parse(block, ContentInfo);
  const lenient = AsnConvert.parse(info.content, LenientSignedData);
  const attributeCert = new Uint8Array([0xa1, 0x03, 0x02, 0x01, 0x01]).buffer; // [1] { INTEGER 1 }: not an X.509 certificate
  lenient.certificates = new RawSet([...(lenient.certificates ?? []), attributeCert]);
  const mutated = AsnConvert.serialize(new ContentInfo({ contentType: info.contentType, content: AsnConvert.serialize(lenient) }));
  assert.throws(() => AsnConvert.parse(AsnConvert.parse(mutated, ContentInfo).content, SignedData), 'the plain schema refuses it');
  const sd = parseSignedData(mutated, 'block');
  assert.equal(listCertificates(sd).length, 2);
  const si = sd.signerInfos[0];
  assert.ok(si);
  assert.equal(verifySignerInfo(si, listCertificates(sd), await read('META-INF/SIGNER-R.SF'), '1.2.840.113549.1.7.1').signatureAlgorithm, 'sha256WithRSA');
});
