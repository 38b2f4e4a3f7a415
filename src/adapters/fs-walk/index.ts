export { walkFiles, type WalkItem } from './walk.ts';
export { openRandomAccessFile, type OpenFile } from './random-access-file.ts';
export { mapBounded } from './pool.ts';
