/**
 * `sigil token`: mints an OIDC token from sigil's issuer without a browser, for tests, demos
 * and CI-shaped identities. It authenticates with the issuer's access secret (read from
 * `--data DIR`, SIGIL_OIDC_ACCESS_SECRET, or ./.sigil), see docs/oidc.md.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

/** Flags of `sigil token`. */
export interface TokenFlags {
  readonly email?: string;
  readonly githubRepository?: string;
  readonly githubWorkflowRef?: string;
  readonly githubRef?: string;
  readonly githubSha?: string;
  readonly githubEvent?: string;
  readonly githubEnvironment?: string;
  readonly gitlabProject?: string;
  readonly gitlabRef?: string;
  readonly gitlabRefType?: string;
  readonly gitlabSha?: string;
  readonly buildkitePipeline?: string;
  readonly buildkiteCommit?: string;
  readonly buildkiteBranch?: string;
  readonly audience: string;
  readonly ttl: string;
  readonly issuer?: string;
  readonly data?: string;
}

/** Registers `sigil token`. */
export function registerToken(program: Command, ctx: CommandContext): void {
  program
    .command('token')
    .description("mint an OIDC token from sigil's issuer (an email identity, or a GitHub Actions / GitLab CI / Buildkite job identity) and print it")
    .option('--email <address>', 'an email identity')
    .option('--github-repository <owner/repo>', 'a GitHub Actions job identity for this repository')
    .option('--github-workflow-ref <ref>', 'the workflow, e.g. .github/workflows/release.yml@refs/tags/v1 (default .github/workflows/release.yml@<ref>)')
    .option('--github-ref <ref>', 'the git ref built (default refs/heads/main)')
    .option('--github-sha <sha>', 'the commit built (40 hex; default random)')
    .option('--github-event <name>', 'the triggering event (default push)')
    .option('--github-environment <name>', 'the deployment environment')
    .option('--gitlab-project <group/project>', 'a GitLab CI job identity for this project')
    .option('--gitlab-ref <ref>', 'the branch or tag built (default main)')
    .option('--gitlab-ref-type <type>', 'branch or tag (default branch)')
    .option('--gitlab-sha <sha>', 'the commit built (40 hex; default random)')
    .option('--buildkite-pipeline <org/pipeline>', 'a Buildkite job identity for this pipeline')
    .option('--buildkite-commit <sha>', 'the commit built (40 hex; default random)')
    .option('--buildkite-branch <name>', 'the branch built (default main)')
    .option('--audience <aud>', 'the token audience', 'sigstore')
    .option('--ttl <duration>', 'lifetime: seconds, or with s, m or h (at most 24h)', '10m')
    .option('--issuer <url>', "the issuer base URL, <server>/oidc (default: SIGIL_OIDC_ISSUER, else http://127.0.0.1:8080/oidc)")
    .option('--data <dir>', "the issuer's data directory, to read its access secret (default: SIGIL_OIDC_ACCESS_SECRET, else ./.sigil)")
    .action(async (flags: TokenFlags) => {
      const { runToken } = await import('./token-run.ts');
      await runToken(ctx, flags);
    });
}
