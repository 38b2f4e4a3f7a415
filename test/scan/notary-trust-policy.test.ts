// notation's trust policy (Notary Project trust-store-trust-policy.md): the document's constraints,
// statement selection by registry scope, trusted identities, and each verification level judging
// real JWS/COSE envelopes over an openssl PKI (test/support/notary.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeNotaryPki, signNotaryCose, signNotaryJws, thumbprintsOf, type NotaryPki } from '../support/notary.ts';
import { runTool } from '../support/scan-tools.ts';
import { makeTempDir } from '../support/temp.ts';
import { parseCertificatesPem, type RepoSignature } from '../../src/scan/index.ts';
import { parseNotaryTrustPolicy, selectNotaryPolicy } from '../../src/scan/notary-trust-policy.ts';
import { verifyNotaryByPolicy, type NotaryPolicyTrust } from '../../src/scan/notary-policy-verify.ts';
import { parseNotaryEnvelope } from '../../src/scan/notary-envelope.ts';
import { describeNotary } from '../../src/scan/repo-notary.ts';
import type { ImageManifest } from '../../src/oci/index.ts';

const REGISTRY = 'registry.acme-rockets.io';
const subject = { digest: `sha256:${'ab'.repeat(32)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', sizeBytes: 1234 };
const target = { digest: subject.digest, mediaType: subject.mediaType, size: subject.sizeBytes };
const time = new Date('2026-03-04T05:06:07Z');
let pki: NotaryPki;
let root: ReturnType<typeof parseCertificatesPem>;

before(async () => {
  pki = await makeNotaryPki(makeTempDir('notary-policy-pki'));
  root = parseCertificatesPem(readFileSync(pki.rootPem, 'utf8'), 'root');
});

type Statement = Record<string, unknown>;
const statement = (over: Statement = {}): Statement => ({
  name: 'acme', registryScopes: [`${REGISTRY}/software/net-monitor`], signatureVerification: { level: 'strict' },
  trustStores: ['ca:acme'], trustedIdentities: ['x509.subject: C=US, ST=WA, O=Notary Test\\, Inc.'], ...over,
});
const doc = (...statements: Statement[]): unknown => ({ version: '1.0', trustPolicies: statements });

function trustOf(policy: unknown, stores: Record<string, typeof root> = { 'ca:acme': root }): NotaryPolicyTrust {
  return { policy: parseNotaryTrustPolicy(policy), stores: new Map(Object.entries(stores)), registry: REGISTRY };
}

function judge(bytes: Buffer, layerType: string, chain: readonly Buffer[], trust: NotaryPolicyTrust, repository = 'software/net-monitor'): RepoSignature {
  const manifest: ImageManifest = {
    kind: 'image', mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.cncf.notary.signature',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: `sha256:${'44'.repeat(32)}`, size: 2 },
    layers: [{ mediaType: layerType, digest: `sha256:${'cd'.repeat(32)}`, size: 1 }],
    annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': thumbprintsOf(chain) },
  };
  const envelope = parseNotaryEnvelope(layerType, bytes);
  return verifyNotaryByPolicy(describeNotary(manifest, envelope, 'referrers-api', `sha256:${'ef'.repeat(32)}`), envelope, subject, trust, repository, new Date());
}
const jws = (extra: Record<string, unknown> = {}): Buffer => signNotaryJws(pki, target, time, extra);
const codes = (s: RepoSignature): string[] => s.problems.map((p) => p.code);

test('the specification\'s example document parses; the exact scope wins over the global one', () => {
  const policy = parseNotaryTrustPolicy(doc(
    statement({ name: 'wabbit-networks-images', registryScopes: [`${REGISTRY}/software/net-monitor`, `${REGISTRY}/software/net-logger`] }),
    { name: 'unsigned-image', registryScopes: ['registry.wabbit-networks.io/software/unsigned/net-utils'], signatureVerification: { level: 'skip' } },
    statement({ name: 'use-expired-image', registryScopes: [`${REGISTRY}/software/legacy/metrics`], signatureVerification: { level: 'strict', override: { expiry: 'log', revocation: 'skip' } }, trustedIdentities: ['*'] }),
    statement({ name: 'global', registryScopes: ['*'], signatureVerification: { level: 'audit' } }),
  ));
  assert.equal(selectNotaryPolicy(policy, `${REGISTRY}/software/net-logger`)?.name, 'wabbit-networks-images');
  assert.equal(selectNotaryPolicy(policy, `${REGISTRY}/other`)?.name, 'global');
  const legacy = selectNotaryPolicy(policy, `${REGISTRY}/software/legacy/metrics`);
  assert.deepEqual(legacy?.checks, { authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'log', revocation: 'skip' });
  assert.equal(selectNotaryPolicy(parseNotaryTrustPolicy(doc(statement())), `${REGISTRY}/other`), undefined);
});

const refused: [string, unknown, RegExp][] = [
  ['another version', { version: '2.0', trustPolicies: [statement()] }, /version must be "1.0"/],
  ['no statements', { version: '1.0', trustPolicies: [] }, /non-empty array/],
  ['two statements of one name', doc(statement(), statement({ registryScopes: [`${REGISTRY}/b`] })), /two statements are named/],
  ['"*" beside other scopes', doc(statement({ registryScopes: ['*', `${REGISTRY}/a`] })), /"\*" must be the only scope/],
  ['two global statements', doc(statement({ name: 'a', registryScopes: ['*'] }), statement({ name: 'b', registryScopes: ['*'] })), /only one statement may have the global scope/],
  ['one scope in two statements', doc(statement({ name: 'a' }), statement({ name: 'b' })), /is in two statements/],
  ['a scope that is not fully qualified', doc(statement({ registryScopes: ['net-monitor'] })), /not a fully qualified repository/],
  ['a wildcard inside a scope', doc(statement({ registryScopes: [`${REGISTRY}/*`] })), /not a fully qualified repository/],
  ['skip with the global scope', doc({ name: 's', registryScopes: ['*'], signatureVerification: { level: 'skip' } }), /skip level cannot have the global scope/],
  ['skip overridden', doc({ name: 's', registryScopes: [`${REGISTRY}/a`], signatureVerification: { level: 'skip', override: { expiry: 'log' } } }), /cannot be overridden/],
  ['an unknown level', doc(statement({ signatureVerification: { level: 'lenient' } })), /level must be strict, permissive, audit or skip/],
  ['integrity overridden', doc(statement({ signatureVerification: { level: 'strict', override: { integrity: 'log' } } })), /integrity cannot be overridden/],
  ['revocation set to a bad value', doc(statement({ signatureVerification: { level: 'strict', override: { revocation: 'ignore' } } })), /revocation must be one of enforce, log, skip/],
  ['a store without its type', doc(statement({ trustStores: ['acme'] })), /is not \{ca\|signingAuthority\|tsa\}:<name>/],
  ['an identity without ST', doc(statement({ trustedIdentities: ['x509.subject: C=US, O=acme'] })), /must name C, ST and O/],
  ['an identity of another kind', doc(statement({ trustedIdentities: ['email: a@b.c'] })), /neither "\*" nor "x509.subject: <DN>"/],
  ['overlapping identities', doc(statement({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=acme, OU=org1', 'x509.subject: C=US, ST=WA, O=acme'] })), /overlap/],
  ['"*" beside identities', doc(statement({ trustedIdentities: ['*', 'x509.subject: C=US, ST=WA, O=acme'] })), /"\*" must be the only identity/],
];
for (const [name, document, message] of refused) {
  test(`a trust policy is refused: ${name}`, () => {
    assert.throws(() => parseNotaryTrustPolicy(document), (e: Error & { code?: string }) => e.code === 'ERR_CONFIG_INVALID' && message.test(e.message));
  });
}

test('strict: a trusted signer verifies (JWS and COSE); another identity or another store fails; no statement fails', () => {
  const trust = trustOf(doc(statement()));
  assert.equal(judge(jws(), 'application/jose+json', pki.rsa.chainDer, trust).status, 'verified');
  const cose = judge(signNotaryCose(pki, target, time), 'application/cose', pki.ec.chainDer, trustOf(doc(statement({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=Notary Test, CN=Notary EC Signer'] }))));
  assert.equal(cose.status, 'verified', JSON.stringify(cose.problems));
  const stranger = judge(jws(), 'application/jose+json', pki.rsa.chainDer, trustOf(doc(statement({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=Other Org'] }))));
  assert.deepEqual([stranger.status, codes(stranger)], ['failed', ['ERR_SCAN_IDENTITY_UNTRUSTED']]);
  const emptyStore = judge(jws(), 'application/jose+json', pki.rsa.chainDer, trustOf(doc(statement()), { 'ca:acme': [] }));
  assert.deepEqual([emptyStore.status, codes(emptyStore)], ['failed', ['ERR_SCAN_UNVERIFIABLE']]);
  const noStatement = judge(jws(), 'application/jose+json', pki.rsa.chainDer, trust, 'elsewhere/app');
  assert.deepEqual([noStatement.status, codes(noStatement)], ['failed', ['ERR_SCAN_UNVERIFIABLE']]);
});

test('audit logs authenticity and expiry but enforces integrity; permissive enforces authenticity and logs expiry', () => {
  const audit = (over: Statement) => trustOf(doc(statement({ signatureVerification: { level: 'audit' }, ...over })));
  const permissive = (over: Statement) => trustOf(doc(statement({ signatureVerification: { level: 'permissive' }, ...over })));
  const other = { trustedIdentities: ['x509.subject: C=US, ST=WA, O=Other Org'] };
  const logged = judge(jws(), 'application/jose+json', pki.rsa.chainDer, audit(other));
  assert.deepEqual([logged.status, codes(logged)], ['verified', ['ERR_SCAN_IDENTITY_UNTRUSTED']]);
  assert.match(logged.problems[0]?.message ?? '', /logged by trust policy "acme" \(audit\)/);
  const refusedByPermissive = judge(jws(), 'application/jose+json', pki.rsa.chainDer, permissive(other));
  assert.deepEqual([refusedByPermissive.status, codes(refusedByPermissive)], ['failed', ['ERR_SCAN_IDENTITY_UNTRUSTED']]);
  const expired = jws({ 'io.cncf.notary.expiry': '2026-03-05T00:00:00Z' });
  assert.deepEqual(codes(judge(expired, 'application/jose+json', pki.rsa.chainDer, trustOf(doc(statement())))), ['ERR_SCAN_CHAIN_UNTRUSTED']);
  const expiredPermissive = judge(expired, 'application/jose+json', pki.rsa.chainDer, permissive({}));
  assert.deepEqual([expiredPermissive.status, codes(expiredPermissive)], ['verified', ['ERR_SCAN_CHAIN_UNTRUSTED']]);
  const tampered = JSON.parse(jws().toString()) as { signature: string };
  const sig = Buffer.from(tampered.signature, 'base64url');
  sig[7] = (sig[7] ?? 0) ^ 1;
  const broken = judge(Buffer.from(JSON.stringify({ ...tampered, signature: sig.toString('base64url') })), 'application/jose+json', pki.rsa.chainDer, audit({}));
  assert.deepEqual([broken.status, codes(broken)], ['failed', ['ERR_SCAN_SIGNATURE_INVALID']]);
  const elsewhere = judge(jws(), 'application/jose+json', pki.rsa.chainDer, trustOf(doc(statement({ signatureVerification: { level: 'audit' } })), { 'ca:acme': [] }));
  assert.equal(elsewhere.status, 'verified');
});

test('skip checks nothing; a certificate naming a CRL has an unknown revocation status unless revocation is skipped or logged', async () => {
  const skipped = judge(jws(), 'application/jose+json', pki.rsa.chainDer, trustOf(doc({ name: 's', registryScopes: [`${REGISTRY}/software/net-monitor`], signatureVerification: { level: 'skip' } })));
  assert.deepEqual([skipped.status, skipped.problems], ['not-checked', []]);
  const dir = pki.dir;
  writeFileSync(join(dir, 'crl.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\ncrlDistributionPoints=URI:http://crl.example/root.crl\n');
  await runTool('openssl', ['x509', '-req', '-in', 'rsa.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-set_serial', '31', '-days', '365', '-sha256', '-extfile', 'crl.ext', '-out', 'rsa-crl.crt'], { cwd: dir });
  const leafDer = await runTool('openssl', ['x509', '-in', 'rsa-crl.crt', '-outform', 'DER'], { cwd: dir });
  const withCrl = { ...pki, rsa: { ...pki.rsa, chainDer: [Buffer.from(leafDer), pki.rsa.chainDer[1] ?? Buffer.alloc(0)] } };
  const signed = signNotaryJws(withCrl, target, time);
  const strict = judge(signed, 'application/jose+json', withCrl.rsa.chainDer, trustOf(doc(statement())));
  assert.deepEqual([strict.status, codes(strict)], ['failed', ['ERR_SCAN_REVOCATION_UNKNOWN']]);
  const skip = judge(signed, 'application/jose+json', withCrl.rsa.chainDer, trustOf(doc(statement({ signatureVerification: { level: 'strict', override: { revocation: 'skip' } } }))));
  assert.deepEqual([skip.status, skip.problems], ['verified', []]);
  const permissive = judge(signed, 'application/jose+json', withCrl.rsa.chainDer, trustOf(doc(statement({ signatureVerification: { level: 'permissive' } }))));
  assert.deepEqual([permissive.status, codes(permissive)], ['verified', ['ERR_SCAN_REVOCATION_UNKNOWN']]);
});
