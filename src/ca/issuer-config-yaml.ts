/**
 * Fulcio's issuer configuration in its YAML form (config/identity/config.yaml): the same fields as
 * the JSON form under kebab-case names (`oidc-issuers`, `issuer-url`, `ci-issuer-metadata`,
 * `extension-templates`…), plus a top-level `define` list that only holds YAML anchors. This maps
 * an already-decoded YAML document onto the JSON form `parseIssuerConfig` reads; names it does not
 * know pass through unchanged, so the parser still names them as unknown.
 */

const TOP: Readonly<Record<string, string>> = {
  'oidc-issuers': 'OIDCIssuers',
  'meta-issuers': 'MetaIssuers',
  'ci-issuer-metadata': 'CIIssuerMetadata',
};

const ENTRY: Readonly<Record<string, string>> = {
  'issuer-url': 'IssuerURL',
  'client-id': 'ClientID',
  type: 'Type',
  'ci-provider': 'CIProvider',
  'issuer-claim': 'IssuerClaim',
  'subject-domain': 'SubjectDomain',
  'spiffe-trust-domain': 'SPIFFETrustDomain',
  'challenge-claim': 'ChallengeClaim',
  'skip-email-verification': 'SkipEmailVerification',
  description: 'Description',
  contact: 'Contact',
};

const CI: Readonly<Record<string, string>> = {
  'default-template-values': 'DefaultTemplateValues',
  'extension-templates': 'ExtensionTemplates',
  'subject-alternative-name-template': 'SubjectAlternativeNameTemplate',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renameKeys(value: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [names[k] ?? k, v]));
}

function mapEach(section: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!isObject(section)) return section;
  return Object.fromEntries(Object.entries(section).map(([k, v]) => [k, renameKeys(v, names)]));
}

/** Maps a decoded YAML-form configuration onto the JSON form (see the module comment). */
export function fulcioYamlToJsonShape(doc: unknown): unknown {
  if (!isObject(doc)) return doc;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'define' && Array.isArray(v)) continue;
    const name = TOP[k] ?? k;
    out[name] = name === 'CIIssuerMetadata' ? mapEach(v, CI) : name === 'OIDCIssuers' || name === 'MetaIssuers' ? mapEach(v, ENTRY) : v;
  }
  return out;
}
