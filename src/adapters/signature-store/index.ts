export * from './read.ts';
export * from './write.ts';
export * from './companions.ts';
export * from './merge.ts';
export * from './write-bundle.ts';
export * from './read-bundles.ts';
export * from './read-attestations.ts';
