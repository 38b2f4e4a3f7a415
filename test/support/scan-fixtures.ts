// Builds the scanner's fixtures with real tools into a temp folder: a small PKI (openssl), a local
// RFC 3161 / legacy Authenticode TSA on 127.0.0.1 (`openssl ts` and `openssl cms` behind node:http),
// JARs signed by jarsigner, and PE files signed by osslsigncode. Nothing binary is committed.
// The recipe follows the steering notes on the scanner's fixtures (research/scanner.md §4).
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './scan-tools.ts';
import { buildTinyPe } from './tiny-pe.ts';

/** Where each fixture file ended up, and the subjects the scanner must report (RFC 2253). */
export interface ScanFixtures {
  readonly dir: string;
  readonly rootCert: string;
  readonly jars: Readonly<Record<'unsigned' | 'rsa' | 'rsaTsa' | 'ec' | 'dsa' | 'keytool' | 'twoSigners' | 'resigned' | 'added' | 'tampered', string>>;
  readonly pes: Readonly<Record<'unsigned' | 'signed64' | 'signed32' | 'rfc3161' | 'legacy' | 'dual' | 'sha1Dual' | 'tampered', string>>;
  /** a WAR signed by the EC key, holding hello-rsa-tsa.jar and hello-tampered.jar in WEB-INF/lib */
  readonly war: string;
  readonly subjects: Readonly<Record<'rsa' | 'ec' | 'dsa' | 'keytool' | 'tsa', string>>;
}

const PASS = 'changeit';

async function pki(dir: string): Promise<void> {
  await runTool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.crt', '-days', '3650',
    '-subj', '/CN=Sigil Test Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { cwd: dir });
  await writeFile(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
  await writeFile(join(dir, 'tsa.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  const leaves: [string, string[], string, string][] = [
    ['rsa', ['-newkey', 'rsa:2048'], '/C=US/O=Example, Inc./CN=Sigil RSA Signer', 'leaf.ext'],
    ['ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/O=Example/CN=Sigil EC Signer', 'leaf.ext'],
    ['tsa', ['-newkey', 'rsa:2048'], '/O=Example/CN=Sigil Test TSA', 'tsa.ext'],
    ['dsa', ['-newkey', 'dsa:dsa.param'], '/O=Example/CN=Sigil DSA Signer', 'leaf.ext'],
  ];
  await runTool('openssl', ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsa.param'], { cwd: dir });
  await Promise.all(leaves.map(async ([name, keyArgs, subj, ext], i) => {
    await runTool('openssl', ['req', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], { cwd: dir });
    await runTool('openssl', ['x509', '-req', '-in', `${name}.csr`, '-CA', 'root.crt', '-CAkey', 'root.key', '-set_serial', String(i + 10),
      '-days', '365', '-extfile', ext, '-out', `${name}.crt`], { cwd: dir });
    await runTool('openssl', ['pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.crt`, '-certfile', 'root.crt', '-name', `signer-${name}`,
      '-passout', `pass:${PASS}`, '-out', `${name}.p12`], { cwd: dir });
    await writeFile(join(dir, `${name}-chain.crt`), (await readFile(join(dir, `${name}.crt`), 'utf8')) + (await readFile(join(dir, 'root.crt'), 'utf8')));
  }));
  await writeFile(join(dir, 'tsaserial'), '01\n');
  await writeFile(join(dir, 'tsa.cnf'), [
    '[ tsa ]', 'default_tsa = tsa_config1', '[ tsa_config1 ]', `dir = ${dir}`, 'serial = $dir/tsaserial', 'crypto_device = builtin',
    'signer_cert = $dir/tsa.crt', 'certs = $dir/root.crt', 'signer_key = $dir/tsa.key', 'signer_digest = sha256',
    'default_policy = 1.2.3.4.1', 'digests = sha1, sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = yes',
    'tsa_name = yes', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
  ].join('\n'));
}

async function readBody(req: import('node:http').IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

let tsaCounter = 0;
async function answerRfc3161(dir: string, body: Buffer): Promise<Buffer> {
  const n = ++tsaCounter;
  await writeFile(join(dir, `q${n}.tsq`), body);
  await runTool('openssl', ['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${n}.tsq`, '-out', `r${n}.tsr`], { cwd: dir });
  return readFile(join(dir, `r${n}.tsr`));
}

// Microsoft's legacy protocol: a base64 TimeStampRequest in, a base64 PKCS#7 SignedData over the signature octets out.
async function answerAuthenticode(dir: string, body: Buffer): Promise<Buffer> {
  const n = ++tsaCounter;
  const der = Buffer.from(body.toString('latin1').replace(/\s+/g, ''), 'base64');
  await writeFile(join(dir, `a${n}.der`), der);
  const listing = (await runTool('openssl', ['asn1parse', '-inform', 'DER', '-in', `a${n}.der`], { cwd: dir })).toString();
  const last = listing.split('\n').filter((l) => l.includes('OCTET STRING')).at(-1) ?? '';
  const m = /^\s*(\d+):d=\d+\s+hl=(\d+)\s+l=\s*(\d+)/.exec(last);
  if (!m) throw new Error('no signature octets in the timestamp request');
  const start = Number(m[1]) + Number(m[2]);
  await writeFile(join(dir, `a${n}.sig`), der.subarray(start, start + Number(m[3])));
  const p7 = await runTool('openssl', ['cms', '-sign', '-nodetach', '-binary', '-nosmimecap', '-md', 'sha256', '-in', `a${n}.sig`, '-signer', 'tsa.crt',
    '-inkey', 'tsa.key', '-certfile', 'root.crt', '-outform', 'DER'], { cwd: dir });
  return Buffer.from(p7.toString('base64'));
}

async function startTsa(dir: string): Promise<{ server: Server; url: string }> {
  // one answer at a time: `openssl ts -reply` rewrites its serial file
  let queue: Promise<unknown> = Promise.resolve();
  const answer = (url: string | undefined, body: Buffer): Promise<Buffer> => {
    const next = queue.then(() => (url === '/authenticode' ? answerAuthenticode(dir, body) : answerRfc3161(dir, body)));
    queue = next.catch(() => undefined);
    return next;
  };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const out = await answer(req.url, body);
        res.writeHead(200, { 'content-type': req.url === '/authenticode' ? 'application/octet-stream' : 'application/timestamp-reply' }).end(out);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}

async function jars(dir: string, tsa: string): Promise<ScanFixtures['jars']> {
  const src = join(dir, 'jar-src');
  await mkdir(join(src, 'sub'), { recursive: true });
  await writeFile(join(src, 'hello.txt'), 'hello from sigil\n');
  await writeFile(join(src, 'data.txt'), 'some data\n'.repeat(50));
  await writeFile(join(src, 'sub', 'x.txt'), 'x\n');
  const out = join(dir, 'jars');
  await mkdir(out, { recursive: true });
  const unsigned = join(out, 'hello-unsigned.jar');
  await runTool('jar', ['--create', '--file', unsigned, '-C', src, '.']);
  const sign = async (input: string, output: string, who: 'rsa' | 'ec' | 'dsa' | 'keytool', withTsa: boolean): Promise<string> => {
    await runTool('jarsigner', ['-keystore', join(dir, `${who}.p12`), '-storetype', 'PKCS12', '-storepass', PASS, '-digestalg', 'SHA-256',
      ...(withTsa ? ['-tsa', `${tsa}/rfc3161`] : []), '-signedjar', output, input, `signer-${who}`]);
    return output;
  };
  // a self-signed key made by keytool itself, the way most developers start
  await runTool('keytool', ['-genkeypair', '-alias', 'signer-keytool', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '365',
    '-dname', 'CN=Sigil Keytool Signer, O=Example', '-keystore', join(dir, 'keytool.p12'), '-storetype', 'PKCS12', '-storepass', PASS]);
  // independent signings run at once: each jarsigner is a JVM start
  const [rsa, rsaTsa, ec, dsa, keytool] = await Promise.all([
    sign(unsigned, join(out, 'hello-rsa.jar'), 'rsa', false),
    sign(unsigned, join(out, 'hello-rsa-tsa.jar'), 'rsa', true),
    sign(unsigned, join(out, 'hello-ec.jar'), 'ec', true),
    sign(unsigned, join(out, 'hello-dsa.jar'), 'dsa', false),
    sign(unsigned, join(out, 'hello-keytool.jar'), 'keytool', false),
  ]);
  const twoSignersJob = sign(rsaTsa, join(out, 'hello-two-signers.jar'), 'ec', false);
  const tampered = join(out, 'hello-tampered.jar');
  await writeFile(tampered, await readFile(rsa));
  const edit = join(dir, 'jar-edit');
  await mkdir(edit, { recursive: true });
  await writeFile(join(edit, 'data.txt'), 'changed after signing\n');
  await runTool('jar', ['--update', '--file', tampered, '-C', edit, 'data.txt']);
  // an entry added after signing (unsigned content), and the same jar signed again by a second signer:
  // the manifest grows, so the first .SF no longer digests it whole and falls back to its sections
  await writeFile(join(edit, 'added.txt'), 'added later\n');
  const added = join(out, 'hello-added.jar');
  await writeFile(added, await readFile(rsa));
  await runTool('jar', ['--update', '--file', added, '-C', edit, 'added.txt']);
  const resigned = await sign(added, join(out, 'hello-resigned.jar'), 'ec', false);
  const twoSigners = await twoSignersJob;
  const warSrc = join(dir, 'war-src');
  await mkdir(join(warSrc, 'WEB-INF', 'lib'), { recursive: true });
  await writeFile(join(warSrc, 'index.html'), '<p>hello</p>\n');
  await writeFile(join(warSrc, 'WEB-INF', 'lib', 'good.jar'), await readFile(rsaTsa));
  await writeFile(join(warSrc, 'WEB-INF', 'lib', 'bad.jar'), await readFile(tampered));
  await mkdir(join(dir, 'wars'), { recursive: true });
  await runTool('jar', ['--create', '--file', join(dir, 'app-unsigned.war'), '-C', warSrc, '.']);
  await sign(join(dir, 'app-unsigned.war'), join(dir, 'wars', 'app.war'), 'ec', false);
  return { unsigned, rsa, rsaTsa, ec, dsa, keytool, twoSigners, resigned, added, tampered };
}


async function pes(dir: string, tsa: string): Promise<ScanFixtures['pes']> {
  const out = join(dir, 'pe');
  await mkdir(out, { recursive: true });
  const unsigned = join(out, 'tiny64.exe');
  const tiny32 = join(dir, 'tiny32.exe');
  await writeFile(unsigned, buildTinyPe({ pe32Plus: true }));
  await writeFile(tiny32, buildTinyPe({ pe32Plus: false }));
  const sign = async (input: string, output: string, who: 'rsa' | 'ec', extra: readonly string[]): Promise<string> => {
    await runTool('osslsigncode', ['sign', '-certs', join(dir, `${who}-chain.crt`), '-key', join(dir, `${who}.key`), '-h', 'sha256',
      '-n', 'sigil fixture', ...extra, '-in', input, '-out', output]);  // a later -h overrides this one
    return output;
  };
  const [signed64, signed32, rfc3161, legacy] = await Promise.all([
    sign(unsigned, join(out, 'tiny64-signed.exe'), 'rsa', []),
    sign(tiny32, join(out, 'tiny32-signed.exe'), 'rsa', []),
    sign(unsigned, join(out, 'tiny64-rfc3161.exe'), 'rsa', ['-ts', `${tsa}/rfc3161`]),
    sign(unsigned, join(out, 'tiny64-legacyts.exe'), 'rsa', ['-t', `${tsa}/authenticode`]),
  ]);
  const dual = await sign(rfc3161, join(out, 'tiny64-dual.exe'), 'ec', ['-nest', '-ts', `${tsa}/rfc3161`]);
  // shaped like SigScan's putty.exe sample: a SHA-1 primary and a nested SHA-256 signature, both with legacy countersignatures
  const sha1Primary = await sign(unsigned, join(dir, 'tiny64-sha1.exe'), 'rsa', ['-h', 'sha1', '-t', `${tsa}/authenticode`]);
  const sha1Dual = await sign(sha1Primary, join(out, 'tiny64-sha1-dual.exe'), 'rsa', ['-nest', '-t', `${tsa}/authenticode`]);
  const tampered = join(out, 'tiny64-tampered.exe');
  const bytes = await readFile(signed64);
  bytes[0x201] = (bytes[0x201] ?? 0) ^ 0xff;
  await writeFile(tampered, bytes);
  return { unsigned, signed64, signed32, rfc3161, legacy, dual, sha1Dual, tampered };
}

/** Builds every fixture into a new temp folder (about 10 s); the TSA is stopped before returning. */
export async function buildScanFixtures(): Promise<ScanFixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-scan-'));
  const pkiDir = join(dir, 'pki');
  await mkdir(pkiDir);
  await pki(pkiDir);
  const { server, url } = await startTsa(pkiDir);
  try {
    const [j, p] = await Promise.all([jars(pkiDir, url), pes(pkiDir, url)]);
    return {
      dir, rootCert: join(pkiDir, 'root.crt'), jars: j, pes: p, war: join(pkiDir, 'wars', 'app.war'),
      subjects: {
        rsa: 'CN=Sigil RSA Signer,O=Example\\, Inc.,C=US', ec: 'CN=Sigil EC Signer,O=Example', dsa: 'CN=Sigil DSA Signer,O=Example',
        keytool: 'CN=Sigil Keytool Signer,O=Example', tsa: 'CN=Sigil Test TSA,O=Example',
      },
    };
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}
