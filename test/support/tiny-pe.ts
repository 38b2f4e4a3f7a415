// Builds a minimal, valid PE32 or PE32+ image (one .text section holding `xor eax,eax; ret`), deterministic,
// so osslsigncode has something real to sign. Layout per the Microsoft PE/COFF specification.

/** Options for the generated image. */
export interface TinyPeOptions { readonly pe32Plus: boolean; readonly code?: Uint8Array }

/** A 1 KiB PE image: headers in [0, 0x200), the .text section in [0x200, 0x400). */
export function buildTinyPe(options: TinyPeOptions): Uint8Array {
  const file = new Uint8Array(0x400);
  const v = new DataView(file.buffer);
  file.set([0x4d, 0x5a], 0); // MZ
  v.setUint32(0x3c, 0x40, true); // e_lfanew
  file.set([0x50, 0x45, 0, 0], 0x40); // PE\0\0
  const coff = 0x44;
  const optSize = options.pe32Plus ? 240 : 224;
  v.setUint16(coff, options.pe32Plus ? 0x8664 : 0x14c, true);
  v.setUint16(coff + 2, 1, true); // NumberOfSections
  v.setUint16(coff + 16, optSize, true);
  v.setUint16(coff + 18, options.pe32Plus ? 0x22 : 0x102, true);
  const opt = coff + 20;
  v.setUint16(opt, options.pe32Plus ? 0x20b : 0x10b, true);
  v.setUint8(opt + 2, 14);
  v.setUint32(opt + 4, 0x200, true); // SizeOfCode
  v.setUint32(opt + 16, 0x1000, true); // AddressOfEntryPoint
  v.setUint32(opt + 20, 0x1000, true); // BaseOfCode
  if (options.pe32Plus) v.setBigUint64(opt + 24, 0x140000000n, true);
  else { v.setUint32(opt + 24, 0x2000, true); v.setUint32(opt + 28, 0x400000, true); }
  v.setUint32(opt + 32, 0x1000, true); // SectionAlignment
  v.setUint32(opt + 36, 0x200, true); // FileAlignment
  v.setUint16(opt + 40, 6, true); // OS version
  v.setUint16(opt + 48, 6, true); // subsystem version
  v.setUint32(opt + 56, 0x2000, true); // SizeOfImage
  v.setUint32(opt + 60, 0x200, true); // SizeOfHeaders
  v.setUint16(opt + 68, 3, true); // console subsystem
  v.setUint16(opt + 70, 0x8160, true);
  const tail = options.pe32Plus ? 72 : 72;
  if (options.pe32Plus) {
    v.setBigUint64(opt + tail, 0x100000n, true); v.setBigUint64(opt + tail + 8, 0x1000n, true);
    v.setBigUint64(opt + tail + 16, 0x100000n, true); v.setBigUint64(opt + tail + 24, 0x1000n, true);
    v.setUint32(opt + 108, 16, true);
  } else {
    v.setUint32(opt + tail, 0x100000, true); v.setUint32(opt + tail + 4, 0x1000, true);
    v.setUint32(opt + tail + 8, 0x100000, true); v.setUint32(opt + tail + 12, 0x1000, true);
    v.setUint32(opt + 92, 16, true);
  }
  const sec = opt + optSize;
  file.set([0x2e, 0x74, 0x65, 0x78, 0x74], sec); // .text
  v.setUint32(sec + 8, 0x10, true); // VirtualSize
  v.setUint32(sec + 12, 0x1000, true); // VirtualAddress
  v.setUint32(sec + 16, 0x200, true); // SizeOfRawData
  v.setUint32(sec + 20, 0x200, true); // PointerToRawData
  v.setUint32(sec + 36, 0x60000020, true);
  file.set(options.code ?? [0x31, 0xc0, 0xc3], 0x200);
  return file;
}
