/**
 * The work of `sigil verify-bundle`, loaded only when the command runs: the sigstore-conformance
 * client protocol's verify command, offline.
 *
 *   sigil verify-bundle [--staging] --bundle B [--bundle B2 ...]
 *     (--certificate-identity[-regexp] ID --certificate-oidc-issuer[-regexp] URL | --key PEM)
 *     [--trusted-root F] [--threads N] FILE_OR_DIGEST [FILE_OR_DIGEST2 ...]
 *
 * FILE_OR_DIGEST is a digest only when it reads `sha256:<64 hex>` and no such path exists. One
 * pair is the conformance protocol; many pairs go to verify-bundle-many.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  decodeHex, decodePem, InputError, InternalError, UsageError,
} from '../../core/index.ts';
import { parseBundle } from '../../bundle/index.ts';
import {
  builtinTrustedRoot, createMatcher, parseTrustedRoot, verifyBundle,
  type ArtifactInput, type BundleVerification, type TrustedRoot, type VerificationPolicy,
} from '../../verify/index.ts';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';
export type { VerifyBundleOptions };

interface VerifyBundleOptions {
  readonly staging?: boolean;
  readonly bundle: readonly string[];
  readonly threads?: string;
  readonly certificateIdentity?: string;
  readonly certificateIdentityRegexp?: string;
  readonly certificateOidcIssuer?: string;
  readonly certificateOidcIssuerRegexp?: string;
  readonly key?: string;
  readonly trustedRoot?: string;
  readonly output: string;
}

async function readInput(cwd: string, path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolve(cwd, path)));
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT') throw new InputError('ERR_FILE_NOT_FOUND', `${what} ${path} does not exist`, { cause });
    throw new InternalError('ERR_FILE_IO', `cannot read ${what} ${path}`, { cause });
  }
}

async function exists(path: string): Promise<boolean> {
  try { await stat(path); return true; } catch { return false; }
}

/** The artifact argument: a `sha256:<hex>` digest unless a file of that name exists. */
async function readArtifact(cwd: string, arg: string): Promise<ArtifactInput> {
  if (/^sha256:[0-9a-fA-F]{64}$/.test(arg) && !(await exists(resolve(cwd, arg)))) {
    return { kind: 'digest', algorithm: 'sha256', digest: decodeHex(arg.slice('sha256:'.length)) };
  }
  return { kind: 'bytes', data: await readInput(cwd, arg, 'artifact') };
}

function one(exact: string | undefined, regexp: string | undefined, flag: string): ReturnType<typeof createMatcher> {
  if ((exact === undefined) === (regexp === undefined)) throw new UsageError('ERR_USAGE', `give exactly one of --${flag} and --${flag}-regexp`);
  return exact !== undefined ? createMatcher('exact', exact) : createMatcher('regexp', regexp ?? '');
}

async function readPolicy(cwd: string, o: VerifyBundleOptions): Promise<VerificationPolicy> {
  const identityFlags = [o.certificateIdentity, o.certificateIdentityRegexp, o.certificateOidcIssuer, o.certificateOidcIssuerRegexp];
  if (o.key !== undefined) {
    if (identityFlags.some((f) => f !== undefined)) throw new UsageError('ERR_USAGE', '--key cannot be combined with --certificate-identity or --certificate-oidc-issuer flags');
    const blocks = decodePem(new TextDecoder().decode(await readInput(cwd, o.key, 'key')));
    const block = blocks.find((b) => b.label === 'PUBLIC KEY');
    if (!block) throw new InputError('ERR_CRYPTO_KEY_INVALID', `${o.key} holds no PUBLIC KEY pem block`);
    return { kind: 'public-key', spkiDer: block.der };
  }
  return {
    kind: 'identity',
    identities: [{
      subject: one(o.certificateIdentity, o.certificateIdentityRegexp, 'certificate-identity'),
      issuer: one(o.certificateOidcIssuer, o.certificateOidcIssuerRegexp, 'certificate-oidc-issuer'),
    }],
  };
}

/** The JSON output of one verified bundle. */
export function describeVerification(result: BundleVerification): Record<string, unknown> {
  const signer = result.signer.kind === 'certificate'
    ? { kind: 'certificate', subjects: result.signer.identity.subjects, issuer: result.signer.identity.issuer }
    : { kind: 'public-key' };
  return {
    verified: true,
    signer,
    verifiedTimes: result.verifiedTimes.map((t) => ({ source: t.source, time: t.time.toISOString() })),
    tlogEntries: result.tlogEntries.map((e) => ({ logIndex: e.logIndex.toString(), baseUrl: e.baseUrl })),
  };
}

/** The policy and trust root every pair is verified under. */
async function readCommon(ctx: CommandContext, o: VerifyBundleOptions): Promise<{ policy: VerificationPolicy; trustedRoot: TrustedRoot }> {
  const { cwd } = ctx.io;
  const policy = await readPolicy(cwd, o);
  const trustedRoot = o.trustedRoot !== undefined
    ? parseTrustedRoot(await readInput(cwd, o.trustedRoot, 'trusted root'))
    : builtinTrustedRoot(o.staging ? 'staging' : 'production');
  return { policy, trustedRoot };
}

/** Runs `sigil verify-bundle`: one artifact and bundle, or many pairs (verify-bundle-many.ts). */
export async function runVerifyBundles(ctx: CommandContext, args: readonly string[], o: VerifyBundleOptions): Promise<void> {
  const format = parseOutputFormat(o.output);
  if (args.length !== o.bundle.length) throw new UsageError('ERR_USAGE', `give one --bundle per artifact: ${o.bundle.length} bundle(s) for ${args.length} artifact(s)`);
  const threads = parseThreads(o.threads);
  const { policy, trustedRoot } = await readCommon(ctx, o);
  const { cwd } = ctx.io;
  if (args.length > 1) {
    const { verifyManyBundles } = await import('./verify-bundle-many.ts');
    await verifyManyBundles(ctx, args.map((arg, i) => ({ arg, bundle: o.bundle[i] ?? '' })), { policy, trustedRoot, format, threads, read: { bundle: (path) => readInput(cwd, path, 'bundle'), artifact: (arg) => readArtifact(cwd, arg) } });
    return;
  }
  const bundle = parseBundle(await readInput(cwd, o.bundle[0] ?? '', 'bundle'));
  const artifact = await readArtifact(cwd, args[0] ?? '');
  const result = verifyBundle(bundle, artifact, { trustedRoot, policy, clock: () => new Date() });
  if (format === 'json') writeJson(ctx.io.stdout, describeVerification(result));
  else ctx.io.stdout.write('Verified OK\n');
}

/** --threads: a whole number >= 0, or undefined for the default. @throws ERR_USAGE */
function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,3}$/.test(text)) throw new UsageError('ERR_USAGE', `--threads ${JSON.stringify(text)} is not a whole number from 0 to 999`);
  return Number(text);
}
