/**
 * Demo news for `nml serve --demo`: half a year of generated security headlines, so the Trends page has
 * a series to show on a machine that fetches nothing. The rates drift the way reporting does (quieter
 * weekends, a ransomware campaign in the last weeks, a DDoS wave two months back); each document then
 * goes through the same annotation as a collected one (language, keywords, the attack-type classifier),
 * so what the page shows is the real pipeline's reading of made-up text. Every title says it is a demo.
 */
import { mulberry32 } from '../core/index.js';
import { annotate, type TypeScorer } from './annotate.js';
import { simhash } from './dedupe.js';
import type { DocStore, NewDoc } from './docstore.js';
import type { AttackType } from './text/lexicon.js';

export const DEMO_SOURCE = 'demo';
export const DEMO_DAYS = 180;
const DAY = 86_400_000;

interface Story {
  /** mean reports a day outside any episode */
  base: number;
  /** extra reports a day at the peak of an episode, from `from` to `to` days before now (a ramp up and down) */
  episode?: { from: number; to: number; peak: number };
  headlines: readonly string[];
}

const VICTIMS = ['a regional hospital', 'a city council', 'a logistics firm', 'a university', 'a water utility', 'an online retailer', 'a bank', 'a school district', 'a car maker', 'a law firm', 'a telecom operator', 'a game studio'];
const ACTORS = ['LockBit', 'Akira', 'Qilin', 'RansomHub', 'Play', 'Medusa'];
const APTS = ['APT29', 'Volt Typhoon', 'Lazarus', 'Kimsuky', 'APT28'];
const MALWARE = ['an infostealer', 'a banking trojan', 'a loader', 'a backdoor', 'a remote access trojan'];

const STORIES: Record<AttackType, Story> = {
  ransomware: {
    base: 1.2,
    episode: { from: 24, to: 0, peak: 3.5 },
    headlines: ['{actor} ransomware hits {victim}, files encrypted', '{victim} pays ransom after {actor} attack', 'Double extortion: {actor} leaks data of {victim}', 'Ransomware outage at {victim} enters second week'],
  },
  ddos: {
    base: 0.8,
    episode: { from: 70, to: 55, peak: 4 },
    headlines: ['DDoS attack knocked offline the website of {victim}', 'Botnet floods {victim} with record traffic', 'Hacktivists claim denial of service on {victim}'],
  },
  account_takeover: {
    base: 1.5,
    headlines: ['Phishing wave steals credentials at {victim}', 'Credential stuffing hits customers of {victim}', 'Business email compromise costs {victim} millions', 'Compromised accounts at {victim} after password spraying'],
  },
  targeted: {
    base: 0.5,
    episode: { from: 120, to: 100, peak: 1.5 },
    headlines: ['{apt} espionage campaign targets {victim}', 'State-sponsored {apt} spear-phishing aimed at {victim}', 'Nation-state actor {apt} found inside {victim}'],
  },
  web_attack: {
    base: 1,
    episode: { from: 40, to: 30, peak: 2.5 },
    headlines: ['SQL injection exposes records of {victim}', 'Web shell planted on servers of {victim} via exploited CVE', 'Skimmer injected into checkout page of {victim}', 'Zero-day vulnerability exploited against {victim}'],
  },
  malware: {
    base: 1,
    headlines: ['{malware} spreads through fake updates, {victim} affected', 'Malicious package in npm drops {malware}', 'Researchers dissect {malware} found at {victim}'],
  },
};

/** Poisson draw (Knuth; the rates here are small). */
function poisson(rate: number, rnd: () => number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  for (let p = rnd(); p > limit; p *= rnd()) k++;
  return k;
}

function rate(s: Story, daysAgo: number, weekday: number): number {
  let r = s.base;
  const e = s.episode;
  if (e !== undefined && daysAgo <= e.from && daysAgo >= e.to) {
    const mid = (e.from + e.to) / 2;
    const half = Math.max(1, (e.from - e.to) / 2);
    r += e.peak * (1 - Math.abs(daysAgo - mid) / half);
  }
  return weekday === 0 || weekday === 6 ? r * 0.5 : r;
}

export interface DemoHeadline {
  /** the attack type the template was written for */
  type: AttackType;
  template: string;
  headline: string;
}

/** A template with its placeholders filled: the text as it reads in an article, and as a title (capitalised). */
function fillHeadline(template: string, actor: string, apt: string, malware: string, victim: string): { filled: string; title: string } {
  const filled = template.replace('{actor}', actor).replace('{apt}', apt).replace('{malware}', malware).replace('{victim}', victim);
  return { filled, title: filled[0]!.toUpperCase() + filled.slice(1) };
}

/**
 * Every headline template filled once per victim (the other placeholders cycled the same way): the
 * demo's wording without its random draw, for checking a classifier on short text.
 */
export function demoHeadlines(): DemoHeadline[] {
  const out: DemoHeadline[] = [];
  for (const [type, s] of Object.entries(STORIES) as [AttackType, Story][]) {
    for (const template of s.headlines) {
      VICTIMS.forEach((victim, i) => {
        const { title } = fillHeadline(template, ACTORS[i % ACTORS.length]!, APTS[i % APTS.length]!, MALWARE[i % MALWARE.length]!, victim);
        out.push({ type, template, headline: title });
      });
    }
  }
  return out;
}

export interface DemoItem {
  title: string;
  text: string;
  time: number;
}

/** The demo documents of the `days` days up to `now`, oldest first; the same seed and `now`, the same documents. */
export function demoItems(now: number, days = DEMO_DAYS, seed = 1): DemoItem[] {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const today = Math.floor(now / DAY) * DAY;
  const out: DemoItem[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = today - d * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    for (const s of Object.values(STORIES)) {
      for (let n = poisson(rate(s, d, weekday), rnd); n > 0; n--) {
        const victim = pick(VICTIMS);
        // the draws in the order the seeded demo has always made them: headline, actor, apt, malware
        const { filled, title } = fillHeadline(pick(s.headlines), pick(ACTORS), pick(APTS), pick(MALWARE), victim);
        const time = Math.min(now, dayStart + Math.floor(rnd() * DAY));
        out.push({ title: `${title} (demo)`, text: `Demo article generated by nml serve --demo: ${filled}. Investigators at ${victim} are still assessing the impact.`, time });
      }
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** Fills an empty document store with the demo documents, annotated as the collector would; returns how many it stored (0 when the store already held documents). */
export function seedDemoDocs(store: DocStore, scorer: TypeScorer | null, now = Date.now()): number {
  if (store.count() > 0) return 0;
  const docs: NewDoc[] = demoItems(now).map((it) => {
    const full = `${it.title}\n${it.text}`;
    const a = annotate(full, 'en', scorer);
    return { source: DEMO_SOURCE, url: null, title: it.title, text: it.text, time: it.time, fetchedAt: now, lang: a.lang, types: a.types, keywords: a.keywords, simhash: simhash(full) };
  });
  return store.insertMany(docs).filter((id) => id !== null).length;
}
