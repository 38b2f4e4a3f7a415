/**
 * PEM (RFC 7468) blocks: decoding any number of labelled blocks, and encoding as Go's pem.Encode
 * does (64-character lines, `\n` endings, trailing newline), which Rekor's canonical bodies need.
 */
import { InputError } from './errors.ts';

/** One PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/**
 * Decodes every PEM block in `text`, in order; headers (`Proc-Type:` lines) are not supported.
 * @throws ERR_INPUT_INVALID when there is no block or a body is not base64
 */
export function decodePem(text: string): readonly PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = (m[2] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
      throw new InputError('ERR_INPUT_INVALID', `pem block ${m[1]} has a body that is not base64`);
    }
    blocks.push({ label: m[1] ?? '', der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  if (blocks.length === 0) throw new InputError('ERR_INPUT_INVALID', 'no pem block found');
  return blocks;
}

/** Encodes one block exactly as Go's encoding/pem.Encode. */
export function encodePem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}-----END ${label}-----\n`;
}
