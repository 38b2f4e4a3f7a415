/**
 * What signing asks of the outside world, as small interfaces the CLI and tests provide.
 */

/**
 * Supplies the password of an encrypted private key, asked for only when a key needs one
 * (COSIGN_PASSWORD, a terminal prompt, or a test's constant).
 * @throws ERR_KEY_PASSWORD_MISSING when there is no way to get one
 */
export type PasswordSource = () => Promise<string>;
