/**
 * The work of `sigil scan repo`, loaded only when it runs: reads the trust policy, scans the
 * registry through the OCI client, prints the report, and applies --fail-on.
 */
import { readFile } from 'node:fs/promises';
import {
  ConfigError, InputError, UsageError, VerificationError, defaultSignatureAlgorithm, digestBytes, encodeHex, parsePublicKeyPem,
} from '../../core/index.ts';
import type { Credential } from '../../adapters/registry-client/index.ts';
import { createBufferedFetch, createRegistrySource } from '../../adapters/registry-scan/index.ts';
import {
  listRepoFindings, renderRepoCsv, renderRepoJson, renderRepoPretty, renderRepoSarif, scanRegistry,
  type BundleVerifier, type RepoEntry, type RepoScanReport, type RepoTrust, type TrustedKey,
} from '../../scan/index.ts';
import { parseTrustedRoot } from '../../verify/index.ts';
import { startBundleVerifyPool, type BundleVerifyPool } from '../../server/bundle-verify-pool.ts';
import type { CommandContext } from '../main.ts';
import { createCliRegistryClient } from '../registry.ts';
import { parseConcurrency, parseFailOn, parseFormat, type ScanFormat } from './scan-flags.ts';
import { createScanProgress } from './scan-progress.ts';
import { SIGIL_VERSION } from './version.ts';
import { loadNamedStores, loadNotaryTrustPolicy, loadTrustStore } from './notary-trust-store.ts';

// above every cap the scan applies itself (8 MiB listing pages, 4 MiB manifests and signature blobs)
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The flags of `sigil scan repo`. */
export interface RepoOptions {
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
  readonly allowInsecureRegistry?: boolean;
  readonly output: string;
  readonly concurrency: string;
  readonly failOn?: string;
  readonly verify?: boolean;
  readonly key?: readonly string[];
  readonly trustedRoot?: string;
  readonly trustStore?: string;
  readonly trustPolicy?: string;
}

/**
 * Splits `REGISTRY[/NAMESPACE]`; a tag or digest is refused.
 * @throws ERR_USAGE
 */
export function parseRegistryTarget(target: string): { registry: string; namespace: string } {
  const slash = target.indexOf('/');
  const registry = slash === -1 ? target : target.slice(0, slash);
  const namespace = slash === -1 ? '' : target.slice(slash + 1).replace(/\/+$/, '');
  if (registry === '' || /[@\s]/.test(target) || namespace.includes(':') || !/^[a-z0-9._-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i.test(registry)) {
    throw new UsageError('ERR_USAGE', `scan repo takes REGISTRY[/NAMESPACE] (host[:port], no tag or digest), got ${JSON.stringify(target)}`);
  }
  return { registry, namespace };
}

function credentialOf(opts: RepoOptions): Credential | undefined {
  if ((opts.username === undefined) !== (opts.password === undefined)) throw new UsageError('ERR_USAGE', '-u/--username and -p/--password must be given together');
  if (opts.token !== undefined && opts.username !== undefined) throw new UsageError('ERR_USAGE', '--token cannot be combined with -u/-p');
  if (opts.token !== undefined) return { registryToken: opts.token };
  if (opts.username !== undefined) return { username: opts.username, password: opts.password ?? '' };
  return undefined;
}

async function readText(path: string, flag: string): Promise<string> {
  try { return await readFile(path, 'utf8'); } catch (cause) { throw new InputError('ERR_FILE_NOT_FOUND', `cannot read ${flag} ${path}`, { cause }); }
}

async function loadKey(path: string): Promise<TrustedKey> {
  const key = parsePublicKeyPem(await readText(path, '--key'));
  const spkiDer = key.toSpkiDer();
  return { spkiDer, algorithm: defaultSignatureAlgorithm(key.type), fingerprint: encodeHex(digestBytes('sha256', spkiDer)) };
}

async function loadTrust(opts: RepoOptions, registry: string): Promise<RepoTrust | null> {
  const given = (opts.key?.length ?? 0) > 0 || opts.trustedRoot !== undefined || opts.trustStore !== undefined;
  if (opts.verify !== true) {
    if (given || opts.trustPolicy !== undefined) throw new UsageError('ERR_USAGE', '--key, --trusted-root, --trust-store and --trust-policy need --verify');
    return null;
  }
  if (!given) throw new UsageError('ERR_USAGE', '--verify needs a trust policy: --key, --trusted-root and/or --trust-store');
  if (opts.trustPolicy !== undefined && opts.trustStore === undefined) throw new UsageError('ERR_USAGE', '--trust-policy names stores of a --trust-store, which is missing');
  const keys = await Promise.all((opts.key ?? []).map(loadKey));
  const trustedRoot = opts.trustedRoot === undefined ? null : parseTrustedRoot(new Uint8Array(Buffer.from(await readText(opts.trustedRoot, '--trusted-root'))));
  const notaryAnchors = opts.trustStore === undefined ? [] : await loadTrustStore(opts.trustStore);
  if (opts.trustStore !== undefined && notaryAnchors.length === 0) throw new ConfigError('ERR_CONFIG_INVALID', `--trust-store ${opts.trustStore} holds no certificate`);
  const notaryPolicy = opts.trustPolicy === undefined || opts.trustStore === undefined ? null
    : { policy: await loadNotaryTrustPolicy(opts.trustPolicy), stores: await loadNamedStores(opts.trustStore), registry };
  return { keys, trustedRoot, notaryAnchors, notaryPolicy, now: new Date() };
}

function render(report: RepoScanReport, format: ScanFormat): string {
  if (format === 'json') return renderRepoJson(report);
  if (format === 'csv') return renderRepoCsv(report);
  if (format === 'sarif') return renderRepoSarif(report, SIGIL_VERSION);
  return renderRepoPretty(report);
}

/** Runs `sigil scan repo`. */
export async function runRepo(ctx: CommandContext, target: string, opts: RepoOptions): Promise<void> {
  const { registry, namespace } = parseRegistryTarget(target);
  const format = parseFormat(opts.output);
  const concurrency = parseConcurrency(opts.concurrency);
  const failOn = parseFailOn(opts.failOn);
  const credential = credentialOf(opts);
  const trust = await loadTrust(opts, registry);
  // the scanner's own fetch: buffered bodies over keep-alive (see adapters/registry-scan/buffered-fetch.ts);
  // a tag reads its .sig tag, .att tag and referrers at once, hence three connections per unit of concurrency
  const fetch = createBufferedFetch({ maxBodyBytes: MAX_RESPONSE_BYTES, connections: concurrency * 3, insecure: opts.allowInsecureRegistry === true });
  const client = createCliRegistryClient(ctx.io, opts, { fetch, ...(credential === undefined ? {} : { credentials: async () => credential }) });
  const progress = createScanProgress<RepoEntry>(ctx.io.stderr);
  // Sigstore bundles are verified on a thread per core, so that concurrent tags use every core;
  // the workers start with the first bundle, so a scan without bundles never starts them
  let pool: BundleVerifyPool | undefined;
  const bundleVerifier: BundleVerifier = (job, options) => (pool ??= startBundleVerifyPool()).verifyBundle(job, options);
  let report: RepoScanReport;
  try {
    report = await scanRegistry(createRegistrySource(client, registry), registry, namespace, {
      concurrency, trust, onEntry: progress.tick, ...(trust?.trustedRoot ? { bundleVerifier } : {}),
    });
  } finally {
    await pool?.close();
  }
  progress.done();
  ctx.io.stdout.write(render(report, format));
  const findings = listRepoFindings(report, failOn);
  const broken = failOn.includes('unverified') ? report.problems.length : 0;
  if (findings.length > 0 || broken > 0) {
    const example = findings[0]?.path ?? report.problems[0]?.repository ?? registry;
    throw new VerificationError('ERR_SCAN_FINDINGS', `${findings.length + broken} entries match --fail-on ${failOn.join(',')}, e.g. ${example}`);
  }
}
