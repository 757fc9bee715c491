/** A host's summed finding in live URL scoring (live.ts): its flagged URLs past its budget, counted. */
import type { NewFinding } from '../detector.js';
import { FINDINGS_APP } from '../findings/log-line.js';
import type { UrlDeception } from './deception.js';
import { hostEntity, quiet, utcText } from './live-text.js';
import { hash32 } from './rng.js';

/**
 * Distinct URLs a host's group tells apart by hash; past it the count reads "at least" (a day of a
 * beacon's new query every minute is 1,440)
 */
const DISTINCT_CAP = 10_000;

/** Flagged URLs of one host past its budget, summed. */
export interface HostGroup {
  /** flagged URL sightings (a URL seen again counts again) */
  sightings: number;
  /** 32-bit hashes (`hash32`) of the distinct URLs, up to the per-host cap; two of 10,000 collide with odds of about 1 in 90, the count then one short */
  distinct: Set<number>;
  /** a URL not in `distinct` came when it was full: the count is a lower bound */
  full: boolean;
  /** a URL was not kept because all hosts' groups held `distinctTotal`: the count is not kept, its text counts sightings */
  untold: boolean;
  maxScore: number;
  examples: string[];
  from: number;
  to: number;
  /** sightings already handed to the store: a flush records only those since, so the stored count is the sightings */
  recorded: number;
  /**
   * sightings the userinfo-deception rule fired on (live-deception.ts; flagged at any score), and the
   * first host one of them named before @
   */
  deceived: number;
  named: string | null;
  /** sightings the IDN-homograph rule fired on (homograph.ts; flagged at any score), and the popular domain the host imitates */
  homographs: number;
  looksLike: string | null;
}

/** What a group's finding says of the scorer that made it. */
export interface GroupContext {
  detector: { name: string; modelVersion: string };
  threshold: number;
  perHost: number;
  hostQuietMs: number;
  window: number;
  distinctTotal: number;
  /** the end of the finding's evidence window (live.ts `evidenceTo` of the group's last time) */
  evidenceTo: number;
}

export function newGroup(time: number): HostGroup {
  return { sightings: 0, distinct: new Set(), full: false, untold: false, maxScore: 0, examples: [], from: time, to: time, recorded: 0, deceived: 0, named: null, homographs: 0, looksLike: null };
}

/**
 * One flagged sighting of `url` at `time` summed into `g`, with the rule that fired on it (`deception`;
 * flagged at any score). `room`: all hosts' groups together may hold one more URL hash (`distinctTotal`);
 * without it a new URL leaves the distinct count untold. Returns whether `g` now holds the URL's hash anew.
 */
export function sumSighting(g: HostGroup, url: string, score: number, time: number, deception: UrlDeception | null, room: boolean): boolean {
  if (deception?.rule === 'userinfo-host') {
    g.deceived++;
    g.named ??= deception.named;
  } else if (deception?.rule === 'idn-homograph') {
    g.homographs++;
    g.looksLike ??= deception.looksLike;
  }
  g.sightings++;
  let held = false;
  const h = hash32(url);
  if (!g.distinct.has(h)) {
    if (g.distinct.size >= DISTINCT_CAP) g.full = true;
    else if (!room) g.untold = true;
    else {
      g.distinct.add(h);
      held = true;
    }
  }
  g.maxScore = Math.max(g.maxScore, score);
  if (g.examples.length < 3 && !g.examples.includes(url)) g.examples.push(url);
  g.from = Math.min(g.from, time);
  g.to = Math.max(g.to, time);
  return held;
}

/** The finding of `host`'s group: `domain:<host>` or `ip:<addr>`, its count, score and examples. */
export function groupFinding(g: HostGroup, host: string, c: GroupContext): NewFinding {
  const entity = hostEntity(host);
  const urls = g.distinct.size;
  const s = (k: number) => (k === 1 ? '' : 's');
  // past distinctTotal over all hosts this group's distinct URLs are not all counted: a count of them
  // ("at least 0 more URLs") would say nothing, its sightings say how much
  const what = g.untold
    ? `${g.sightings} more sighting${s(g.sightings)} of URLs (distinct ones not counted past ${c.distinctTotal} over all hosts${urls > 0 ? `; at least ${urls}` : ''})`
    : `${g.full ? 'at least ' : ''}${urls} more URL${s(urls)}${g.sightings === urls ? '' : ` (${g.sightings} sightings)`}`;
  const flagged = `scored ≥ ${c.threshold}${g.deceived > 0 ? ' or named another host before @' : ''}${g.homographs > 0 ? ' or imitated a popular domain' : ''}`;
  // the rules' sightings are flagged at any score: the row says so, and what they named or imitated
  const userinfo = g.named === null ? '' : `; ${g.deceived} sighting${s(g.deceived)} named another host before @ (userinfo deception, a rule beside the model; the score is the model's), e.g. ${JSON.stringify(g.named)}`;
  const homograph = g.looksLike === null ? '' : `; ${g.homographs} sighting${s(g.homographs)} on an IDN homograph of ${JSON.stringify(g.looksLike)} (a rule beside the model; the score is the model's)`;
  const deception = userinfo + homograph;
  return {
    detector: c.detector.name,
    entity,
    score: g.maxScore,
    threshold: c.threshold,
    modelVersion: c.detector.modelVersion,
    time: g.to,
    firstSeen: g.from,
    sightings: g.sightings - g.recorded,
    explanation: {
      // in an operator's words (a review: "past the 3 of one host reported one by one" was jargon)
      summary: `${what} on ${host} ${flagged} since ${utcText(g.from)}; its first ${c.perHost} flagged URLs are findings of their own, the rest are counted here until the host is quiet for ${quiet(c.hostQuietMs)}; e.g. ${g.examples.join(', ')}${deception}`,
      detail: {
        urls,
        ...(g.full || g.untold ? { urlsAtLeast: true } : {}),
        ...(g.untold ? { urlsNotCounted: true } : {}),
        sightings: g.sightings,
        examples: g.examples,
        ...(g.named === null ? {} : { deceived: g.deceived, deceptionNamed: g.named }),
        ...(g.looksLike === null ? {} : { homographs: g.homographs, looksLike: g.looksLike }),
      },
    },
    evidence: { query: `${entity} -app:${FINDINGS_APP}`, from: g.from - c.window, to: c.evidenceTo },
  };
}
