/**
 * `Idempotency-Key` on `POST /api/ingest`: a shipper whose answer was lost (a timeout, a dropped
 * connection) sends the request again with the same key, and the lines are stored once. The first
 * request with a key runs; one with the same key and body while it runs waits for its answer, and one
 * after it gets that answer again (`Idempotent-Replayed: true`) without storing anything. A request that
 * failed is forgotten, so its retry runs. The same key with another body is refused. Keys live per
 * principal for 24 hours and at most 10,000 at once (the oldest go first), in memory and, given a
 * journal (`nml serve`: `<data>/ingest-keys.db`), on disk once their lines are committed, so that a
 * retry after a restart is answered too.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../core/index.js';
import type { KeyJournal } from './ingest-keys.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
export const IDEMPOTENCY_MAX_KEYS = 10_000;
/** printable ASCII without spaces, as a UUID or a hash is */
const KEY = /^[\x21-\x7e]{1,200}$/;

interface Entry {
  fingerprint: string;
  at: number;
  /** the number of lines accepted */
  result: Promise<number>;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly maxKeys = IDEMPOTENCY_MAX_KEYS,
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly journal?: KeyJournal,
  ) {
    for (const r of journal?.load(now() - ttlMs, maxKeys) ?? []) {
      this.entries.set(r.id, { fingerprint: r.fingerprint, at: r.at, result: Promise.resolve(r.accepted) });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * `work` once per (scope, key, body, host): its answer, and whether it is a replay of an earlier request's.
   * Throws IDEMPOTENCY_KEY_INVALID for a key that is not one, IDEMPOTENCY_KEY_REUSED for a known key
   * with another body, and what `work` threw (for every request waiting on it; the key is then free).
   */
  async run(scope: string, key: string, body: string, work: () => Promise<number>, host?: string): Promise<{ value: number; replayed: boolean }> {
    if (!KEY.test(key)) {
      throw new AppError('IDEMPOTENCY_KEY_INVALID', 'bad_request', `ingest: the ${IDEMPOTENCY_HEADER} header must be 1 to 200 printable ASCII characters without spaces (a UUID, say); nothing was stored`);
    }
    this.expire();
    const id = `${scope}\u0000${key}`;
    // `?host=` is part of the request a key names; without one the fingerprint is the body's alone, as before hosts were given
    const hash = createHash('sha256').update(body);
    if (host !== undefined) hash.update(`\u0000host=${host}`);
    const fingerprint = hash.digest('base64');
    const known = this.entries.get(id);
    if (known !== undefined) {
      if (known.fingerprint !== fingerprint) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'bad_request', `ingest: ${IDEMPOTENCY_HEADER} ${JSON.stringify(key)} was used for another body (or another ?host=) within the last 24 hours; give each request its own key (a retry sends the same key with the same body); nothing was stored`);
      }
      return { value: await known.result, replayed: true };
    }
    const result = work();
    const at = this.now();
    this.entries.set(id, { fingerprint, at, result });
    // the map keeps insertion order: the oldest keys go first
    while (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    try {
      const value = await result;
      // its lines are committed: from now on a retry is answered, after a restart too
      this.journal?.record({ id, fingerprint, at, accepted: value }, this.now() - this.ttlMs, this.maxKeys);
      return { value, replayed: false };
    } catch (e) {
      if (this.entries.get(id)?.result === result) this.entries.delete(id);
      throw e;
    }
  }

  private expire(): void {
    const cut = this.now() - this.ttlMs;
    for (const [id, e] of this.entries) {
      if (e.at >= cut) break;
      this.entries.delete(id);
    }
  }
}
