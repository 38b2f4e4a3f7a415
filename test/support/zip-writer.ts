// A small zip writer for tests (PKWARE APPNOTE §4.3): stored or deflated entries, optional lies in
// the declared sizes, and zip64 end records, so the reader's limits and checks can be driven.
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry to write. */
export interface ZipInput {
  readonly name: string;
  readonly data: Uint8Array;
  readonly deflate?: boolean;
  /** write this uncompressed size instead of the real one */
  readonly declaredSize?: number;
  /** write this CRC instead of the real one */
  readonly crc?: number;
}

function u16(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; }
function u64(n: number): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; }

/** Builds a zip file; `zip64` adds zip64 end records with the classic fields saturated. */
export function buildZip(inputs: readonly ZipInput[], options: { zip64?: boolean } = {}): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of inputs) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : Buffer.from(e.data);
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.byteLength;
    const method = e.deflate ? 8 : 0;
    const common = [u16(20), u16(0x0800), u16(method), u16(0), u16(0), u32(crc), u32(body.byteLength), u32(size), u16(name.byteLength)];
    const local = Buffer.concat([u32(0x04034b50), ...common, u16(0), name, body]);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), ...common, u16(0), u16(0), u16(0), u16(0), u32(0), u32(offset), name]));
    locals.push(local);
    offset += local.byteLength;
  }
  const cd = Buffer.concat(central);
  const parts: Buffer[] = [...locals, cd];
  if (options.zip64) {
    const eocd64At = offset + cd.byteLength;
    parts.push(Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(inputs.length), u64(inputs.length), u64(cd.byteLength), u64(offset)]));
    parts.push(Buffer.concat([u32(0x07064b50), u32(0), u64(eocd64At), u32(1)]));
    parts.push(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(0xffff), u16(0xffff), u32(0xffffffff), u32(0xffffffff), u16(0)]));
  } else {
    parts.push(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(inputs.length), u16(inputs.length), u32(cd.byteLength), u32(offset), u16(0)]));
  }
  return new Uint8Array(Buffer.concat(parts));
}
