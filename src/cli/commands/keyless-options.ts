/** The keyless signing flags `sign` and `sign-blob` share, with cosign's names. */
import type { Command } from 'commander';

/** The keyless flags as commander hands them over. */
export interface KeylessOptions {
  readonly identityToken?: string;
  readonly fulcioUrl?: string;
  readonly rekorUrl?: string;
  readonly oidcIssuer?: string;
  readonly oidcClientId?: string;
  readonly oidcClientSecretFile?: string;
  readonly fulcioAuthFlow?: string;
  readonly signingConfig?: string;
  readonly trustedRoot?: string;
  readonly fulcioCsr?: boolean;
  readonly oidcDisableAmbientProviders?: boolean;
}

/** Adds the keyless flags to a signing command. */
export function addKeylessOptions(command: Command): Command {
  return command
    .option('--identity-token <token>', 'keyless: the OIDC identity token, or a file holding it (default: SIGSTORE_ID_TOKEN)')
    .option('--fulcio-url <url>', 'keyless: the Fulcio-compatible certificate authority (default: from --signing-config, else SIGIL_FULCIO_URL)')
    .option('--rekor-url <url>', 'Rekor v1 log to record the signature in (default: from --signing-config, else SIGIL_REKOR_URL; none: not logged)')
    .option('--oidc-issuer <url>', 'keyless: with no token, sign in to this OIDC issuer interactively (default: SIGIL_OIDC_ISSUER, else https://oauth2.sigstore.dev/auth)')
    .option('--oidc-client-id <id>', 'keyless: the OAuth client id of the interactive login (the token audience)', 'sigstore')
    .option('--oidc-client-secret-file <file>', 'keyless: a file holding the OAuth client secret, for issuers that want one')
    .option('--fulcio-auth-flow <flow>', 'keyless: how to get a token when none is given: normal (browser, the default on a terminal) or device')
    .option('--signing-config <file>', 'keyless: a signing_config.json naming the certificate authority and the log')
    .option('--trusted-root <file>', 'keyless: a trusted_root.json the certificate (and a new bundle) is checked against before anything is logged or written')
    .option('--fulcio-csr', 'keyless: ask the certificate authority with a PKCS#10 request instead of a proof of possession')
    .option('--oidc-disable-ambient-providers', 'keyless: ignore SIGSTORE_ID_TOKEN and the GitHub Actions token, as cosign does (then --identity-token or a login)');
}
