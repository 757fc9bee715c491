/**
 * The userinfo-deception rule (deception.ts) in live scoring (live.ts): the URL as a log line writes it
 * is read before it is put in findings' form, which drops userinfo. A URL the rule fires on is a finding
 * at any score (its score stays the model's), its own row whatever its host's budget, and every finding
 * of that URL names the rule while it is remembered, so that a later sighting without userinfo does not
 * replace the explanation that says it.
 */
import { LRUCache } from 'lru-cache';
import type { Explanation } from '../detector.js';
import { userinfoDeception, withDeception, type UserinfoDeception } from './deception.js';

/** URLs (findings' form) remembered with what the rule found in them. */
const REMEMBERED = 10_000;

export class LiveDeceptions {
  private readonly seen = new LRUCache<string, UserinfoDeception>({ max: REMEMBERED });

  /**
   * The rule on `raw` (a URL as the line writes it), remembered for `url`, its findings' form; null when
   * it does not fire. Its password part is never kept (deception.ts writes it `:…`).
   */
  check(raw: string, url: string): UserinfoDeception | null {
    // most URLs hold no `@`: nothing to parse
    if (!raw.includes('@')) return null;
    const d = userinfoDeception(raw);
    if (d !== null) this.seen.set(url, d);
    return d;
  }

  /** `x`, the explanation of `url`'s score, naming the rule (summary and `detail.deception`) when it fired on the URL. */
  explained(url: string, x: Explanation): Explanation {
    const deception = this.seen.get(url);
    if (deception === undefined) return x;
    return withDeception(x, deception);
  }
}
