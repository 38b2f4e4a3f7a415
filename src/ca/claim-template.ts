/**
 * The subset of Go templates Fulcio's `ci-provider` configurations use
 * (pkg/identity/ciprovider): `{{ .claim }}`, `{{ if eq .claim "literal" }}…{{ else }}…{{ end }}`
 * and `{{ if .claim }}`. A missing key is an error (Fulcio sets `missingkey=error`). Fulcio runs
 * them through Go's html/template, which escapes every inserted value for an HTML text context;
 * we do the same so certificates carry the same bytes (`+` becomes `&#43;`).
 */
import { ConfigError, InputError } from '../core/index.ts';

type Node =
  | { readonly t: 'text'; readonly v: string }
  | { readonly t: 'value'; readonly key: string }
  | { readonly t: 'if'; readonly key: string; readonly eq?: string; readonly then: readonly Node[]; readonly else: readonly Node[] };

/** A parsed template. */
export interface ClaimTemplate {
  /** the template text as configured */
  readonly source: string;
  readonly nodes: readonly Node[];
}

// a key reference: `.claim`, or `index . "claim/with.dots"` with optional parentheses (3 groups)
const REF = String.raw`(?:\.([A-Za-z_][\w-]*)|\(?index\s+\.\s+"([^"\\]*)"\)?|\(\.([A-Za-z_][\w-]*)\))`;

function refKey(m: RegExpExecArray, first: number): string {
  return m[first] ?? m[first + 1] ?? m[first + 2] ?? '';
}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/gs;

/** True when `value` is a template (contains `{{`) rather than a bare claim name. */
export function isTemplate(value: string): boolean {
  return value.includes('{{');
}

/**
 * Parses a template.
 * @throws ERR_CONFIG_INVALID for an action outside the supported subset or unbalanced if/end
 */
export function parseClaimTemplate(source: string): ClaimTemplate {
  const tokens: ({ text: string } | { action: string })[] = [];
  let last = 0;
  for (const m of source.matchAll(ACTION)) {
    if (m.index > last) tokens.push({ text: source.slice(last, m.index) });
    tokens.push({ action: m[1] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < source.length) tokens.push({ text: source.slice(last) });
  const bad = (why: string): ConfigError => new ConfigError('ERR_OIDC_CONFIG_INVALID', `template ${JSON.stringify(source)}: ${why}`);
  let i = 0;
  const parseList = (): { nodes: Node[]; end: string | undefined } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const tok = tokens[i++]!;
      if ('text' in tok) { nodes.push({ t: 'text', v: tok.text }); continue; }
      const a = tok.action;
      if (a === 'else' || a === 'end') return { nodes, end: a };
      const value = new RegExp(`^${REF}$`).exec(a);
      if (value) { nodes.push({ t: 'value', key: refKey(value, 1) }); continue; }
      const cond = new RegExp(`^if\\s+(?:eq\\s+${REF}\\s+"([^"\\\\]*)"|${REF})$`).exec(a);
      if (!cond) throw bad(`unsupported action {{${a}}}`);
      const then = parseList();
      let otherwise: Node[] = [];
      if (then.end === 'else') {
        const rest = parseList();
        if (rest.end !== 'end') throw bad('if without end');
        otherwise = rest.nodes;
      } else if (then.end !== 'end') {
        throw bad('if without end');
      }
      const eq = cond[4];
      const key = eq === undefined ? refKey(cond, 5) : refKey(cond, 1);
      nodes.push(eq === undefined ? { t: 'if', key, then: then.nodes, else: otherwise } : { t: 'if', key, eq, then: then.nodes, else: otherwise });
    }
    return { nodes, end: undefined };
  };
  const top = parseList();
  if (top.end !== undefined) throw bad(`unexpected {{${top.end}}}`);
  return { source, nodes: top.nodes };
}

// Go html/template's escaper for text context (htmlEscaper / htmlReplacementTable)
const HTML_ESCAPES: Readonly<Record<string, string>> = { '\0': '\uFFFD', '"': '&#34;', '&': '&amp;', "'": '&#39;', '+': '&#43;', '<': '&lt;', '>': '&gt;' };

function escapeHtml(text: string): string {
  return text.replace(/[\0"&'+<>]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Evaluates a template over `data`.
 * @throws ERR_OIDC_IDENTITY_INVALID when a key the template reads is missing
 */
export function evaluateClaimTemplate(template: ClaimTemplate, data: ReadonlyMap<string, string>, issuer: string): string {
  const read = (key: string): string => {
    const v = data.get(key);
    if (v === undefined) throw new InputError('ERR_OIDC_IDENTITY_INVALID', `value <${key}> not present in either claims or defaults; issuer: ${issuer}`, { details: { claim: key } });
    return v;
  };
  const run = (nodes: readonly Node[]): string => nodes.map((n) => {
    if (n.t === 'text') return n.v;
    if (n.t === 'value') return escapeHtml(read(n.key));
    const v = read(n.key);
    const truthy = n.eq === undefined ? v !== '' : v === n.eq;
    return run(truthy ? n.then : n.else);
  }).join('');
  return run(template.nodes);
}
