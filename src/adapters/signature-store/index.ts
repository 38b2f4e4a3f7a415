export * from './read.ts';
export * from './write.ts';
export * from './companions.ts';
export * from './merge.ts';
export * from './write-bundle.ts';
