import { createHash } from 'node:crypto';

/**
 * The Merkle tree hash of RFC 6962 §2.1 (Certificate Transparency), so anyone can recompute a checkpoint
 * with a few lines of code in any language: leaves are hashed with a 0x00 prefix, inner nodes with 0x01,
 * and a tree of n leaves splits at the largest power of two below n. The empty tree hashes to SHA-256("").
 */
const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
  }
  return hash.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

function treeHash(leaves: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 0) {
    return sha256();
  }
  if (n === 1) {
    return sha256(LEAF, leaves[from]);
  }
  let k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return sha256(NODE, treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
}

/** Hex root of the tree over `leaves` (each leaf's bytes, in order). */
export function merkleRoot(leaves: readonly (string | Buffer)[]): string {
  const bytes = leaves.map((leaf) => (typeof leaf === 'string' ? Buffer.from(leaf, 'utf8') : leaf));
  return treeHash(bytes, 0, bytes.length).toString('hex');
}

/** One case's chain head as a checkpoint leaf: `<caseId> <seq> <hash>`. */
export const headLeaf = (head: { caseId: string; seq: number; hash: string }): string => `${head.caseId} ${head.seq} ${head.hash}`;
