/**
 * The share key: at least 32 random bytes, kept in a file as hex or raw bytes. Its first 32 bytes are
 * Crypto-PAn's; the pseudonyms' HMAC key is derived from them, so one file keys both. What an export
 * says of it is a fingerprint (a keyed hash of a fixed string), from which the key cannot be found.
 */
import { createHmac } from 'node:crypto';

export const SHARE_KEY_BYTES = 32;

/** The key in a key file's bytes (hex text, whitespace around it allowed, or raw), or a reason it is none. */
export function readShareKey(bytes: Uint8Array): { key: Buffer } | { problem: string } {
  const text = Buffer.from(bytes).toString('latin1').trim();
  if (text.length > 0 && /^[0-9a-fA-F]+$/.test(text)) {
    if (text.length % 2 !== 0) return { problem: `it holds ${text.length} hex digits, an odd number` };
    if (text.length < SHARE_KEY_BYTES * 2) return { problem: `it holds ${text.length / 2} bytes in hex; a key is at least ${SHARE_KEY_BYTES}` };
    return { key: Buffer.from(text, 'hex').subarray(0, SHARE_KEY_BYTES) };
  }
  if (bytes.length < SHARE_KEY_BYTES) return { problem: `it holds ${bytes.length} bytes; a key is at least ${SHARE_KEY_BYTES} (hex or raw)` };
  return { key: Buffer.from(bytes).subarray(0, SHARE_KEY_BYTES) };
}

/** The fingerprint of a key: 16 hex digits of HMAC-SHA256(key, a fixed string). Two exports with one fingerprint can be joined. */
export function keyFingerprint(key: Uint8Array): string {
  return createHmac('sha256', key).update('nml-share key fingerprint v1').digest('hex').slice(0, 16);
}

/** hex digits of a pseudonym: 40 bits, so a site's some thousand names meet no collision in practice (1 in ~2 million for 1,000 names) */
const PSEUDONYM_HEX = 10;

/** Keyed pseudonyms: `user-3fa9c1d2e4`; the same value and key give the same one, another key another. */
export class Pseudonyms {
  private readonly hmacKey: Buffer;
  private readonly cache = new Map<string, string>();

  constructor(key: Uint8Array) {
    this.hmacKey = createHmac('sha256', key).update('nml-share pseudonyms v1').digest();
  }

  /** `kind`: the prefix (`user`, `host`, `mac`, `q`); `value`: compared as given (callers lowercase what is case-blind) */
  of(kind: string, value: string): string {
    const k = `${kind}\0${value}`;
    let p = this.cache.get(k);
    if (p === undefined) {
      p = `${kind}-${createHmac('sha256', this.hmacKey).update(k).digest('hex').slice(0, PSEUDONYM_HEX)}`;
      if (this.cache.size >= 50_000) this.cache.clear();
      this.cache.set(k, p);
    }
    return p;
  }
}

/** Whether `text` is one of these pseudonyms (of any kind): the check that nothing is named twice over. */
export const PSEUDONYM_RE = new RegExp(`^[a-z]+-[0-9a-f]{${PSEUDONYM_HEX}}$`);
