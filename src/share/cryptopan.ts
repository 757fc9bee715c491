/**
 * Crypto-PAn (Xu, Fan, Ammar, Moon 2002): prefix-preserving IP address anonymization. Two addresses that
 * share their first k bits map to two that share exactly their first k bits, so subnets stay subnets
 * while no address can be read back without the key. AES-128 (node:crypto) is the pseudorandom function;
 * the key is 32 bytes: 16 of AES key, 16 whose encryption is the pad. IPv6 is the same construction over
 * 128 bits (as the Go and Rust ports do); IPv4 is the reference implementation's (its published vectors
 * are the tests), which is the 128-bit one with the address in the first 32 bits.
 */
import { createCipheriv, type Cipher } from 'node:crypto';
import { formatIPv6, mappedIPv4, parseIp } from '../core/index.js';

/** addresses kept mapped; past this the cache starts over (a 200k-line export names far fewer) */
const CACHE_MAX = 50_000;

export class CryptoPan {
  private readonly cipher: Cipher;
  private readonly pad: Buffer;
  private readonly cache = new Map<string, string>();

  /** `key`: at least 32 bytes; the first 32 are used */
  constructor(key: Uint8Array) {
    if (key.length < 32) throw new RangeError('Crypto-PAn needs a 32-byte key');
    this.cipher = createCipheriv('aes-128-ecb', key.subarray(0, 16), null).setAutoPadding(false);
    this.pad = this.encrypt(Buffer.from(key.subarray(16, 32)));
  }

  private encrypt(blocks: Buffer): Buffer {
    // ECB without padding: every 16 bytes are one block, enciphered on their own, so one update does all
    return this.cipher.update(blocks);
  }

  /** The anonymized bits of `addr` (4 or 16 bytes, network order). */
  anonymizeBytes(addr: Uint8Array): Uint8Array {
    const bits = addr.length * 8;
    const blocks = Buffer.alloc(bits * 16);
    for (let pos = 0; pos < bits; pos++) {
      // the first `pos` bits from the address, the rest from the pad
      const at = pos * 16;
      this.pad.copy(blocks, at);
      const whole = pos >> 3;
      for (let i = 0; i < whole; i++) blocks[at + i] = addr[i]!;
      const part = pos & 7;
      if (part > 0) {
        const keep = (0xff << (8 - part)) & 0xff;
        blocks[at + whole] = (addr[whole]! & keep) | (this.pad[whole]! & ~keep & 0xff);
      }
    }
    const out = this.encrypt(blocks);
    const result = new Uint8Array(addr.length);
    for (let pos = 0; pos < bits; pos++) {
      const flip = out[pos * 16]! >> 7;
      result[pos >> 3]! |= flip << (7 - (pos & 7));
    }
    for (let i = 0; i < addr.length; i++) result[i] = result[i]! ^ addr[i]!;
    return result;
  }

  /**
   * The anonymized address of `text` in canonical form (IPv4 dotted, IPv6 as RFC 5952 writes it; an
   * IPv4-mapped IPv6 address keeps that form around its anonymized IPv4, so it joins the plain one), or
   * null when `text` is no address.
   */
  anonymize(text: string): string | null {
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const ip = parseIp(text);
    if (ip === null) return null;
    const mapped = mappedIPv4(ip);
    let out: string;
    if (mapped !== null) out = `::ffff:${this.anonymize(mapped)!}`;
    else {
      const bytes = this.anonymizeBytes(Buffer.from(ip.hex, 'hex'));
      if (ip.version === 4) out = bytes.join('.');
      else {
        const groups: number[] = [];
        for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
        out = formatIPv6(groups);
      }
    }
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(text, out);
    return out;
  }
}
