/**
 * What the scanner needs from the outside world: random-access reads of one file. The real
 * implementation (adapters/fs-walk) reads a file handle; tests pass bytes in memory.
 */

/** One file opened for random-access reads; never read whole unless small. */
export interface RandomAccessFile {
  readonly sizeBytes: number;
  /**
   * Reads `length` bytes at `offset`; resolves to fewer bytes only at end of file.
   * @throws ERR_SCAN_FILE_UNREADABLE when the read fails
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}
