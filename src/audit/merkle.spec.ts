import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { headLeaf, merkleRoot } from './merkle.js';

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
});
