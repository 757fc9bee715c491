/** Gzip is recognised by its first two bytes (RFC 1952 ID1 ID2), never by a name. */
export function startsGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}
