/**
 * `sigil login`: gets an OIDC ID token interactively from any issuer with discovery, with the
 * authorization code flow + PKCE in a browser (loopback redirect), or `--device` for the device
 * flow, and prints it (use it as SIGSTORE_ID_TOKEN or --identity-token).
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

/** Flags of `sigil login`. */
export interface LoginFlags {
  readonly issuer?: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly device?: boolean;
  readonly browser: boolean;
  readonly redirectPort: string;
  readonly timeout: string;
}

/** Registers `sigil login`. */
export function registerLogin(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description('sign in to an OIDC issuer (browser with PKCE, or --device) and print the ID token')
    .option('--issuer <url>', 'the OIDC issuer (default: SIGIL_OIDC_ISSUER, else https://oauth2.sigstore.dev/auth)')
    .option('--client-id <id>', 'the OAuth client id, which becomes the token audience', 'sigstore')
    .option('--client-secret <secret>', 'the OAuth client secret, for issuers that want one')
    .option('--device', 'use the device flow: print a code to approve on another device')
    .option('--no-browser', 'do not try to open a browser; only print the URL')
    .option('--redirect-port <port>', 'the loopback port for the browser redirect (0 picks one)', '0')
    .option('--timeout <seconds>', 'give up after this many seconds', '300')
    .action(async (flags: LoginFlags) => {
      const { runLogin } = await import('./login-run.ts');
      await runLogin(ctx, flags);
    });
}
