/**
 * Fulcio's certificate extension fields (its `certificate.Extensions` struct) with their OIDs
 * under 1.3.6.1.4.1.57264.1 (Fulcio docs/oid-info.md). The field names are the JSON keys of
 * `CIIssuerMetadata[*].ExtensionTemplates` in Fulcio's configuration, so they stay verbatim.
 */

/** One extension field: its JSON name, the kebab-case name of Fulcio's YAML form, and its OID. */
export interface ExtensionField {
  readonly name: string;
  readonly yamlName: string;
  readonly oid: string;
  /** .1.2 to .1.6 hold raw UTF-8 bytes (deprecated); the others a DER UTF8String */
  readonly legacy: boolean;
}

const ARC = '1.3.6.1.4.1.57264.1';

/** Every templatable field in OID order (the issuer .1.1/.1.8 always comes from the token). */
export const EXTENSION_FIELDS: readonly ExtensionField[] = [
  { name: 'GithubWorkflowTrigger', yamlName: 'github-workflow-trigger', oid: `${ARC}.2`, legacy: true },
  { name: 'GithubWorkflowSHA', yamlName: 'github-workflow-sha', oid: `${ARC}.3`, legacy: true },
  { name: 'GithubWorkflowName', yamlName: 'github-workflow-name', oid: `${ARC}.4`, legacy: true },
  { name: 'GithubWorkflowRepository', yamlName: 'github-workflow-repository', oid: `${ARC}.5`, legacy: true },
  { name: 'GithubWorkflowRef', yamlName: 'github-workflow-ref', oid: `${ARC}.6`, legacy: true },
  { name: 'BuildSignerURI', yamlName: 'build-signer-uri', oid: `${ARC}.9`, legacy: false },
  { name: 'BuildSignerDigest', yamlName: 'build-signer-digest', oid: `${ARC}.10`, legacy: false },
  { name: 'RunnerEnvironment', yamlName: 'runner-environment', oid: `${ARC}.11`, legacy: false },
  { name: 'SourceRepositoryURI', yamlName: 'source-repository-uri', oid: `${ARC}.12`, legacy: false },
  { name: 'SourceRepositoryDigest', yamlName: 'source-repository-digest', oid: `${ARC}.13`, legacy: false },
  { name: 'SourceRepositoryRef', yamlName: 'source-repository-ref', oid: `${ARC}.14`, legacy: false },
  { name: 'SourceRepositoryIdentifier', yamlName: 'source-repository-identifier', oid: `${ARC}.15`, legacy: false },
  { name: 'SourceRepositoryOwnerURI', yamlName: 'source-repository-owner-uri', oid: `${ARC}.16`, legacy: false },
  { name: 'SourceRepositoryOwnerIdentifier', yamlName: 'source-repository-owner-identifier', oid: `${ARC}.17`, legacy: false },
  { name: 'BuildConfigURI', yamlName: 'build-config-uri', oid: `${ARC}.18`, legacy: false },
  { name: 'BuildConfigDigest', yamlName: 'build-config-digest', oid: `${ARC}.19`, legacy: false },
  { name: 'BuildTrigger', yamlName: 'build-trigger', oid: `${ARC}.20`, legacy: false },
  { name: 'RunInvocationURI', yamlName: 'run-invocation-uri', oid: `${ARC}.21`, legacy: false },
  { name: 'SourceRepositoryVisibilityAtSigning', yamlName: 'source-repository-visibility-at-signing', oid: `${ARC}.22`, legacy: false },
  { name: 'DeploymentEnvironment', yamlName: 'deployment-environment', oid: `${ARC}.23`, legacy: false },
];

/** OID of the issuer, raw bytes (deprecated form cosign still reads). */
export const OID_ISSUER_V1 = `${ARC}.1`;
/** OID of the issuer as a DER UTF8String. */
export const OID_ISSUER_V2 = `${ARC}.8`;
/** OID of the otherName type-id of `username` SANs. */
export const OID_OTHER_NAME_SAN = `${ARC}.7`;
/** OID of the token subject (the raw `sub`), added to Fulcio in 2026. */
export const OID_TOKEN_SUBJECT = `${ARC}.24`;

/** Finds a field by its JSON name (case-insensitive, as Go's encoding/json matches) or its YAML name. */
export function findExtensionField(key: string): ExtensionField | undefined {
  const lower = key.toLowerCase();
  return EXTENSION_FIELDS.find((f) => f.name.toLowerCase() === lower || f.yamlName === key);
}
