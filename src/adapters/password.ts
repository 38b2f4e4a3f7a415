/**
 * Where the password of a private key comes from, in cosign's order: COSIGN_PASSWORD when set
 * (even to the empty string), else a prompt on the terminal, else an error. Unlike cosign, sigil
 * does not read a password from a non-terminal stdin: that is an error, so a pipeline can never
 * hang waiting for input or take stray bytes as a password.
 */
import { UsageError } from '../core/index.ts';
import type { PasswordSource } from '../sign/ports.ts';
import type { Terminal } from './terminal.ts';

/** The environment variable cosign and sigil read a key password from. */
export const PASSWORD_ENV = 'COSIGN_PASSWORD';
/** cosign's prompt text. */
export const PASSWORD_PROMPT = 'Enter password for private key: ';
/** cosign's confirmation prompt text, when a key is created. */
export const PASSWORD_CONFIRM_PROMPT = 'Enter password for private key again: ';

/** What a password source reads. */
export interface PasswordDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** absent when stdin is not a terminal */
  readonly terminal?: Terminal | undefined;
}

/**
 * Creates a password source; with `confirm`, a prompted password is asked twice (for a new key).
 * @throws ERR_KEY_PASSWORD_MISSING (when called) with no COSIGN_PASSWORD and no terminal
 * @throws ERR_KEY_PASSWORD_MISMATCH (when called) when the two typed passwords differ
 */
export function createPasswordSource(deps: PasswordDeps, options: { readonly confirm?: boolean } = {}): PasswordSource {
  return async () => {
    const fromEnv = deps.env[PASSWORD_ENV];
    if (fromEnv !== undefined) return fromEnv;
    const terminal = deps.terminal;
    if (!terminal) {
      throw new UsageError('ERR_KEY_PASSWORD_MISSING', `the private key needs a password: set ${PASSWORD_ENV} (it may be empty) or run on a terminal`);
    }
    const password = await terminal.readSecret(PASSWORD_PROMPT);
    if (options.confirm && (await terminal.readSecret(PASSWORD_CONFIRM_PROMPT)) !== password) {
      throw new UsageError('ERR_KEY_PASSWORD_MISMATCH', 'passwords do not match');
    }
    return password;
  };
}
