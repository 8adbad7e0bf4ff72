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
  const k = split(n);
  return sha256(NODE, treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
}

/** Hex root of the tree over `leaves` (each leaf's bytes, in order). */
export function merkleRoot(leaves: readonly (string | Buffer)[]): string {
  const bytes = leaves.map((leaf) => (typeof leaf === 'string' ? Buffer.from(leaf, 'utf8') : leaf));
  return treeHash(bytes, 0, bytes.length).toString('hex');
}

/** One case's chain head as a checkpoint leaf: `<caseId> <seq> <hash>`. */
export const headLeaf = (head: { caseId: string; seq: number; hash: string }): string => `${head.caseId} ${head.seq} ${head.hash}`;

/** The subtree size a tree of `n` leaves splits at: the largest power of two below n. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}

function path(leaves: readonly Buffer[], index: number, from: number, to: number): Buffer[] {
  const n = to - from;
  if (n <= 1) {
    return [];
  }
  const k = split(n);
  return index < k
    ? [...path(leaves, index, from, from + k), treeHash(leaves, from + k, to)]
    : [...path(leaves, index - k, from + k, to), treeHash(leaves, from, from + k)];
}

/** RFC 6962 §2.1.1 audit path: the sibling hashes that lead from leaf `index` to the root, hex. */
export function inclusionPath(leaves: readonly string[], index: number): string[] {
  const bytes = leaves.map((leaf) => Buffer.from(leaf, 'utf8'));
  return path(bytes, index, 0, bytes.length).map((hash) => hash.toString('hex'));
}

/**
 * RFC 9162 §2.1.3.2: does `leaf` sit at `index` of a tree of `size` leaves whose root is `root`? Anyone can
 * run this with the proof and a root they trust (one kept from an earlier checkpoint).
 */
export function verifyInclusion(proof: { leaf: string; index: number; size: number; path: readonly string[]; root: string }): boolean {
  const { index, size } = proof;
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) {
    return false;
  }
  let fn = index;
  let sn = size - 1;
  let r = sha256(LEAF, Buffer.from(proof.leaf, 'utf8'));
  for (const hex of proof.path) {
    const p = Buffer.from(hex, 'hex');
    if (sn === 0) {
      return false;
    }
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(NODE, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = sha256(NODE, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === proof.root;
}
