// One `sigil server` with every service (registry, log, CA with its CT log, OIDC issuer) for
// keyless tests: tokens from `sigil token`, and the trust files cosign 2.5 reads instead of TUF
// (SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY, SIGSTORE_CT_LOG_PUBLIC_KEY_FILE) taken from the
// trusted_root.json the server wrote.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePem } from '../../src/core/index.ts';
import { expectSuccess, runSigil } from './peers.ts';
import { startSigilServer, type SigilServerProcess } from './sigil-server.ts';

/** A running keyless stack. */
export interface KeylessServer {
  readonly server: SigilServerProcess;
  /** the issuer URL tokens carry (`<url>/oidc`) */
  readonly issuerUrl: string;
  readonly trustedRootPath: string;
  readonly signingConfigPath: string;
  readonly trustedRoot: unknown;
  /** cosign's trust overrides, plus HOME */
  readonly cosignEnv: Readonly<Record<string, string>>;
  /** Mints a token with `sigil token` (e.g. ['--email', 'me@example.com']). */
  token(args: readonly string[]): Promise<string>;
}

interface RootJson {
  readonly certificateAuthorities: readonly { readonly certChain: { readonly certificates: readonly { readonly rawBytes: string }[] } }[];
  readonly tlogs: readonly { readonly publicKey: { readonly rawBytes: string } }[];
  readonly ctlogs: readonly { readonly publicKey: { readonly rawBytes: string } }[];
}

/** Starts the server with its state in `dir/data` and writes cosign's trust files into `dir`. */
export async function startKeylessServer(dir: string): Promise<KeylessServer> {
  const data = join(dir, 'data');
  const server = await startSigilServer(data);
  const trustedRootPath = join(data, 'trusted_root.json');
  const trustedRoot: unknown = JSON.parse(readFileSync(trustedRootPath, 'utf8'));
  const root = trustedRoot as RootJson;
  const der = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
  const files = { chain: join(dir, 'fulcio-chain.pem'), rekor: join(dir, 'rekor.pub'), ct: join(dir, 'ctlog.pub') };
  writeFileSync(files.chain, root.certificateAuthorities.flatMap((ca) => ca.certChain.certificates.map((c) => encodePem('CERTIFICATE', der(c.rawBytes)))).join(''));
  writeFileSync(files.rekor, encodePem('PUBLIC KEY', der(root.tlogs[0]?.publicKey.rawBytes ?? '')));
  writeFileSync(files.ct, encodePem('PUBLIC KEY', der(root.ctlogs[0]?.publicKey.rawBytes ?? '')));
  const issuerUrl = `${server.url}/oidc`;
  return {
    server, issuerUrl, trustedRootPath, signingConfigPath: join(data, 'signing_config.json'), trustedRoot,
    cosignEnv: { HOME: dir, SIGSTORE_ROOT_FILE: files.chain, SIGSTORE_REKOR_PUBLIC_KEY: files.rekor, SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: files.ct },
    token: async (args) => (await expectSuccess(runSigil(['token', ...args, '--issuer', issuerUrl, '--data', data]), 'sigil token')).trim(),
  };
}
