/**
 * The Notary Project trust policy (notation's `trustpolicy.json`, version 1.0; Notary Project
 * "Trust Store and Trust Policy" specification): which policy applies to a repository (an exact
 * registry scope, else the global `*` one), which named trust stores it trusts, which signing
 * identities (`x509.subject:` attribute sets, or `*`), and how each validation is treated at its
 * verification level (strict, permissive, audit, skip, with overrides). Parsing refuses every
 * constraint the specification puts on the document.
 */
import { ConfigError } from '../core/index.ts';

/** What a failed validation does: fail the signature, or be reported and let it pass. */
export type CheckAction = 'enforce' | 'log';

/** The action of each validation after the level and its overrides. */
export interface PolicyChecks {
  readonly authenticity: CheckAction;
  readonly authenticTimestamp: CheckAction;
  readonly expiry: CheckAction;
  readonly revocation: CheckAction | 'skip';
}

/** One trusted identity: the subject attributes a signing certificate must carry, each with its value. */
export type TrustedIdentity = ReadonlyMap<string, string>;

/** One trust policy statement. */
export interface NotaryPolicyStatement {
  readonly name: string;
  readonly registryScopes: readonly string[];
  readonly level: 'strict' | 'permissive' | 'audit' | 'skip';
  readonly checks: PolicyChecks;
  /** `ca:<name>`, `signingAuthority:<name>`, `tsa:<name>` */
  readonly trustStores: readonly string[];
  /** `'*'` for any identity the stores' CAs issued */
  readonly trustedIdentities: '*' | readonly TrustedIdentity[];
}

/** A parsed trust policy document. */
export interface NotaryTrustPolicy {
  readonly statements: readonly NotaryPolicyStatement[];
}

const LEVELS: Readonly<Record<string, PolicyChecks>> = {
  strict: { authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' },
  permissive: { authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  audit: { authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  skip: { authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'skip' },
};
const OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  authenticity: ['enforce', 'log'], authenticTimestamp: ['enforce', 'log'], expiry: ['enforce', 'log'], revocation: ['enforce', 'log', 'skip'],
};
const STORE_TYPES = ['ca', 'signingAuthority', 'tsa'];

function fail(message: string): never {
  throw new ConfigError('ERR_CONFIG_INVALID', `trust policy: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || s === '')) fail(`${where} must be a non-empty array of strings`);
  return v as string[];
}

/** Splits an RDN sequence at unescaped commas and reads `TYPE=value` pairs, undoing `\,` `\;` `\\` `\ ` escapes. */
function parseDn(text: string, where: string): Map<string, string> {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) { cur += c + (text[i + 1] ?? ''); i += 1; continue; }
    if (c === ',') { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  parts.push(cur);
  const out = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) fail(`${where}: ${JSON.stringify(part.trim())} is not TYPE=value`);
    const type = part.slice(0, eq).trim().toUpperCase();
    // unescaped spaces around the value are not part of it; an escaped one (`\ `) is
    const raw = part.slice(eq + 1).replace(/^ +/, '').replace(/(?<!\\) +$/, '');
    const value = raw.replace(/\\(.)/g, '$1');
    if (value === '') fail(`${where}: ${type} has no value`);
    if (out.has(type)) fail(`${where}: ${type} appears twice`);
    out.set(type, value);
  }
  return out;
}

function parseIdentity(text: string, where: string): TrustedIdentity {
  const m = /^x509\.subject:\s*(.+)$/s.exec(text);
  if (!m) fail(`${where}: ${JSON.stringify(text)} is neither "*" nor "x509.subject: <DN>"`);
  const dn = parseDn(m[1] ?? '', where);
  for (const needed of ['C', 'ST', 'O']) if (!dn.has(needed)) fail(`${where}: an x509.subject identity must name C, ST and O (${needed} is missing)`);
  return dn;
}

// two identities overlap when one's attributes are all in the other with the same values
function overlaps(a: TrustedIdentity, b: TrustedIdentity): boolean {
  const within = (x: TrustedIdentity, y: TrustedIdentity): boolean => [...x].every(([k, v]) => y.get(k) === v);
  return within(a, b) || within(b, a);
}

function parseChecks(level: string, raw: unknown, where: string): PolicyChecks {
  const base = LEVELS[level];
  if (!base) fail(`${where}.level must be strict, permissive, audit or skip`);
  if (raw === undefined) return base;
  if (level === 'skip') fail(`${where}: the skip level cannot be overridden`);
  if (!isObject(raw)) fail(`${where}.override must be an object`);
  const out: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(raw)) {
    const allowed = OVERRIDES[key];
    if (!allowed) fail(`${where}.override: ${key} cannot be overridden (authenticity, authenticTimestamp, expiry, revocation can)`);
    if (typeof value !== 'string' || !allowed.includes(value)) fail(`${where}.override.${key} must be one of ${allowed.join(', ')}`);
    out[key] = value;
  }
  return out as unknown as PolicyChecks;
}

function parseStatement(raw: unknown, i: number): NotaryPolicyStatement {
  const where = `trustPolicies[${i}]`;
  if (!isObject(raw)) fail(`${where} must be an object`);
  const name = raw['name'];
  if (typeof name !== 'string' || name === '') fail(`${where}.name must be a non-empty string`);
  const scopes = stringArray(raw['registryScopes'], `${where}.registryScopes`);
  if (scopes.includes('*') && scopes.length > 1) fail(`${where}.registryScopes: "*" must be the only scope`);
  for (const s of scopes) if (s !== '*' && (s.includes('*') || !/^[^/\s]+\/[^\s]+$/.test(s))) fail(`${where}.registryScopes: ${JSON.stringify(s)} is not a fully qualified repository (registry/namespace/repository)`);
  const sv = raw['signatureVerification'];
  if (!isObject(sv)) fail(`${where}.signatureVerification must be an object with a level`);
  const level = String(sv['level'] ?? '');
  const checks = parseChecks(level, sv['override'], `${where}.signatureVerification`);
  if (level === 'skip') {
    if (scopes.includes('*')) fail(`${where}: the skip level cannot have the global scope "*"`);
    return { name, registryScopes: scopes, level, checks, trustStores: [], trustedIdentities: [] };
  }
  const stores = stringArray(raw['trustStores'], `${where}.trustStores`);
  for (const s of stores) {
    const [type, store, extra] = s.split(':');
    if (extra !== undefined || !type || !store || !STORE_TYPES.includes(type)) fail(`${where}.trustStores: ${JSON.stringify(s)} is not {ca|signingAuthority|tsa}:<name>`);
  }
  const ids = stringArray(raw['trustedIdentities'], `${where}.trustedIdentities`);
  let identities: NotaryPolicyStatement['trustedIdentities'];
  if (ids.includes('*')) {
    if (ids.length > 1) fail(`${where}.trustedIdentities: "*" must be the only identity`);
    identities = '*';
  } else {
    const parsed = ids.map((id) => parseIdentity(id, `${where}.trustedIdentities`));
    parsed.forEach((a, x) => parsed.forEach((b, y) => { if (x < y && overlaps(a, b)) fail(`${where}.trustedIdentities: ${JSON.stringify(ids[x])} and ${JSON.stringify(ids[y])} overlap`); }));
    identities = parsed;
  }
  return { name, registryScopes: scopes, level: level as NotaryPolicyStatement['level'], checks, trustStores: stores, trustedIdentities: identities };
}

/**
 * Parses a trust policy document (already JSON-decoded).
 * @throws ERR_CONFIG_INVALID naming the statement and field that break the specification
 */
export function parseNotaryTrustPolicy(doc: unknown): NotaryTrustPolicy {
  if (!isObject(doc)) fail('the document must be a JSON object');
  if (doc['version'] !== '1.0') fail(`version must be "1.0", got ${JSON.stringify(doc['version'])}`);
  const list = doc['trustPolicies'];
  if (!Array.isArray(list) || list.length === 0) fail('trustPolicies must be a non-empty array');
  const statements = list.map(parseStatement);
  const names = new Set<string>();
  const scopes = new Map<string, string>();
  for (const s of statements) {
    if (names.has(s.name)) fail(`two statements are named ${JSON.stringify(s.name)}`);
    names.add(s.name);
    for (const scope of s.registryScopes) {
      const other = scopes.get(scope);
      if (other !== undefined) fail(scope === '*' ? `only one statement may have the global scope ("${other}" and "${s.name}" both do)` : `${scope} is in two statements ("${other}" and "${s.name}")`);
      scopes.set(scope, s.name);
    }
  }
  return { statements };
}

/** The statement for a repository (`registry/namespace/repository`): its exact scope, else the global one. */
export function selectNotaryPolicy(policy: NotaryTrustPolicy, repository: string): NotaryPolicyStatement | undefined {
  return policy.statements.find((s) => s.registryScopes.includes(repository)) ?? policy.statements.find((s) => s.registryScopes.includes('*'));
}

/**
 * True when the signing certificate's subject (its attributes by short name, e.g. `C`, `O`, `CN`)
 * carries every attribute of one of the statement's identities with the same value.
 */
export function isTrustedIdentity(statement: NotaryPolicyStatement, subject: ReadonlyMap<string, string>): boolean {
  if (statement.trustedIdentities === '*') return true;
  return statement.trustedIdentities.some((id) => [...id].every(([k, v]) => subject.get(k) === v));
}
