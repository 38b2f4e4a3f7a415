// The Merkle core: RFC 6962 hashing, proof node selection (which nodes storage must read),
// pure proof verification, compact ranges, signed notes and checkpoints. No I/O.
export * from './hasher.ts';
export * from './node-id.ts';
export * from './proof.ts';
export * from './verify.ts';
export * from './compact-range.ts';
export * from './note.ts';
export * from './note-key.ts';
export * from './checkpoint.ts';
