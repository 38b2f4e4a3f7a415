/**
 * Built-in `CIIssuerMetadata` entries: the templates of Fulcio's public configuration
 * (config/identity/config.yaml, ci-issuer-metadata) for GitHub Actions, GitLab CI and Buildkite,
 * in Fulcio's JSON key form. A configuration may override any of them by name. The legacy issuer
 * types `github-workflow`, `gitlab-pipeline` and `buildkite-job` use the entry of the same name.
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
};
