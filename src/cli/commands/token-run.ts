/** `sigil token`: builds the identity request, reads the access secret, asks the issuer. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../../core/index.ts';
import { basicAuthorization, discoverIssuer, idTokenOf, postForm } from '../../adapters/oidc/index.ts';
import type { CommandContext } from '../main.ts';
import type { TokenFlags } from './token.ts';
import { parseGoDuration } from '../go-duration.ts';

/** The default issuer: a `sigil server` on its default address. */
export const DEFAULT_LOCAL_ISSUER = 'http://127.0.0.1:8080/oidc';

function defined(obj: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The `identity` parameter of the mint grant. @throws ERR_USAGE unless exactly one identity kind is given */
export function identityFromFlags(flags: TokenFlags): Record<string, string> {
  const kinds = [flags.email, flags.githubRepository, flags.gitlabProject, flags.buildkitePipeline].filter((v) => v !== undefined);
  if (kinds.length !== 1) throw new UsageError('ERR_USAGE', 'give exactly one identity: --email, --github-repository, --gitlab-project or --buildkite-pipeline');
  if (flags.email !== undefined) return { kind: 'email', email: flags.email };
  if (flags.githubRepository !== undefined) {
    return defined({
      kind: 'github', repository: flags.githubRepository, workflowRef: flags.githubWorkflowRef, ref: flags.githubRef,
      sha: flags.githubSha, eventName: flags.githubEvent, environment: flags.githubEnvironment,
    });
  }
  if (flags.gitlabProject !== undefined) {
    return defined({ kind: 'gitlab', project: flags.gitlabProject, ref: flags.gitlabRef, refType: flags.gitlabRefType, sha: flags.gitlabSha });
  }
  return defined({ kind: 'buildkite', pipeline: flags.buildkitePipeline, commit: flags.buildkiteCommit, branch: flags.buildkiteBranch });
}

/** Parses `--ttl`: whole seconds (`90`) or a Go duration as cosign's flags take (`90s`, `10m`, `1h`). @throws ERR_USAGE */
export function parseTtlSeconds(text: string): number {
  const t = text.trim();
  let n: number;
  try { n = /^[0-9]+$/.test(t) ? Number(t) : Math.floor(parseGoDuration('--ttl', t) / 1000); } catch { n = Number.NaN; }
  if (!(n >= 1 && n <= 86_400)) throw new UsageError('ERR_USAGE', `invalid --ttl ${JSON.stringify(text)}: want seconds or 10m / 1h, at most 24h`);
  return n;
}

function readSecret(ctx: CommandContext, flags: TokenFlags): string {
  const fromFile = (dir: string): string | undefined => {
    const path = resolve(ctx.io.cwd, dir, 'oidc', 'access-secret');
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
  };
  if (flags.data !== undefined) {
    const secret = fromFile(flags.data);
    if (secret === undefined) throw new ConfigError('ERR_OIDC_MINT_SECRET_MISSING', `${flags.data} has no oidc/access-secret: is it the data directory of a sigil server running the oidc service?`);
    return secret;
  }
  const env = ctx.io.env['SIGIL_OIDC_ACCESS_SECRET'];
  if (env !== undefined && env !== '') return env.trim();
  const local = fromFile('.sigil');
  if (local !== undefined) return local;
  throw new ConfigError('ERR_OIDC_MINT_SECRET_MISSING', 'no issuer access secret: pass --data DIR of the issuer or set SIGIL_OIDC_ACCESS_SECRET');
}

/** Runs `sigil token`. */
export async function runToken(ctx: CommandContext, flags: TokenFlags): Promise<void> {
  const identity = identityFromFlags(flags);
  const ttl = parseTtlSeconds(flags.ttl);
  const issuer = (flags.issuer ?? ctx.io.env['SIGIL_OIDC_ISSUER'] ?? DEFAULT_LOCAL_ISSUER).replace(/\/+$/, '');
  const secret = readSecret(ctx, flags);
  const client = { fetch: ctx.io.deps?.fetch ?? globalThis.fetch };
  const endpoints = await discoverIssuer(client, issuer);
  const answer = await postForm(client, endpoints.tokenEndpoint, {
    grant_type: 'client_credentials', identity: JSON.stringify(identity), audience: flags.audience, ttl: String(ttl),
  }, basicAuthorization('sigil-token', secret));
  ctx.io.stdout.write(`${idTokenOf(answer, endpoints.tokenEndpoint)}\n`);
}
