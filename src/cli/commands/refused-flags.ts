/**
 * cosign flags sigil knows but does not implement. A CI script moved from cosign keeps parsing
 * (the flag, and its value, are recognised), and the run stops with ERR_FLAG_UNSUPPORTED (exit 2)
 * and the reason, instead of sigil silently doing something else. A boolean flag given as false
 * (`--sk=false`, dropped before parsing: cosign-compat.ts), or a string flag given empty, asks for
 * nothing and is accepted, as cosign's defaults are. docs/cosign-flags.md lists every cosign flag per verb.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/index.ts';

/** One refused flag: `--name` (boolean) or `--name <value>`, and why sigil refuses it. */
export interface RefusedFlag {
  readonly flag: string;
  readonly takesValue: boolean;
  readonly reason: string;
}

function refused(reason: string, flags: readonly string[], takesValue = true): RefusedFlag[] {
  return flags.map((flag) => ({ flag, takesValue, reason }));
}

const SECURITY_KEY = 'hardware security keys (PIV) are not supported by sigil; use --key with a key file or env://VAR';
const TSA = 'sigil has no RFC 3161 timestamp authority client yet; the transparency log entry is the signature\'s time';

/** --sk/--slot: signing and verifying with a PIV security key. */
export const SECURITY_KEY_FLAGS: readonly RefusedFlag[] = [...refused(SECURITY_KEY, ['--sk'], false), ...refused(SECURITY_KEY, ['--slot'])];

/** The RFC 3161 timestamp authority client flags of the signing verbs. */
export const TIMESTAMP_SIGN_FLAGS: readonly RefusedFlag[] = refused(TSA, [
  '--timestamp-server-url', '--timestamp-client-cacert', '--timestamp-client-cert', '--timestamp-client-key', '--timestamp-server-name',
]);

/** The RFC 3161 timestamp flags of the verifying verbs. */
export const TIMESTAMP_VERIFY_FLAGS: readonly RefusedFlag[] = [
  ...refused(TSA, ['--timestamp-certificate-chain']), ...refused(TSA, ['--use-signed-timestamps'], false),
];

/** The registry flags sigil does not implement (every registry verb). */
export const REGISTRY_REFUSED_FLAGS: readonly RefusedFlag[] = [
  ...refused('the Kubernetes keychain is not supported; sigil reads Docker\'s config.json, or --registry-username/--registry-password/--registry-token', ['--k8s-keychain'], false),
  ...refused('custom attachment tag prefixes are not supported; sigil reads and writes cosign\'s default sha256-<hex>.sig/.att/.sbom tags', ['--attachment-tag-prefix']),
];

/** The value of a refused flag that asks for something (true, or a non-empty string). */
function isAsking(value: unknown): boolean {
  return value !== undefined && value !== false && value !== '';
}

function optionOf(spec: RefusedFlag): Option {
  return new Option(spec.takesValue ? `${spec.flag} <value>` : spec.flag).hideHelp();
}

function attributeOf(flag: string): string {
  return flag.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Registers `flags` on `command` (hidden from its help, named in a help line) and refuses a run
 * that sets one.
 * @throws ERR_FLAG_UNSUPPORTED from the command's pre-action hook, naming the flag and the reason
 */
export function refuseFlags(command: Command, flags: readonly RefusedFlag[]): Command {
  for (const spec of flags) command.addOption(optionOf(spec));
  command.addHelpText('after', `\nRecognised cosign flags sigil refuses (exit 2, ERR_FLAG_UNSUPPORTED): ${flags.map((f) => f.flag).join(', ')}.\n`);
  return command.hook('preAction', (_self, action) => {
    const opts = action.opts();
    for (const spec of flags) {
      if (isAsking(opts[attributeOf(spec.flag)])) throw new UsageError('ERR_FLAG_UNSUPPORTED', `${spec.flag}: ${spec.reason}`);
    }
  });
}
