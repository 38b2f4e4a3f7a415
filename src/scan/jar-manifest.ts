/**
 * JAR manifest and signature-file syntax (JAR File Specification, "Manifest Specification"):
 * sections of `Name: value` lines separated by blank lines, 72-byte lines continued by a leading
 * space. Each section keeps its raw bytes, blank line included, because signature files digest
 * sections byte for byte (the JDK's ManifestDigester does the same).
 */
import { InputError } from '../core/index.ts';

/** One section with its raw bytes and its attributes (names lowercased). */
export interface ManifestSection {
  /** the `Name` attribute; `""` for the main section */
  readonly name: string;
  readonly raw: Uint8Array;
  readonly attributes: ReadonlyMap<string, string>;
}

/** A parsed manifest or signature file. */
export interface Manifest {
  readonly main: ManifestSection;
  /** per-entry sections by name */
  readonly entries: ReadonlyMap<string, ManifestSection>;
}

interface Line { readonly text: string; readonly end: number }

// Splits at CRLF, LF or CR; `end` is the offset just past the line terminator.
function splitLines(bytes: Uint8Array): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < bytes.byteLength; i += 1) {
    const b = bytes[i];
    if (b !== 0x0a && b !== 0x0d) continue;
    const text = Buffer.from(bytes.subarray(start, i)).toString('utf8');
    if (b === 0x0d && bytes[i + 1] === 0x0a) i += 1;
    lines.push({ text, end: i + 1 });
    start = i + 1;
  }
  if (start < bytes.byteLength) lines.push({ text: Buffer.from(bytes.subarray(start)).toString('utf8'), end: bytes.byteLength });
  return lines;
}

function parseAttributes(lines: readonly Line[], what: string): Map<string, string> {
  const joined: string[] = [];
  for (const line of lines) {
    if (line.text.startsWith(' ')) {
      if (joined.length === 0) throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: continuation line without an attribute`);
      joined[joined.length - 1] += line.text.slice(1);
    } else {
      joined.push(line.text);
    }
  }
  const attributes = new Map<string, string>();
  for (const text of joined) {
    const colon = text.indexOf(': ');
    if (colon <= 0) throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: malformed attribute line ${JSON.stringify(text.slice(0, 80))}`);
    attributes.set(text.slice(0, colon).toLowerCase(), text.slice(colon + 2));
  }
  return attributes;
}

/**
 * Parses a MANIFEST.MF or .SF file.
 * @throws ERR_SCAN_FILE_MALFORMED for malformed lines or duplicate entry names
 */
export function parseManifest(bytes: Uint8Array, what: string): Manifest {
  const sections: ManifestSection[] = [];
  let current: Line[] = [];
  let start = 0;
  const close = (end: number): void => {
    const attributes = parseAttributes(current, what);
    sections.push({ name: sections.length === 0 ? '' : (attributes.get('name') ?? ''), raw: bytes.subarray(start, end), attributes });
    current = [];
    start = end;
  };
  for (const line of splitLines(bytes)) {
    if (line.text === '') {
      if (current.length > 0 || sections.length === 0) close(line.end);
      else start = line.end;
    } else {
      current.push(line);
    }
  }
  if (current.length > 0 || sections.length === 0) close(bytes.byteLength);
  const [main, ...rest] = sections;
  const entries = new Map<string, ManifestSection>();
  for (const s of rest) {
    if (s.name === '') throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: a section has no Name attribute`);
    if (entries.has(s.name)) throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what}: duplicate section ${JSON.stringify(s.name)}`);
    entries.set(s.name, s);
  }
  return { main: main ?? { name: '', raw: bytes, attributes: new Map() }, entries };
}

/** The `<ALG><suffix>` attributes of a section, e.g. suffix `-digest` gives `sha-256-digest` values keyed by `SHA-256`. */
export function listDigestAttributes(section: ManifestSection, suffix: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of section.attributes) {
    if (key.endsWith(suffix) && key.length > suffix.length) out.set(key.slice(0, -suffix.length).toUpperCase(), value);
  }
  return out;
}
