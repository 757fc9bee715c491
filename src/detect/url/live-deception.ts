/**
 * The deception rules (deception.ts: userinfo; homograph.ts: IDN homographs, with the model's popularity
 * table) in live scoring (live.ts): the URL as a log line writes it is read before it is put in findings'
 * form, which drops userinfo and writes the host in punycode. A URL a rule fires on is a finding
 * at any score (its score stays the model's), its own row whatever its host's budget, and every finding
 * of that URL names the rule while it is remembered, so that a later sighting without userinfo does not
 * replace the explanation that says it.
 */
import { LRUCache } from 'lru-cache';
import type { Explanation } from '../detector.js';
import { deceptionOf, withDeception, type UrlDeception } from './deception.js';
import { MAYBE_IDN } from './homograph.js';
import type { PopularityTable } from './popularity.js';

/** URLs (findings' form) remembered with what the rule found in them. */
const REMEMBERED = 10_000;

export class LiveDeceptions {
  private readonly seen = new LRUCache<string, UrlDeception>({ max: REMEMBERED });

  /**
   * The rules on `raw` (a URL as the line writes it; `table`: the model's popularity table), remembered
   * for `url`, its findings' form; null when neither fires. A password part is never kept (deception.ts
   * writes it `:…`).
   */
  check(raw: string, url: string, table: PopularityTable | null = null): UrlDeception | null {
    // most URLs hold no `@` and no host other than ASCII (findings' form has it in punycode): nothing to parse
    if (!raw.includes('@') && !(table !== null && MAYBE_IDN.test(raw))) return null;
    const d = deceptionOf(raw, table);
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
