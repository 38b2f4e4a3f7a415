/**
 * What the Certificate Transparency log needs from outside: storage (an embedded SQLite adapter
 * implements it) and the log's signing key. Like the transparency log's LogStore, the log keeps
 * leaves, the perfect-subtree nodes proofs read, and the signed tree head of every batch.
 */

/** One logged entry (RFC 6962 §3.4, §4.6). */
export interface CtLeaf {
  /** 0-based position in the tree */
  readonly index: number;
  /** RFC 6962 leaf hash of `leafInput` */
  readonly leafHash: Uint8Array;
  /** the TLS MerkleTreeLeaf */
  readonly leafInput: Uint8Array;
  /** the chain (PrecertChainEntry or the x509 certificate_chain), as get-entries returns it */
  readonly extraData: Uint8Array;
}

/** Address and hash of a perfect-subtree node (level 0 holds leaf hashes). */
export interface CtNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/** A signed tree head (RFC 6962 §3.5). */
export interface SignedTreeHead {
  readonly treeSize: number;
  readonly timestampMs: number;
  readonly rootHash: Uint8Array;
  /** TLS DigitallySigned: hash algorithm, signature algorithm, u16 length, signature */
  readonly signature: Uint8Array;
}

/** Read side of CT storage. */
export interface CtReader {
  latestHead(): Promise<SignedTreeHead | undefined>;
  /** Leaves [start, end), in order; fewer when the log is shorter. */
  leaves(start: number, end: number): Promise<readonly CtLeaf[]>;
  /** The index of the first leaf with `leafHash`, if any. */
  indexOfLeafHash(leafHash: Uint8Array): Promise<number | undefined>;
  /**
   * The hashes of the nodes at `ids`, in order.
   * @throws ERR_CT_STORAGE when one is missing
   */
  nodes(ids: readonly { level: number; index: number }[]): Promise<readonly Uint8Array[]>;
}

/** Write side of CT storage: a batch of consecutive leaves, the nodes they complete, and the new head, atomically. */
export interface CtWriter {
  /** @throws ERR_CT_STORAGE when the stored size is not the first leaf's index, or the write fails */
  append(leaves: readonly CtLeaf[], nodes: readonly CtNode[], head: SignedTreeHead): Promise<void>;
}

/** A whole CT storage backend. */
export interface CtStore extends CtReader, CtWriter {
  close(): Promise<void>;
}

/** The log key: ECDSA P-256 over SHA-256, ASN.1 DER signatures. */
export interface CtSigner {
  readonly spkiDer: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}
