/**
 * The Rekor v1 `LogEntry` answer: `{"<entry ID>": {body, integratedTime, logID, logIndex,
 * verification: {inclusionProof, signedEntryTimestamp}}}`, exactly one key (research §2.6).
 * The SET signs the JCS of {body, integratedTime, logID, logIndex} (§2.7).
 */
import { encodeBase64, encodeHex } from '../core/index.ts';
import { encodeSetPayload } from '../bundle/index.ts';
import { entryIdOf } from './identifiers.ts';
import type { LogSigner } from './log-signer.ts';
import type { LogLeaf, TreeHead } from './ports.ts';

/** What every entry answer needs to know about the log. */
export interface EntryContext {
  readonly treeId: bigint;
  readonly logIdHex: string;
  readonly signer: LogSigner;
}

/** The inclusion proof object of a LogEntry. */
export interface InclusionProofJson {
  readonly checkpoint: string;
  readonly hashes: readonly string[];
  readonly logIndex: number;
  readonly rootHash: string;
  readonly treeSize: number;
}

/** One LogEntry value (the object under the entry ID). */
export interface LogEntryJson {
  readonly body: string;
  readonly integratedTime: number;
  readonly logID: string;
  readonly logIndex: number;
  readonly verification: {
    readonly inclusionProof: InclusionProofJson;
    readonly signedEntryTimestamp: string;
  };
}

/**
 * The LogEntry map for `leaf`, proven against `head` with `proof` (leaf to root). Single shard:
 * the global log index equals the tree-local one.
 */
export function encodeLogEntry(ctx: EntryContext, leaf: LogLeaf, head: TreeHead, proof: readonly Uint8Array[]): Record<string, LogEntryJson> {
  const body = encodeBase64(leaf.body);
  const set = ctx.signer.sign(encodeSetPayload(body, leaf.integratedTime, ctx.logIdHex, leaf.index));
  const entry: LogEntryJson = {
    body,
    integratedTime: leaf.integratedTime,
    logID: ctx.logIdHex,
    logIndex: leaf.index,
    verification: {
      inclusionProof: {
        checkpoint: head.checkpoint,
        hashes: proof.map(encodeHex),
        logIndex: leaf.index,
        rootHash: encodeHex(head.rootHash),
        treeSize: head.size,
      },
      signedEntryTimestamp: encodeBase64(set),
    },
  };
  return { [entryIdOf(ctx.treeId, leaf.leafHash)]: entry };
}
