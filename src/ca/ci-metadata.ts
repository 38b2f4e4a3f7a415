/**
 * Built-in `CIIssuerMetadata` entries: the templates of Fulcio's public configuration
 * (config/identity/config.yaml, ci-issuer-metadata) for GitHub Actions, GitLab CI, Buildkite,
 * Codefresh and CircleCI, in Fulcio's JSON key form. A configuration may override any of them by
 * name. The legacy issuer types `github-workflow`, `gitlab-pipeline`, `buildkite-job` and
 * `codefresh-workflow` use the entry of the same name.
 */

/** One `CIIssuerMetadata` entry as configured (before its templates are parsed). */
export interface CiMetadataSource {
  readonly DefaultTemplateValues: Readonly<Record<string, string>>;
  readonly ExtensionTemplates: Readonly<Record<string, string>>;
  readonly SubjectAlternativeNameTemplate: string;
}

/** The built-in entries by CI provider name. */
export const BUILTIN_CI_METADATA: Readonly<Record<string, CiMetadataSource>> = {
  'github-workflow': {
    DefaultTemplateValues: { url: 'https://github.com', environment: '' },
    ExtensionTemplates: {
      GithubWorkflowTrigger: 'event_name',
      GithubWorkflowSHA: 'sha',
      GithubWorkflowName: 'workflow',
      GithubWorkflowRepository: 'repository',
      GithubWorkflowRef: 'ref',
      BuildSignerURI: '{{ .url }}/{{ .job_workflow_ref }}',
      BuildSignerDigest: 'job_workflow_sha',
      RunnerEnvironment: 'runner_environment',
      SourceRepositoryURI: '{{ .url }}/{{ .repository }}',
      SourceRepositoryDigest: 'sha',
      SourceRepositoryRef: 'ref',
      SourceRepositoryIdentifier: 'repository_id',
      SourceRepositoryOwnerURI: '{{ .url }}/{{ .repository_owner }}',
      SourceRepositoryOwnerIdentifier: 'repository_owner_id',
      BuildConfigURI: '{{ .url }}/{{ .workflow_ref }}',
      BuildConfigDigest: 'workflow_sha',
      BuildTrigger: 'event_name',
      RunInvocationURI: '{{ .url }}/{{ .repository }}/actions/runs/{{ .run_id }}/attempts/{{ .run_attempt }}',
      SourceRepositoryVisibilityAtSigning: 'repository_visibility',
      DeploymentEnvironment: 'environment',
    },
    SubjectAlternativeNameTemplate: '{{ .url }}/{{ .job_workflow_ref }}',
  },
  'gitlab-pipeline': {
    DefaultTemplateValues: { url: 'https://gitlab.com', environment: '' },
    ExtensionTemplates: {
      BuildSignerURI: 'https://{{ .ci_config_ref_uri }}',
      BuildSignerDigest: 'ci_config_sha',
      RunnerEnvironment: 'runner_environment',
      SourceRepositoryURI: '{{ .url }}/{{ .project_path }}',
      SourceRepositoryDigest: 'sha',
      SourceRepositoryRef: 'refs/{{if eq .ref_type "branch"}}heads/{{ else }}tags/{{end}}{{ .ref }}',
      SourceRepositoryIdentifier: 'project_id',
      SourceRepositoryOwnerURI: '{{ .url }}/{{ .namespace_path }}',
      SourceRepositoryOwnerIdentifier: 'namespace_id',
      BuildConfigURI: 'https://{{ .ci_config_ref_uri }}',
      BuildConfigDigest: 'ci_config_sha',
      BuildTrigger: 'pipeline_source',
      RunInvocationURI: '{{ .url }}/{{ .project_path }}/-/jobs/{{ .job_id }}',
      SourceRepositoryVisibilityAtSigning: 'project_visibility',
      DeploymentEnvironment: 'environment',
    },
    SubjectAlternativeNameTemplate: 'https://{{ .ci_config_ref_uri }}',
  },
  'buildkite-job': {
    DefaultTemplateValues: { url: 'https://buildkite.com' },
    ExtensionTemplates: {
      RunInvocationURI: '{{.url}}/{{.organization_slug}}/{{.pipeline_slug}}/builds/{{.build_number}}#{{.job_id}}',
      RunnerEnvironment: 'runner_environment',
      SourceRepositoryDigest: 'build_commit',
      BuildTrigger: 'build_source',
    },
    SubjectAlternativeNameTemplate: '{{.url}}/{{.organization_slug}}/{{.pipeline_slug}}',
  },
  'codefresh-workflow': {
    DefaultTemplateValues: { platform_url: 'https://g.codefresh.io', scm_repo_url: '', scm_ref: '', runner_environment: '' },
    ExtensionTemplates: {
      BuildSignerURI: '{{.platform_url}}/build/{{ .workflow_id }}',
      RunnerEnvironment: 'runner_environment',
      SourceRepositoryURI: 'scm_repo_url',
      SourceRepositoryRef: 'scm_ref',
      BuildConfigURI: '{{.platform_url}}/api/pipelines/{{ .pipeline_id }}',
      RunInvocationURI: '{{.platform_url}}/build/{{ .workflow_id }}',
    },
    SubjectAlternativeNameTemplate: '{{.platform_url}}/{{.account_name}}/{{.pipeline_name}}:{{.account_id}}/{{.pipeline_id}}',
  },
  'circleci-job': {
    DefaultTemplateValues: { api_url: 'https://circleci.com/api/v2', platform_url: 'https://app.circleci.com/' },
    ExtensionTemplates: {
      BuildConfigURI: '{{.api_url}}/pipeline/{{(index . "oidc.circleci.com/pipeline-id")}}/config',
      BuildSignerURI: '{{.api_url}}/projects/{{(index . "oidc.circleci.com/project-id")}}/pipeline-definitions/{{(index . "oidc.circleci.com/pipeline-definition-id")}}',
      RunInvocationURI: '{{.platform_url}}/workflow/{{(index . "oidc.circleci.com/workflow-id")}}/job/{{(index . "oidc.circleci.com/job-id")}}',
      RunnerEnvironment: '{{if eq (index . "oidc.circleci.com/ssh-rerun") "true"}}ssh-rerun{{ else }}""{{end}}',
      SourceRepositoryRef: '{{index . "oidc.circleci.com/vcs-ref"}}',
      SourceRepositoryURI: '{{index . "oidc.circleci.com/vcs-origin"}}',
    },
    SubjectAlternativeNameTemplate: '{{.api_url}}/projects/{{(index . "oidc.circleci.com/project-id")}}/pipeline-definitions/{{(index . "oidc.circleci.com/pipeline-definition-id")}}',
  },
};
