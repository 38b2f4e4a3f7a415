// An in-process CA with a real CT log over SQLite in memory, real keys and a settable clock.
import { generatePrivateKey, type PrivateKey } from '../../src/core/index.ts';
import { createAuthorityCertificates } from '../../src/ca/authority.ts';
import type { IssuerDeps } from '../../src/ca/issue.ts';
import type { CertificateIdentity } from '../../src/ca/ports.ts';
import type { CaSigner } from '../../src/ca/signing-ports.ts';
import { openCtLog, type CtLog, type CtStore } from '../../src/ct/index.ts';
import { openSqliteCtStore } from '../../src/adapters/sqlite/ct-store.ts';

export function signerOf(key: PrivateKey): CaSigner {
  return { spkiDer: key.publicKey().toSpkiDer(), sign: (d) => key.sign('ecdsa-p256-sha256', d) };
}

import { systemRandom } from '../../src/adapters/system.ts';

export interface TestCa {
  readonly issuer: IssuerDeps;
  readonly ct: CtLog;
  readonly ctStore: CtStore;
  readonly ctSigner: CaSigner;
  readonly rootDer: Uint8Array;
  readonly intermediateDer: Uint8Array;
  now: Date;
}

export async function createTestCa(start = new Date()): Promise<TestCa> {
  const root = signerOf(generatePrivateKey('ecdsa-p256'));
  const intermediate = signerOf(generatePrivateKey('ecdsa-p256'));
  const ctSigner = signerOf(generatePrivateKey('ecdsa-p256'));
  const certs = createAuthorityCertificates({ root, intermediate, now: new Date(start.getTime() - 60_000), random: systemRandom });
  const state = { now: start };
  const clock = (): Date => state.now;
  const ctStore = openSqliteCtStore(':memory:');
  const ct = await openCtLog({ store: ctStore, signer: ctSigner, roots: [certs.rootDer], clock });
  const issuer: IssuerDeps = {
    signer: intermediate, chainDer: [certs.intermediateDer, certs.rootDer], clock, random: systemRandom,
    logPrecertificate: async (chain) => {
      const sct = await ct.add(chain, true);
      return { ...sct, timestampMs: BigInt(sct.timestampMs) };
    },
  };
  return Object.assign(state, { issuer, ct, ctStore, ctSigner, rootDer: certs.rootDer, intermediateDer: certs.intermediateDer });
}

export const EMAIL_IDENTITY: CertificateIdentity = {
  san: { kind: 'email', value: 'alice@example.com' },
  issuer: 'https://issuer.example.com/oidc',
  extensions: [],
  legacyExtensions: [],
  challenge: 'alice@example.com',
};

export const GITHUB_IDENTITY: CertificateIdentity = {
  san: { kind: 'uri', value: 'https://github.com/octo/app/.github/workflows/release.yml@refs/tags/v1.0.0' },
  issuer: 'https://token.actions.githubusercontent.com',
  extensions: [
    { oid: '1.3.6.1.4.1.57264.1.9', value: 'https://github.com/octo/app/.github/workflows/release.yml@refs/tags/v1.0.0' },
    { oid: '1.3.6.1.4.1.57264.1.11', value: 'github-hosted' },
    { oid: '1.3.6.1.4.1.57264.1.12', value: 'https://github.com/octo/app' },
    { oid: '1.3.6.1.4.1.57264.1.20', value: 'push' },
  ],
  legacyExtensions: [
    { oid: '1.3.6.1.4.1.57264.1.2', value: 'push' },
    { oid: '1.3.6.1.4.1.57264.1.5', value: 'octo/app' },
  ],
  challenge: 'repo:octo/app:ref:refs/tags/v1.0.0',
};
