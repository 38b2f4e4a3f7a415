/**
 * Fulcio's issuer configuration (pkg/config, JSON form): `OIDCIssuers` keyed by issuer URL,
 * `MetaIssuers` keyed by a URL pattern whose `*` matches one host label or path segment, and
 * `CIIssuerMetadata` templates for `ci-provider` issuers. Parsed once into a frozen value that
 * also answers `findIssuer` (the CA's and the token verifier's one lookup).
 */
import { ConfigError } from '../core/index.ts';
import { BUILTIN_CI_METADATA, type CiMetadataSource } from './ci-metadata.ts';
import { isTemplate, parseClaimTemplate, type ClaimTemplate } from './claim-template.ts';
import { findExtensionField, type ExtensionField } from './extension-fields.ts';
import type { IssuerEntry, IssuerLookup, IssuerType } from './ports.ts';

/** A parsed `CIIssuerMetadata` entry. */
export interface CiMetadata {
  readonly defaults: ReadonlyMap<string, string>;
  /** each configured extension field with its template, or the bare claim name to copy */
  readonly extensions: readonly { readonly field: ExtensionField; readonly value: string; readonly template?: ClaimTemplate }[];
  readonly subjectAlternativeName: ClaimTemplate;
}

/** A parsed issuer configuration. */
export interface IssuerConfig extends IssuerLookup {
  readonly oidcIssuers: ReadonlyMap<string, IssuerEntry>;
  readonly metaIssuers: ReadonlyMap<string, IssuerEntry>;
  readonly ciMetadata: ReadonlyMap<string, CiMetadata>;
}

const TYPES: readonly IssuerType[] = ['email', 'uri', 'username', 'spiffe', 'github-workflow', 'gitlab-pipeline', 'buildkite-job', 'codefresh-workflow', 'chainguard-identity', 'ci-provider', 'kubernetes'];
const ENTRY_KEYS = new Set(['IssuerURL', 'ClientID', 'Type', 'CIProvider', 'SubjectDomain', 'SPIFFETrustDomain', 'IssuerClaim', 'ChallengeClaim', 'SkipEmailVerification', 'Description', 'Contact', 'Environment', 'CACert']);

function fail(message: string): never {
  throw new ConfigError('ERR_OIDC_CONFIG_INVALID', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(obj: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') fail(`${where}: ${key} must be a string`);
  return v;
}

/** The regular expression of a meta issuer pattern (Fulcio's metaRegex: `*` = `[-_a-zA-Z0-9]+`, anchored at the start only). */
function metaRegex(pattern: string): RegExp {
  const quoted = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  // Go's regexp.MatchString is unanchored; Fulcio relies on the quoted scheme and host. We
  // anchor both ends so `https://x.example/*` cannot match `https://x.example/a/b`.
  return new RegExp(`^${quoted.join('[-_a-zA-Z0-9]+')}$`);
}

function parseEntry(key: string, raw: unknown, meta: boolean): IssuerEntry {
  const where = `${meta ? 'MetaIssuers' : 'OIDCIssuers'}[${JSON.stringify(key)}]`;
  if (!isObject(raw)) fail(`${where} must be an object`);
  for (const k of Object.keys(raw)) if (!ENTRY_KEYS.has(k)) fail(`${where}: unknown field ${k}`);
  const type = raw['Type'];
  if (typeof type !== 'string' || !TYPES.includes(type as IssuerType)) fail(`${where}: Type must be one of ${TYPES.join(', ')}`);
  const issuerUrl = meta ? key : optionalString(raw, 'IssuerURL', where) ?? key;
  if (!/^https?:\/\/[^/]/.test(issuerUrl)) fail(`${where}: IssuerURL must be an http(s) URL`);
  const skip = raw['SkipEmailVerification'];
  if (skip !== undefined && typeof skip !== 'boolean') fail(`${where}: SkipEmailVerification must be a boolean`);
  const entry: IssuerEntry = {
    issuerUrl, clientId: optionalString(raw, 'ClientID', where) ?? 'sigstore', type: type as IssuerType,
    ...pick(raw, where, ['CIProvider', 'ciProvider'], ['SubjectDomain', 'subjectDomain'], ['SPIFFETrustDomain', 'spiffeTrustDomain'], ['IssuerClaim', 'issuerClaim'], ['ChallengeClaim', 'challengeClaim']),
    ...(skip === true ? { skipEmailVerification: true } : {}),
  };
  checkEntry(entry, where, meta);
  return Object.freeze(entry);
}

type OptionalText = 'ciProvider' | 'subjectDomain' | 'spiffeTrustDomain' | 'issuerClaim' | 'challengeClaim';

function pick(raw: Record<string, unknown>, where: string, ...pairs: [string, OptionalText][]): Partial<Record<OptionalText, string>> {
  const out: Partial<Record<OptionalText, string>> = {};
  for (const [from, to] of pairs) {
    const v = optionalString(raw, from, where);
    if (v !== undefined) out[to] = v;
  }
  return out;
}

// the checks of Fulcio's validateConfig, per type
function checkEntry(e: IssuerEntry, where: string, meta: boolean): void {
  if (e.issuerClaim !== undefined && e.type !== 'email') fail(`${where}: only email issuers can use IssuerClaim`);
  if (e.issuerClaim !== undefined && !/^\$(\.[^.]+)+$/.test(e.issuerClaim)) fail(`${where}: IssuerClaim must be a path like $.federated_claims.connector_id`);
  if (e.type === 'spiffe') {
    if (meta) fail(`${where}: SPIFFE meta issuers are not supported`);
    if (e.spiffeTrustDomain === undefined || !/^[a-z0-9._-]+$/.test(e.spiffeTrustDomain)) fail(`${where}: spiffe issuer needs a valid SPIFFETrustDomain`);
  }
  if (e.type === 'uri' && (e.subjectDomain === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(e.subjectDomain))) fail(`${where}: uri issuer needs a SubjectDomain with a scheme`);
  if (e.type === 'username' && (e.subjectDomain === undefined || e.subjectDomain.includes('://'))) fail(`${where}: username issuer needs a SubjectDomain without a scheme`);
  if (e.type === 'ci-provider' && e.ciProvider === undefined) fail(`${where}: ci-provider issuer needs CIProvider`);
}

function parseCiMetadata(name: string, raw: unknown): CiMetadata {
  const where = `CIIssuerMetadata[${JSON.stringify(name)}]`;
  if (!isObject(raw)) fail(`${where} must be an object`);
  const defaults = raw['DefaultTemplateValues'] ?? {};
  const templates = raw['ExtensionTemplates'] ?? raw['ClaimsTemplates'] ?? {};
  const san = raw['SubjectAlternativeNameTemplate'];
  if (!isObject(defaults) || Object.values(defaults).some((v) => typeof v !== 'string')) fail(`${where}: DefaultTemplateValues must map names to strings`);
  if (!isObject(templates)) fail(`${where}: ExtensionTemplates must be an object`);
  if (typeof san !== 'string' || san.trim() === '') fail(`${where}: SubjectAlternativeNameTemplate must be a non-empty string`);
  const extensions: CiMetadata['extensions'][number][] = [];
  for (const [key, value] of Object.entries(templates)) {
    const field = findExtensionField(key);
    if (key === 'Issuer' || key === 'issuer') continue; // Fulcio always takes the issuer from the token
    if (field === undefined) fail(`${where}: unknown extension field ${key}`);
    if (typeof value !== 'string') fail(`${where}: ExtensionTemplates.${key} must be a string`);
    if (value.trim() === '') continue;
    extensions.push(isTemplate(value) ? { field, value, template: parseClaimTemplate(value) } : { field, value });
  }
  extensions.sort((a, b) => compareOid(a.field.oid, b.field.oid));
  return { defaults: new Map(Object.entries(defaults as Record<string, string>)), extensions, subjectAlternativeName: parseClaimTemplate(san) };
}

function compareOid(a: string, b: string): number {
  return Number(a.split('.').at(-1)) - Number(b.split('.').at(-1));
}

/**
 * Parses Fulcio's JSON issuer configuration (already JSON-decoded). The built-in CI metadata
 * (GitHub, GitLab, Buildkite) is available unless the configuration overrides an entry.
 * @throws ERR_OIDC_CONFIG_INVALID naming the offending entry and field
 */
export function parseIssuerConfig(json: unknown): IssuerConfig {
  if (!isObject(json)) fail('the issuer configuration must be a json object');
  for (const k of Object.keys(json)) if (!['OIDCIssuers', 'MetaIssuers', 'CIIssuerMetadata'].includes(k)) fail(`unknown top-level field ${k}`);
  const section = (name: string): Record<string, unknown> => {
    const v = json[name] ?? {};
    if (!isObject(v)) fail(`${name} must be an object`);
    return v;
  };
  const oidc = new Map(Object.entries(section('OIDCIssuers')).map(([k, v]) => { const e = parseEntry(k, v, false); return [e.issuerUrl, e] as const; }));
  const meta = new Map(Object.entries(section('MetaIssuers')).map(([k, v]) => [k, parseEntry(k, v, true)] as const));
  const sources: Record<string, unknown> = { ...BUILTIN_CI_METADATA, ...section('CIIssuerMetadata') };
  const ci = new Map(Object.entries(sources).map(([k, v]) => [k, parseCiMetadata(k, v)] as const));
  for (const e of [...oidc.values(), ...meta.values()]) {
    if (e.type === 'ci-provider' && !ci.has(e.ciProvider ?? '')) fail(`issuer ${e.issuerUrl}: CIIssuerMetadata has no entry ${JSON.stringify(e.ciProvider)}`);
  }
  return createIssuerConfig(oidc, meta, ci);
}

function createIssuerConfig(oidc: ReadonlyMap<string, IssuerEntry>, meta: ReadonlyMap<string, IssuerEntry>, ci: ReadonlyMap<string, CiMetadata>): IssuerConfig {
  const patterns = [...meta.entries()].map(([pattern, entry]) => ({ re: metaRegex(pattern), entry }));
  return Object.freeze({
    oidcIssuers: oidc, metaIssuers: meta, ciMetadata: ci,
    findIssuer(issuerUrl: string): IssuerEntry | undefined {
      const exact = oidc.get(issuerUrl);
      if (exact !== undefined) return exact;
      const hit = patterns.find((p) => p.re.test(issuerUrl));
      return hit === undefined ? undefined : { ...hit.entry, issuerUrl };
    },
  });
}

/** The CI metadata a token of `entry` uses: its CIProvider's, or for legacy CI types the built-in one of the same name. */
export function ciMetadataFor(config: IssuerConfig, entry: IssuerEntry): CiMetadata | undefined {
  const name = entry.type === 'ci-provider' ? entry.ciProvider : entry.type;
  return name === undefined ? undefined : config.ciMetadata.get(name);
}

/**
 * The configuration `sigil server` uses when given none: the local issuer's email issuer at
 * `<issuerBase>` and its CI-shaped issuers under it (see docs/oidc.md), audience `sigstore`.
 */
export function defaultIssuerConfig(issuerBase: string): IssuerConfig {
  const base = issuerBase.replace(/\/+$/, '');
  return parseIssuerConfig({
    OIDCIssuers: {
      [base]: { IssuerURL: base, ClientID: 'sigstore', Type: 'email' },
      [`${base}/github-actions`]: { IssuerURL: `${base}/github-actions`, ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'github-workflow' },
      [`${base}/gitlab`]: { IssuerURL: `${base}/gitlab`, ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'gitlab-pipeline' },
      [`${base}/buildkite`]: { IssuerURL: `${base}/buildkite`, ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'buildkite-job' },
    },
  });
}
