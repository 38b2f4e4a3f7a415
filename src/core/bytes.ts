/**
 * Byte helpers: UTF-8, base64, and collecting streams with a size limit.
 */
import { InputError } from './errors.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of `text`. */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Decodes strict UTF-8.
 * @throws ERR_INPUT_INVALID when the bytes are not valid UTF-8
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new InputError('ERR_INPUT_INVALID', 'bytes are not valid utf-8', { cause });
  }
}

/** Concatenates chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.byteLength; }
  return out;
}

/**
 * Reads a whole stream into memory, refusing more than `limitBytes`.
 * @throws the error made by `onLimit` once the stream passes the limit
 */
export async function collectBytes(
  stream: AsyncIterable<Uint8Array>,
  limitBytes: number,
  onLimit: (limitBytes: number) => Error = (n) => new InputError('ERR_HTTP_BODY_TOO_LARGE', `body larger than ${n} bytes`),
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > limitBytes) throw onLimit(limitBytes);
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}
