/**
 * A finding of NML's own pasted as a report: a row of the Alerts page (as the browser copies it: score, status,
 * detector, entity, why, times, each on its line or cell), its line in the log store (`nml-detect - finding -
 * detector=url score=… url=… why`), or a note that names its detector (`detector: url`, `(url, score 0.99, open)`, `url
 * finding`). Its text is a score, a status, an entity and the detector's explanation: no word says what kind of
 * incident it is, so the first line (`0.973`) was the summary and a C2 beacon's URL was "other". The detector says
 * it: its findings' kind is written in a part of the record named `detector` (the product's words, shown as the
 * source of the category), and the explanation is the summary.
 */
import { classify } from './categories.js';
import { fieldAt, setOnce, type IncidentRecord, type ScalarField } from './record.js';

/** What each detector's findings are, in words the incident base's reports use for that kind of incident. */
export const DETECTOR_KINDS: Readonly<Record<string, { meaning: string; entityIs: ScalarField }>> = {
  url: { meaning: "url finding: a URL that NML's url detector scored as malicious, a malware or command-and-control (C2) URL a client requested", entityIs: 'url' },
  syn: { meaning: "syn finding: a source whose SYNs NML's syn detector scored as a port scan, probing hosts and ports", entityIs: 'srcIp' },
  'syn-flood': { meaning: "syn-flood finding: a SYN flood, a denial of service against the target host and port from many sources", entityIs: 'dstIp' },
  'syn-wave': { meaning: "syn-wave finding: a wave of sources port scanning one destination port, each with a few SYNs", entityIs: 'dstPort' },
};

const NAMES = Object.keys(DETECTOR_KINDS)
  .sort((a, b) => b.length - a.length)
  .join('|');

/** NML's finding line in the log store (detect/findings/log-line.ts). */
const LOG_LINE = new RegExp(`\\bnml-detect - finding - detector=(${NAMES}) score=\\S+ model=\\S+ [a-z]+=(\\S+) ([^\\n]+)`, 'u');
/** A note that names the detector: `detector: url`, `(url, score 0.991, open)`, `url finding`. */
const NAMED = new RegExp(`\\bdetector\\s*[:=]\\s*(${NAMES})(?![\\w-])|\\(\\s*(${NAMES})\\s*,\\s*score\\b|(?<![\\w-])(${NAMES})\\s+finding\\b`, 'iu');
/** A note's explanation line: `Why: score 0.991: most suspicious …`. */
const WHY = /^[ \t]*why\s*[:：][ \t]*(\S[^\n]*)$/imu;
/** A note's entity line: `Entity: url:evil.example/x`. */
const ENTITY = /^[ \t]*entity\s*[:：][ \t]*(\S+)/imu;
/** An Alerts row's entity chips (the role a flood's or wave's entity plays, its kind), each on a line of its own. */
const ROLE_CHIP = /^(?:target|source|dst port)$/iu;
const KIND_CHIP = /^(?:url|ip|domain|host|user|mac|port)$/iu;

interface Found {
  detector: string;
  at: number;
  entity: { start: number; end: number } | null;
  why: { start: number; end: number } | null;
}

/** The lines of a text with their offsets, blanks around each cut. */
function lines(text: string): { start: number; end: number; value: string }[] {
  const out: { start: number; end: number; value: string }[] = [];
  for (const m of text.matchAll(/[^\n]+/gu)) {
    const lead = /^\s*/u.exec(m[0])![0].length;
    const value = m[0].trim();
    if (value !== '') out.push({ start: m.index + lead, end: m.index + lead + value.length, value });
  }
  return out;
}

/** An Alerts row: a line that is a detector's name, then the entity's chips, its value and the explanation. */
function alertsRow(text: string): Found | null {
  const ls = lines(text.length > 100_000 ? text.slice(0, 100_000) : text);
  for (let i = 0; i < ls.length; i++) {
    const name = ls[i]!.value.toLowerCase();
    if (DETECTOR_KINDS[name] === undefined) continue;
    let j = i + 1;
    if (ls[j] !== undefined && ROLE_CHIP.test(ls[j]!.value)) j++;
    if (ls[j] === undefined || !KIND_CHIP.test(ls[j]!.value)) continue;
    const entity = ls[j + 1];
    if (entity === undefined || /\s/u.test(entity.value)) continue;
    // a browser copies a row's cells apart by tabs: the explanation is the next cell
    const why = ls[j + 2];
    const cell = why === undefined ? null : { start: why.start, end: why.start + why.value.split('\t')[0]!.trimEnd().length };
    return { detector: name, at: ls[i]!.start, entity: { start: entity.start, end: entity.end }, why: cell };
  }
  return null;
}

function findFinding(text: string): Found | null {
  const log = LOG_LINE.exec(text);
  if (log !== null) {
    const entityStart = log.index + log[0].indexOf(`=${log[2]!} `, log[0].indexOf('model=')) + 1;
    const whyStart = log.index + log[0].length - log[3]!.length;
    return { detector: log[1]!, at: log.index + log[0].indexOf(log[1]!), entity: { start: entityStart, end: entityStart + log[2]!.length }, why: { start: whyStart, end: log.index + log[0].length } };
  }
  const row = alertsRow(text);
  if (row !== null) return row;
  const named = NAMED.exec(text);
  if (named === null) return null;
  const detector = (named[1] ?? named[2] ?? named[3])!.toLowerCase();
  const why = WHY.exec(text);
  const whyStart = why === null ? 0 : why.index + why[0].length - why[1]!.length;
  const entity = ENTITY.exec(text);
  const entityStart = entity === null ? 0 : entity.index + entity[0].length - entity[1]!.length;
  return { detector, at: named.index, entity: entity === null ? null : { start: entityStart, end: entityStart + entity[1]!.length }, why: why === null ? null : { start: whyStart, end: whyStart + why[1]!.trimEnd().length } };
}

/**
 * Fills what a pasted NML finding says before the text rules run: the explanation as the summary, the entity in the
 * field its detector makes it (a URL finding's URL, a scanner's source address, a flood's target), and the category
 * its detector's findings are, pointing at the kind's keyword in the `detector` part. Nothing when the text is no finding.
 */
export function applyFinding(rec: IncidentRecord, part: string, text: string): void {
  const found = findFinding(text);
  if (found === null) return;
  const kind = DETECTOR_KINDS[found.detector]!;
  if (found.why !== null) setOnce(rec, 'summary', fieldAt(part, text, found.why.start, found.why.end));
  if (found.entity !== null) {
    const raw = text.slice(found.entity.start, found.entity.end);
    // a row shows the entity without its kind (`10.20.0.80`); a note may write it with (`ip:10.20.0.80`)
    const skip = /^(?:url|ip|domain):/iu.exec(raw)?.[0].length ?? 0;
    const f = fieldAt(part, text, found.entity.start + skip, found.entity.end);
    if (kind.entityIs !== 'dstPort' || /^\d{1,5}$/u.test(f?.value ?? '')) setOnce(rec, kind.entityIs, f);
  }
  const partName = 'detector';
  rec.parts[partName] = kind.meaning;
  const hit = classify(kind.meaning);
  if (hit !== null) setOnce(rec, 'category', { value: hit.category, from: { part: partName, start: hit.start, end: hit.end } });
}
