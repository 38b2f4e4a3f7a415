/**
 * What makes sigil's cosign verbs take a cosign command line as is (DESIGN.md, CLI contract):
 * cosign's root flags (-t/--timeout, --output-file), its registry flags, the flags sigil refuses
 * with a reason (refused-flags.ts), pflag's `--bool=false` form (which commander does not parse),
 * cosign's `--cert...` spellings, and its COSIGN_<FLAG> environment binding. The per-verb
 * comparison is docs/cosign-flags.md.
 */
import type { Command } from 'commander';
import { addRootOptions } from '../root-options.ts';
import { parseBooleanFlag } from './flags.ts';
import { REGISTRY_REFUSED_FLAGS, SECURITY_KEY_FLAGS, TIMESTAMP_SIGN_FLAGS, TIMESTAMP_VERIFY_FLAGS, refuseFlags, type RefusedFlag } from './refused-flags.ts';

function flags(reason: string, names: readonly string[], takesValue = true): RefusedFlag[] {
  return names.map((flag) => ({ flag, takesValue, reason }));
}

const OIDC_REFUSED: readonly RefusedFlag[] = [
  ...flags('sigil gets its token from --identity-token, SIGSTORE_ID_TOKEN, GitHub Actions or an interactive login; no other ambient provider', ['--oidc-provider']),
  ...flags('sigil\'s interactive login listens on a loopback port of its own choosing', ['--oidc-redirect-url']),
  ...flags('sigil verifies the certificate authority\'s TLS certificate; use a trusted CA', ['--insecure-skip-verify'], false),
];
const ISSUE_CERTIFICATE = flags('a Fulcio certificate for a --key is not supported; sign keyless (no --key) for a certificate', ['--issue-certificate'], false);
const ATTACHMENT = flags('attachments (the deprecated cosign attach sbom tags) are not signed or verified by sigil; use attestations', ['--attachment']);
const VERIFY_BASE_REFUSED: readonly RefusedFlag[] = [
  ...SECURITY_KEY_FLAGS, ...TIMESTAMP_VERIFY_FLAGS,
  ...flags('a detached SCT file is not supported; the certificate\'s embedded SCT is verified', ['--sct']),
];
const VERIFY_REFUSED: readonly RefusedFlag[] = [
  ...VERIFY_BASE_REFUSED,
  ...flags('bring-your-own CA bundles are supported by sigil verify only yet; use --trusted-root', ['--ca-roots', '--ca-intermediates', '--certificate-chain']),
];
const DETACHED_CERTIFICATE = flags('a detached certificate file is not supported yet: verify with --key, or keylessly the certificate stored with the signature', ['--certificate']);

/** cosign's verbs (command paths) with the flags sigil refuses on each; the registry ones are added where the verb talks to a registry. */
export const COSIGN_VERBS: Readonly<Record<string, readonly RefusedFlag[]>> = {
  sign: [...SECURITY_KEY_FLAGS, ...TIMESTAMP_SIGN_FLAGS, ...OIDC_REFUSED, ...ISSUE_CERTIFICATE, ...ATTACHMENT],
  verify: [
    ...VERIFY_BASE_REFUSED, ...ATTACHMENT,
    ...flags('verifying a detached payload and signature against an image is not supported; sigil verifies the signatures stored with the image', ['--payload', '--signature']),
    ...flags('images saved with cosign save (OCI layouts on disk) are not supported; verify in a registry', ['--local-image'], false)],
  attest: [...SECURITY_KEY_FLAGS, ...TIMESTAMP_SIGN_FLAGS, ...OIDC_REFUSED],
  'verify-attestation': [...VERIFY_REFUSED, ...DETACHED_CERTIFICATE, ...flags('images saved with cosign save (OCI layouts on disk) are not supported; verify in a registry', ['--local-image'], false)],
  'sign-blob': [
    ...SECURITY_KEY_FLAGS, ...TIMESTAMP_SIGN_FLAGS, ...OIDC_REFUSED, ...ISSUE_CERTIFICATE,
    ...flags('sigil has no RFC 3161 timestamp authority client yet', ['--rfc3161-timestamp']),
  ],
  'verify-blob': [...VERIFY_REFUSED, ...flags('sigil has no RFC 3161 timestamp verification yet', ['--rfc3161-timestamp'])],
  copy: flags('copying only the signature is not supported; sigil copies the image with its signatures (--only sig limits the companions)', ['--sig-only'], false),
  triangulate: [],
  tree: [],
  'download signature': [],
  'download attestation': [],
  clean: [],
  'generate-key-pair': flags('KMS keys are not supported; sigil writes a cosign.key file', ['--kms']),
  'public-key': SECURITY_KEY_FLAGS,
};

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** True for a command that is one of cosign's verbs (and so takes cosign's root flags and environment). */
export function isCosignVerb(command: Command): boolean {
  return Object.hasOwn(COSIGN_VERBS, commandPath(command));
}

function leaves(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

function addRegistryFlags(command: Command): void {
  command
    .option('--allow-http-registry', 'allow plain HTTP to any registry (TLS is still verified where HTTPS answers)')
    .option('--registry-username <name>', 'basic auth user for every registry of this command (with --registry-password; instead of Docker\'s config)')
    .option('--registry-password <password>', 'basic auth password, with --registry-username')
    .option('--registry-token <token>', 'bearer token for every registry of this command (when no username and password are given)')
    .option('--registry-cacert <file>', 'the CA certificates (PEM) to trust for registries, instead of the system\'s')
    .option('--registry-client-cert <file>', 'client certificate (PEM) for registries that want mutual TLS, with --registry-client-key')
    .option('--registry-client-key <file>', 'the private key (PEM) of --registry-client-cert')
    .option('--registry-server-name <name>', 'the name the registry\'s TLS certificate must carry (and the SNI sent), when it differs from the host');
}

/** Adds cosign's root, registry and refused flags to every cosign verb registered on `program`. */
export function applyCosignCompat(program: Command): void {
  for (const command of leaves(program)) {
    const path = commandPath(command);
    const refused = Object.hasOwn(COSIGN_VERBS, path) ? COSIGN_VERBS[path] : undefined;
    if (refused === undefined) continue;
    const registry = command.options.some((o) => o.long === '--allow-insecure-registry');
    if (registry) addRegistryFlags(command);
    addRootOptions(command);
    refuseFlags(command, [...refused, ...(registry ? REGISTRY_REFUSED_FLAGS : [])]);
  }
}

function commandFor(program: Command, argv: readonly string[]): Command {
  let command = program;
  for (const word of argv) {
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    command = sub;
  }
  return command;
}

/** cosign's short spellings of its certificate flags (its root command's pflag NormalizeFunc). */
const COSIGN_FLAG_ALIASES: Readonly<Record<string, string>> = {
  '--cert': '--certificate', '--cert-chain': '--certificate-chain', '--cert-oidc-issuer': '--certificate-oidc-issuer',
  '--cert-identity': '--certificate-identity', '--cert-email': '--certificate-email', '--output-cert': '--output-certificate',
};

/** `--cert` as `--certificate` (and cosign's other aliases) when the command has the long flag; `--cert=x` keeps its value. */
function unalias(arg: string, longs: ReadonlySet<string | undefined>): string {
  if (!arg.startsWith('--cert') && !arg.startsWith('--output-cert')) return arg;
  const at = arg.indexOf('=');
  const name = at > 0 ? arg.slice(0, at) : arg;
  const full = Object.hasOwn(COSIGN_FLAG_ALIASES, name) ? COSIGN_FLAG_ALIASES[name] : undefined;
  return full !== undefined && longs.has(full) ? `${full}${at > 0 ? arg.slice(at) : ''}` : arg;
}

/**
 * Rewrites cosign's spellings for the command argv names (and the program): its certificate
 * aliases (`--cert` for `--certificate`, ...), and `--flag=true` / `--flag=false` for boolean
 * flags: `--flag`, or nothing (false is every such flag's default). Anything after `--` is left alone.
 * @throws ERR_USAGE for a value that is not a boolean
 */
export function normalizeBooleanFlags(program: Command, argv: readonly string[]): string[] {
  const command = commandFor(program, argv);
  const options = [...command.options, ...program.options];
  const longs = new Set(options.map((o) => o.long));
  const booleans = new Set(options.filter((o) => o.isBoolean() && !o.negate && o.long).map((o) => o.long));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = unalias(argv[i] ?? '', longs);
    if (arg === '--') { out.push(...argv.slice(i)); break; }
    const at = arg.indexOf('=');
    const name = at > 0 ? arg.slice(0, at) : '';
    if (arg.startsWith('--') && booleans.has(name)) {
      if (parseBooleanFlag(name, arg.slice(at + 1))) out.push(name);
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * cosign's environment binding (viper, prefix COSIGN): a flag of a cosign verb that the command
 * line leaves unset takes `COSIGN_<FLAG>` (dashes as underscores: COSIGN_YES, COSIGN_TIMEOUT,
 * COSIGN_ALLOW_INSECURE_REGISTRY=true). Repeatable flags with their own parser (`-a`) are not bound.
 * @throws ERR_USAGE for a boolean variable that is not true/false/1/0
 */
export function applyCosignEnv(command: Command, env: Readonly<Record<string, string | undefined>>): void {
  if (!isCosignVerb(command)) return;
  for (const option of command.options) {
    if (!option.long || option.negate || option.parseArg) continue;
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source !== undefined && source !== 'default') continue;
    const name = `COSIGN_${option.long.slice(2).toUpperCase().replace(/-/g, '_')}`;
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!option.isBoolean()) command.setOptionValueWithSource(key, value, 'env');
    else if (parseBooleanFlag(name, value)) command.setOptionValueWithSource(key, true, 'env');
  }
}
