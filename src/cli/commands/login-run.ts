/** `sigil login`: an interactive login whose ID token is printed. */
import { UsageError } from '../../core/index.ts';
import { interactiveLogin, loginIssuer } from '../interactive-login.ts';
import type { CommandContext } from '../main.ts';
import type { LoginFlags } from './login.ts';

function parseWhole(text: string, flag: string, max: number): number {
  const n = /^[0-9]{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= max)) throw new UsageError('ERR_USAGE', `invalid ${flag} ${JSON.stringify(text)}: want a whole number up to ${max}`);
  return n;
}

/** Runs `sigil login`. */
export async function runLogin(ctx: CommandContext, flags: LoginFlags): Promise<void> {
  const { io } = ctx;
  const issuer = loginIssuer(io, flags.issuer, '--issuer');
  const timeoutMs = parseWhole(flags.timeout, '--timeout', 86_400) * 1000;
  const redirectPort = parseWhole(flags.redirectPort, '--redirect-port', 65_535);
  const token = await interactiveLogin(io, {
    issuer, clientId: flags.clientId, clientSecret: flags.clientSecret, flow: flags.device === true ? 'device' : 'browser',
    openBrowser: flags.browser, redirectPort, timeoutMs,
  });
  io.stdout.write(`${token}\n`);
}
