import { createHash } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { headLeaf, inclusionPath, merkleRoot, verifyInclusion } from './merkle.js';

const h = (...parts: Array<string | Buffer>) => {
  const hash = createHash('sha256');
  parts.forEach((p) => hash.update(typeof p === 'string' ? Buffer.from(p, 'hex') : p));
  return hash.digest('hex');
};
const leaf = (text: string) => h(Buffer.from([0]), Buffer.from(text));
const node = (left: string, right: string) => h(Buffer.from([1]), left, right);

describe('RFC 6962 Merkle tree hash', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    expect(merkleRoot(['a'])).toBe(leaf('a'));
    expect(merkleRoot(['a', 'b'])).toBe(node(leaf('a'), leaf('b')));
  });

  it('splits an unbalanced tree at the largest power of two below n', () => {
    // n = 3: k = 2; n = 5: k = 4 (the fifth leaf hangs off the root on its own)
    expect(merkleRoot(['a', 'b', 'c'])).toBe(node(node(leaf('a'), leaf('b')), leaf('c')));
    const four = node(node(leaf('a'), leaf('b')), node(leaf('c'), leaf('d')));
    expect(merkleRoot(['a', 'b', 'c', 'd', 'e'])).toBe(node(four, leaf('e')));
  });

  it('changes when any leaf, or the order, changes', () => {
    const root = merkleRoot(['a', 'b', 'c', 'd']);
    expect(merkleRoot(['a', 'b', 'c', 'x'])).not.toBe(root);
    expect(merkleRoot(['b', 'a', 'c', 'd'])).not.toBe(root);
    expect(merkleRoot(['a', 'b', 'c'])).not.toBe(root);
  });

  it('makes a leaf of a case chain head', () => {
    expect(headLeaf({ caseId: 'c1', seq: 7, hash: 'ab' })).toBe('c1 7 ab');
  });

  describe('inclusion proofs (RFC 6962 audit path, RFC 9162 verification)', () => {
    const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => `case-${i} 1 ${'ab'.repeat(32)}`);

    it('prove every leaf of trees of 1 to 17 leaves, and nothing else', () => {
      for (let size = 1; size <= 17; size++) {
        const leaves = leavesOf(size);
        const root = merkleRoot(leaves);
        leaves.forEach((leaf, index) => {
          const proof = { leaf, index, size, path: inclusionPath(leaves, index), root };
          expect([size, index, verifyInclusion(proof)]).toEqual([size, index, true]);
          expect(verifyInclusion({ ...proof, leaf: `${leaf}x` })).toBe(false);
          expect(verifyInclusion({ ...proof, root: merkleRoot(leavesOf(size + 1)) })).toBe(false);
          if (size > 1) {
            expect(verifyInclusion({ ...proof, index: (index + 1) % size })).toBe(false);
            expect(verifyInclusion({ ...proof, path: proof.path.slice(1) })).toBe(false);
          }
        });
      }
    });

    it('has log2(n) siblings: the first sibling of leaf 0 is leaf 1', () => {
      const leaves = leavesOf(8);
      const path = inclusionPath(leaves, 0);
      expect(path).toHaveLength(3);
      expect(path[0]).toBe(leaf(leaves[1]));
    });

    it('refuses an index outside the tree', () => {
      const leaves = leavesOf(4);
      const root = merkleRoot(leaves);
      expect(verifyInclusion({ leaf: leaves[0], index: 4, size: 4, path: inclusionPath(leaves, 0), root })).toBe(false);
      expect(verifyInclusion({ leaf: leaves[0], index: -1, size: 4, path: inclusionPath(leaves, 0), root })).toBe(false);
    });
  });
});
