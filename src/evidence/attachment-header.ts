/**
 * `Content-Disposition: attachment` for a stored file name (RFC 6266): an ASCII `filename` for old
 * clients, and `filename*` (RFC 5987/8187, UTF-8, percent-encoded) carrying the real name, e.g. a Chinese
 * one. Written here when the `content-disposition` package's current major (3) was the one in the tree: ESM-only,
 * declaring Node 22. Version 2, pinned now for @fastify/static, would do; these lines are tested and stay.
 */
export function attachmentHeader(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'evidence';
  if (fallback === filename) {
    return `attachment; filename="${filename}"`;
  }
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}

/** Percent-encodes everything outside RFC 5987's attr-char set. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
