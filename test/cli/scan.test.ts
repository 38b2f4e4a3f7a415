// `sigil scan fs` through run(argv, io): every output format, --fail-on, and a directory of bad
// input (zip bombs, a 10 GB sparse file, a FIFO, a symlink loop, truncated files) that never stops the scan.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.ts';
import { hashHex } from '../../src/core/index.ts';
import type { JsonScanDocument } from '../../src/scan/index.ts';
import { buildScanFixtures, type ScanFixtures } from '../support/scan-fixtures.ts';
import { buildZip } from '../support/zip-writer.ts';

function capture(isTTY = false): { io: Parameters<typeof run>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => { out += s; } }, stderr: { isTTY, write: (s: string) => { err += s; } }, env: {}, cwd: '.' },
    out: () => out, err: () => err,
  };
}

let fx: ScanFixtures;
let jars: string;
let pes: string;
let bad: string;
const TEN_GIB = 10 * 1024 ** 3;

async function makeBadInput(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'notes.txt'), 'not a signed file\n');
  const zeros = new Uint8Array(100 << 20);
  const signingFiles = [{ name: 'META-INF/X.SF', data: new TextEncoder().encode('Signature-Version: 1.0\n\n') }, { name: 'META-INF/X.RSA', data: new Uint8Array([0x30, 0]) }];
  await writeFile(join(dir, 'bomb.jar'), buildZip([{ name: 'META-INF/MANIFEST.MF', data: zeros, deflate: true }, ...signingFiles]));
  await writeFile(join(dir, 'lying-bomb.jar'), buildZip([{ name: 'META-INF/MANIFEST.MF', data: zeros, deflate: true, declaredSize: 1000 }, ...signingFiles]));
  await writeFile(join(dir, 'truncated.jar'), (await readFile(fx.jars.rsa)).subarray(0, 200));
  await writeFile(join(dir, 'truncated.exe'), (await readFile(fx.pes.signed64)).subarray(0, 300));
  for (const [name, head] of [['huge.exe', 'MZ'], ['huge.bin', '']] as const) {
    const h = await open(join(dir, name), 'w');
    await h.write(head);
    await h.truncate(TEN_GIB); // sparse: no disk used, and the scan must not read it
    await h.close();
  }
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  await symlink('.', join(dir, 'loop'));
}

after(async () => { await rm(fx.dir, { recursive: true, force: true }); await rm(join(bad, '..'), { recursive: true, force: true }); });

before(async () => {
  fx = await buildScanFixtures();
  jars = join(fx.dir, 'pki', 'jars');
  pes = join(fx.dir, 'pki', 'pe');
  bad = join(await mkdtemp(join(tmpdir(), 'sigil-scan-bad-')), 'bad');
  await makeBadInput(bad);
});

test('pretty: a table of signers, then "Found N signatures out of M entries"', async () => {
  const c = capture();
  assert.equal(await run(['scan', 'fs', jars, pes], c.io), 0);
  const lines = c.out().trimEnd().split('\n');
  assert.equal(lines.at(-1), 'Found 20 signatures out of 18 entries');
  assert.match(c.out(), /Path +\| Digest +\| Signer +\| CounterSigner +\| Status/);
  assert.match(c.out(), /hello-tampered\.jar .*FAILED ERR_SCAN_DIGEST_MISMATCH/);
  assert.match(c.out(), /Unsigned JAR\/PE files:\n.*hello-unsigned\.jar\n.*tiny64\.exe/);
  assert.equal(c.err(), '', 'no progress when stderr is not a terminal');
});

test('json: a superset of SigScan\'s document with the real sha-256', async () => {
  const c = capture();
  assert.equal(await run(['scan', 'fs', '--output', 'json', jars, pes], c.io), 0);
  const doc = JSON.parse(c.out()) as JsonScanDocument;
  assert.equal(doc.directories, `${jars},${pes}`);
  const row = doc.filesystem.signatures.find((s) => s.path === fx.pes.legacy);
  assert.ok(row);
  assert.equal(row.digest, hashHex('sha256', await readFile(fx.pes.legacy)));
  assert.equal(row.subjectname, fx.subjects.rsa);
  assert.equal(row.countersigner, fx.subjects.tsa);
  assert.equal(row.timestamp?.kind, 'legacy');
  assert.equal(doc.summary.signatures, 20);
  assert.equal(doc.summary.failed, 2);
});

test('csv and sarif carry the same findings', async () => {
  const csv = capture();
  assert.equal(await run(['scan', 'fs', '--output', 'csv', pes], csv.io), 0);
  const rows = csv.out().trimEnd().split('\r\n');
  assert.equal(rows[0], 'path,digest,kind,subjectname,countersigner,signer,digestAlgorithm,signatureAlgorithm,timestamp,status,trust,problems');
  assert.equal(rows.length, 1 + 9);
  const sarif = capture();
  assert.equal(await run(['scan', 'fs', '--output', 'sarif', pes], sarif.io), 0);
  const log = JSON.parse(sarif.out()) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(log.version, '2.1.0');
  const results = log.runs[0]?.results ?? [];
  assert.deepEqual(results.map((r) => [r.ruleId, r.locations[0]?.physicalLocation.artifactLocation.uri]), [
    ['unsigned-file', `file://${fx.pes.unsigned}`], ['ERR_SCAN_DIGEST_MISMATCH', `file://${fx.pes.tampered}`],
  ].sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? '')));
});

const failOnCases: { name: string; args: (f: ScanFixtures) => string[]; exit: number }[] = [
  { name: 'unverified files exit 13', args: () => [pes, '--fail-on', 'unverified'], exit: 13 },
  { name: 'unsigned files exit 13', args: () => [jars, '--fail-on', 'unsigned'], exit: 13 },
  { name: 'a verified file alone exits 0', args: (f) => [f.pes.dual, '--fail-on', 'unsigned,unverified'], exit: 0 },
  { name: 'a verified file with a trusted chain exits 0', args: (f) => [f.pes.dual, '--ca-file', f.rootCert, '--fail-on', 'unverified'], exit: 0 },
  { name: 'a self-signed jar is unverified under --ca-file', args: (f) => [f.jars.keytool, '--ca-file', f.rootCert, '--fail-on', 'unverified'], exit: 13 },
  { name: 'a file too large to check counts as unverified', args: (f) => [f.pes.dual, '--max-hash-size', '1k', '--fail-on', 'unverified'], exit: 13 },
];
for (const c of failOnCases) {
  test(`--fail-on: ${c.name}`, async () => {
    const io = capture();
    assert.equal(await run(['scan', 'fs', ...c.args(fx)], io.io), c.exit);
    if (c.exit === 13) assert.match(io.err(), /\(ERR_SCAN_FINDINGS\)\n$/);
  });
}

test('bad input: every entry is reported and the scan goes on', async () => {
  const c = capture();
  assert.equal(await run(['scan', 'fs', '--output', 'json', '--concurrency', '3', bad], c.io), 0);
  const doc = JSON.parse(c.out()) as JsonScanDocument;
  const byName = Object.fromEntries(doc.entries.map((e) => [e.path.slice(bad.length + 1), [e.kind, e.problems.map((p) => p.code).join(',')]]));
  assert.deepEqual(byName, {
    'bomb.jar': ['jar', 'ERR_SCAN_ARCHIVE_LIMIT'],
    'huge.bin': ['other', ''],
    'huge.exe': ['pe', 'ERR_SCAN_FILE_TOO_LARGE'],
    'loop': ['unsupported', 'ERR_SCAN_FILE_UNSUPPORTED'],
    'lying-bomb.jar': ['jar', 'ERR_SCAN_ARCHIVE_LIMIT'],
    'notes.txt': ['other', ''],
    'pipe': ['unsupported', 'ERR_SCAN_FILE_UNSUPPORTED'],
    'truncated.exe': ['pe', 'ERR_SCAN_FILE_MALFORMED'],
    'truncated.jar': ['jar', 'ERR_SCAN_FILE_MALFORMED'],
  });
  const fail = capture();
  assert.equal(await run(['scan', 'fs', '--fail-on', 'unverified', bad], fail.io), 13);
  assert.match(fail.out(), /Found 0 signatures out of 9 entries\n$/);
});

test('progress goes to stderr only on a terminal', async () => {
  const c = capture(true);
  assert.equal(await run(['scan', 'fs', jars, pes, bad], c.io), 0);
  assert.match(c.err(), /scanned \d+ entries, \d+ signatures/);
});

const usage: { name: string; args: string[]; exit: number; code: string }[] = [
  { name: 'missing directory', args: ['/nonexistent/sigil-scan'], exit: 2, code: 'ERR_FILE_NOT_FOUND' },
  { name: 'no directory', args: [], exit: 2, code: 'ERR_USAGE' },
  { name: 'bad --output', args: ['--output', 'xml', '.'], exit: 2, code: 'ERR_USAGE' },
  { name: 'bad --concurrency', args: ['--concurrency', '0', '.'], exit: 2, code: 'ERR_USAGE' },
  { name: 'bad --fail-on', args: ['--fail-on', 'weird', '.'], exit: 2, code: 'ERR_USAGE' },
  { name: 'missing --ca-file', args: ['--ca-file', '/nonexistent/ca.pem', '.'], exit: 2, code: 'ERR_FILE_NOT_FOUND' },
  { name: 'bad --max-hash-size', args: ['--max-hash-size', 'lots', '.'], exit: 2, code: 'ERR_USAGE' },
];
test('usage: scan without a subcommand prints its help and exits 2', async () => {
  const io = capture();
  assert.equal(await run(['scan'], io.io), 2);
  assert.match(io.err(), /Commands:\n\s+fs \[options\] <dirs\.\.\.>/);
  assert.match(io.err(), /\(ERR_USAGE\)\n$/);
});

for (const c of usage) {
  test(`usage: ${c.name} exits ${c.exit}`, async () => {
    const io = capture();
    assert.equal(await run(['scan', 'fs', ...c.args], io.io), c.exit);
    assert.match(io.err(), new RegExp(`\\(${c.code}\\)\\n$`));
  });
}

test('nested archives: a signed WAR and the signed JARs in its WEB-INF/lib are entries of their own', async () => {
  const c = capture();
  assert.equal(await run(['scan', 'fs', '--output', 'json', fx.war], c.io), 0);
  const doc = JSON.parse(c.out()) as JsonScanDocument;
  assert.deepEqual(doc.filesystem.signatures.map((s) => [s.path.slice(fx.war.length), s.subjectname, s.status]), [
    ['', fx.subjects.ec, 'verified'],
    ['!/WEB-INF/lib/bad.jar', fx.subjects.rsa, 'failed'],
    ['!/WEB-INF/lib/good.jar', fx.subjects.rsa, 'verified'],
  ]);
  const good = doc.entries.find((e) => e.path.endsWith('good.jar'));
  assert.equal(good?.digest, hashHex('sha256', await readFile(fx.jars.rsaTsa)));
});
