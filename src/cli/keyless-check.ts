/**
 * Checks a freshly made keyless bundle against a trusted_root.json before it is written (cosign's
 * `--trusted-root` on signing): the chain, the SCT, the log entry, and that the certificate
 * names the token's subject and issuer. The verifier (and the ASN.1 schemas it loads) is imported
 * only when a trusted root is given: signing without one should not pay for loading it.
 */
import { encodeUtf8 } from '../core/index.ts';
import type { ArtifactInput } from '../verify/index.ts';
import type { KeylessSigner } from '../sign/index.ts';
import type { CliIo } from './io.ts';
import { readInputFile } from './input-file.ts';

/**
 * Verifies `bundleJson` over `artifact` with the trust root in `trustedRootPath`.
 * @throws ERR_TRUST_ROOT_INVALID, ERR_FILE_NOT_FOUND, and any verification error
 */
export async function checkBundleAgainstTrustedRoot(io: CliIo, trustedRootPath: string, bundleJson: string, artifact: ArtifactInput, signer: KeylessSigner): Promise<void> {
  const [{ parseBundle }, { createMatcher, parseTrustedRoot, verifyBundle }] = await Promise.all([import('../bundle/index.ts'), import('../verify/index.ts')]);
  const trustedRoot = parseTrustedRoot(await readInputFile(io.cwd, trustedRootPath, 'trusted root'));
  const identities = [{ subject: createMatcher('exact', signer.identity.subject), issuer: createMatcher('exact', signer.identity.issuer) }];
  verifyBundle(parseBundle(encodeUtf8(bundleJson)), artifact, { trustedRoot, policy: { kind: 'identity', identities }, clock: () => new Date() });
}

/**
 * Checks a freshly issued certificate against a trusted_root.json (cosign checks the SCT after
 * signing): it chains to a CA of the root valid now, may sign code, and carries an SCT of a CT log
 * of the root. In two steps: loading the verifier and reading the trust root start now (so they
 * overlap getting the certificate); the check runs when the returned function is called
 * (@throws ERR_CERT_*, ERR_SCT_*). The promise rejects as the load would (ERR_TRUST_ROOT_INVALID,
 * ERR_FILE_NOT_FOUND), and is marked handled so a signing that fails first reports its own error.
 */
export function startCertificateCheck(io: CliIo, trustedRootPath: string): Promise<(signer: KeylessSigner) => void> {
  const ready = (async () => {
    // the three modules the check needs, not the whole verifier (bundles, logs, timestamps)
    const [{ parseCertificate }, { parseTrustedRoot }, { verifyKeylessCertificate }] = await Promise.all([
      import('../verify/certificate.ts'), import('../verify/trust-root.ts'), import('../verify/keyless.ts'),
    ]);
    const trustedRoot = parseTrustedRoot(await readInputFile(io.cwd, trustedRootPath, 'trusted root'));
    return (signer: KeylessSigner): void => { verifyKeylessCertificate(parseCertificate(signer.certificateDer), [new Date()], trustedRoot); };
  })();
  ready.catch(() => undefined);
  return ready;
}
