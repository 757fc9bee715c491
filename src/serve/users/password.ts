/**
 * Password hashing with scrypt (node:crypto): a per-user random salt and the cost parameters are
 * recorded beside the hash, so the cost can be raised later without breaking stored users.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLen: number;
}

/**
 * OWASP's minimum for scrypt, N=2^17 r=8 p=1: 128 MiB and about 0.9 s a hash on this 2-core machine
 * (load ~2.5; 2026-11-30), so hashes are gated (users/hash-gate.ts, `HASHES_DEFAULT`). 2^15 keeps tests fast but is below it.
 */
export const SCRYPT_DEFAULT: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1, keyLen: 32 });

export interface PasswordHash {
  /** `scrypt$N$r$p$<salt b64>$<hash b64>` */
  encoded: string;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * 2 + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, params.keyLen, opts, (err, key) => (err === null ? resolve(key) : reject(err))));
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_DEFAULT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Decoded {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function decode(encoded: string): Decoded | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p, keyLen: key.length }, salt, key };
}

/** Constant-time comparison of the derived key; false for a malformed stored hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const d = decode(encoded);
  if (d === null) return false;
  const key = await derive(password, d.salt, d.params);
  return timingSafeEqual(key, d.key);
}

/** A hash to verify against when the user does not exist, so that both cases cost the same time. */
let dummy: Promise<string> | null = null;
export function dummyHash(params: ScryptParams = SCRYPT_DEFAULT): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('base64'), params);
  return dummy;
}

/** A random password for the first admin: 20 base64url characters (120 bits). */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}
