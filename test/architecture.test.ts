// Enforces STYLE.md's import rules: which src/ folder may import which, and where real I/O may live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  merkle: ['core'],
  oci: ['core'],
  bundle: ['core'],
  ca: ['core'],
  oidc: ['core'],
  ct: ['core', 'merkle'],
  verify: ['core', 'merkle', 'oci', 'bundle'],
  sign: ['core', 'oci', 'bundle'],
  tlog: ['core', 'merkle', 'bundle'],
  registry: ['core', 'oci'],
  scan: ['core', 'oci', 'bundle', 'verify'],
  adapters: ['core', 'merkle', 'oci', 'bundle'],
  http: ['core'],
  server: ['core', 'merkle', 'oci', 'bundle', 'ca', 'oidc', 'ct', 'verify', 'sign', 'tlog', 'registry', 'scan', 'adapters', 'http'],
  cli: ['core', 'merkle', 'oci', 'bundle', 'ca', 'oidc', 'ct', 'verify', 'sign', 'tlog', 'registry', 'scan', 'adapters', 'http', 'server'],
};
const IO_FOLDERS = new Set(['adapters', 'server', 'cli']);

// Real I/O, per STYLE.md §2; `http` may use node:http only.
const IO_PATTERNS: readonly [RegExp, string][] = [
  [/\bfetch\(/, 'fetch'],
  [/from 'node:(fs|fs\/promises|net|https?|child_process|dgram|tls|dns|os|worker_threads)'/, 'node I/O module'],
  [/\bprocess\.(?!env\b)[a-zA-Z]/, 'process.*'],
  [/\bprocess\.env\b/, 'process.env'],
  [/\bconsole\./, 'console.*'],
  [/\bDate\.now\(/, 'Date.now()'],
  [/\bnew Date\(\)/, 'argument-less new Date()'],
  [/\bMath\.random\(/, 'Math.random()'],
  [/\b(randomBytes|randomUUID|getRandomValues)\(/, 'crypto randomness'],
];

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const files = listTs(src).map((p) => ({ path: p, rel: relative(src, p), folder: relative(src, p).split('/')[0] ?? '' }));

test('every src folder is known to the import table', () => {
  for (const f of files) {
    if (f.rel === 'index.ts') continue;
    assert.ok(f.folder in MAY_IMPORT, `${f.rel}: folder ${f.folder} has no row in the import table`);
  }
});

test('folders import only what the style guide allows', () => {
  const violations: string[] = [];
  for (const f of files) {
    if (f.rel === 'index.ts') continue;
    const allowed = new Set([f.folder, ...(MAY_IMPORT[f.folder] ?? [])]);
    const text = readFileSync(f.path, 'utf8');
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const target = relative(src, resolve(dirname(f.path), m[3] ?? ''));
      const targetFolder = target.split('/')[0] ?? '';
      if (allowed.has(targetFolder)) continue;
      // adapters may take types from any folder's ports.ts
      if (f.folder === 'adapters' && m[2] && target.endsWith('/ports.ts')) continue;
      violations.push(`${f.rel} imports ${target}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('real I/O lives only in adapters, server and cli', () => {
  const violations: string[] = [];
  for (const f of files) {
    if (IO_FOLDERS.has(f.folder) || f.rel === 'index.ts') continue;
    let text = stripComments(readFileSync(f.path, 'utf8'));
    if (f.folder === 'http') text = text.replace(/from 'node:http'/g, '');
    for (const [pattern, what] of IO_PATTERNS) {
      if (f.rel.startsWith('core/crypto/') && what === 'crypto randomness') continue;
      if (pattern.test(text)) violations.push(`${f.rel} uses ${what}`);
    }
    if (/from 'node:crypto'/.test(text) && !f.rel.startsWith('core/crypto/')) violations.push(`${f.rel} imports node:crypto outside core/crypto/`);
  }
  assert.deepEqual(violations, []);
});

test('only cli/exit.ts sets the exit status', () => {
  for (const f of files) {
    const text = stripComments(readFileSync(f.path, 'utf8'));
    if (/process\.exitCode\s*=|process\.exit\(/.test(text)) assert.equal(f.rel, 'cli/exit.ts', `${f.rel} sets the exit status`);
  }
});

test('no default exports and no any', () => {
  const violations: string[] = [];
  for (const f of files) {
    const text = stripComments(readFileSync(f.path, 'utf8'));
    if (/^export default\b/m.test(text)) violations.push(`${f.rel}: default export`);
    if (/[:<,]\s*any\b(?![-\w])/.test(text)) violations.push(`${f.rel}: any`);
  }
  assert.deepEqual(violations, []);
});
