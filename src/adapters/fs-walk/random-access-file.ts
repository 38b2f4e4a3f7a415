/**
 * The scanner's RandomAccessFile port over a real file handle: positional reads only, so a huge
 * file is never read whole, and a read error becomes ERR_SCAN_FILE_UNREADABLE once, here.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../../core/index.ts';
import type { RandomAccessFile } from '../../scan/ports.ts';

/** A RandomAccessFile that must be closed. */
export interface OpenFile extends RandomAccessFile {
  close(): Promise<void>;
}

async function readAt(handle: FileHandle, path: string, size: number, offset: number, length: number): Promise<Uint8Array> {
  const want = Math.max(0, Math.min(length, size - offset));
  const buffer = new Uint8Array(want);
  let filled = 0;
  try {
    while (filled < want) {
      const { bytesRead } = await handle.read(buffer, filled, want - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (cause) {
    throw new InputError('ERR_SCAN_FILE_UNREADABLE', `cannot read ${path} at ${offset}`, { cause });
  }
  return buffer.subarray(0, filled);
}

/**
 * Opens a regular file for random access (non-blocking, so a path swapped for a FIFO cannot hang).
 * @throws ERR_SCAN_FILE_UNREADABLE when it cannot be opened; ERR_SCAN_FILE_UNSUPPORTED when it is not a regular file
 */
export async function openRandomAccessFile(path: string): Promise<OpenFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    throw new InputError('ERR_SCAN_FILE_UNREADABLE', `cannot open ${path}: ${typeof code === 'string' ? code : 'error'}`, { cause });
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new InputError('ERR_SCAN_FILE_UNSUPPORTED', `${path} is not a regular file`);
  }
  const size = info.size;
  return {
    sizeBytes: size,
    read: (offset, length) => readAt(handle, path, size, offset, length),
    close: () => handle.close(),
  };
}
