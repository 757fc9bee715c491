/** Alert reports: `Label: value` blocks (several labels may share a line) plus the raw vendor line. */
import { isIPv4, isIPv6 } from 'node:net';
import { applyFinding } from './finding-paste.js';
import { applyPanos, applyPanosLineOf, isPanosLine } from './panos.js';
import { emptyRecord, fieldAt, markVendorLine, pushUnique, setOnce, type Field, type IncidentRecord, type ScalarField } from './record.js';
import { applyStepRules, applyTextRules, MALWARE_PLATFORMS, MALWARE_TYPES, microsoftThreatIn } from './text-rules.js';

/** Labels as alert mails and SIEM reports write them → record fields. Longer labels first. */
const LABELS: [string, ScalarField | 'asset' | 'time' | 'detail' | 'extra'][] = [
  ['Destination IP Geolocation', 'geolocation'],
  ['Source IP Geolocation', 'extra'],
  ['Connection Directionality', 'direction'],
  ['Vendor Classification', 'vendorClassification'],
  ['Occurrence Count', 'occurrenceCount'],
  ['Destination Port', 'dstPort'],
  ['Destination IP', 'dstIp'],
  ['Vendor Priority', 'severity'],
  ['Event Summary', 'summary'],
  ['Event Detail', 'detail'],
  ['Source Port', 'srcPort'],
  ['Threat Name', 'threatName'],
  ['CVSS Score', 'cvss'],
  ['Source IP', 'srcIp'],
  ['Event ID', 'eventId'],
  ['Log Time', 'time'],
  ['First Seen', 'time'],
  ['Last Seen', 'time'],
  ['Protocol', 'protocol'],
  ['Direction', 'direction'],
  ['Severity', 'severity'],
  ['Priority', 'severity'],
  ['Category', 'category'],
  ['Application', 'application'],
  ['Hostname', 'asset'],
  ['Host', 'asset'],
  ['Asset', 'asset'],
  ['Action', 'deviceAction'],
  ['Summary', 'summary'],
  ['First Action', 'firstAction'],
  ['Countermeasure', 'countermeasure'],
  ['Outcome', 'outcome'],
  ['イベント概要', 'summary'],
  ['送信元IPアドレス', 'srcIp'],
  ['送信元IP', 'srcIp'],
  ['宛先IPアドレス', 'dstIp'],
  ['宛先IP', 'dstIp'],
  ['送信元ポート', 'srcPort'],
  ['宛先ポート', 'dstPort'],
  ['プロトコル', 'protocol'],
  ['通信方向', 'direction'],
  ['脅威名', 'threatName'],
  ['重要度', 'severity'],
  ['対象ホスト', 'asset'],
  ['検知時刻', 'time'],
  ['検知日時', 'time'],
  ['機器の動作', 'deviceAction'],
];

const LABEL_RE = new RegExp(`(?<![\\w])(${LABELS.map(([l]) => l.replace(/ /g, '\\s+')).join('|')})\\s*[:：]`, 'giu');
const FIELD_OF = new Map(LABELS.map(([l, f]) => [l.toLowerCase(), f]));
/** A generic `Key: value` line (for keys not in the table); `proseKey` drops a sentence that holds a colon. */
const GENERIC = /^[ \t#*-]*([A-Za-z][A-Za-z /-]{1,40}|[\p{Script=Han}\p{Script=Katakana}ー]{2,12})\s*[:：][ \t]*(\S[^\n]*)$/gmu;

/**
 * Microsoft's malware names, `Type:Platform/Family` (`Trojan:Win32/Emotet.A`, `Backdoor:MSIL/Bladabindi`,
 * `Ransom:Win64/LockBit`): the colon is the name's, so a key ending in the type before a `Platform/` value is a
 * sentence naming the malware (`Microsoft Defender detected Trojan:Win32/Emotet.A on WS-0231`), not a field.
 */
const MALWARE_TYPE = new RegExp(`(?:^|\\s)(?:${MALWARE_TYPES})$`, 'u');
/** The platform part of such a name at the start of a value (`Win32/`, `MSIL/`, `JS/`, `O97M/`): Microsoft's list, so that `Tool: Nmap/7.94` stays a field. */
const MALWARE_PLATFORM = new RegExp(`^(?:${MALWARE_PLATFORMS})\\/[\\w.!-]`, 'iu');
/** The words a sentence opens with (a subject or a request), which no label does: `The alert fired at`, `We found`. */
const SENTENCE_OPENING = /^(?:The|the|We|we|I|It|it|This|this|They|they|Our|our|He|he|She|she|There|there|Please|please|You|you|Someone|someone)\s/u;
/** A lowercase verb of prose (a past tense, an -ing form, a finite auxiliary). */
const VERB_LIKE = /^(?:[a-z]{2,}(?:ed|ing)|is|was|were|are|has|have|had|did|does|found|saw|sent|ran|made|got|hit)$/u;

/**
 * Whether a generic line's key is a sentence with a colon in it, not a field label. A label is a few words (a known
 * header, usually Title Case: `Threat ID`, `Device name`, `Last logged on user`, `Action taken`); a key is prose when it
 * opens as a sentence does (`The alert said`), runs past six words, puts a verb before its object (`Defender
 * detected Trojan`, `EDR flagged the`: a lowercase verb with a capitalized word or an article after it), or ends in a
 * malware type that the value goes on naming (`Trojan` + `Win32/Emotet.A`). Until 2026-12 every such line was an
 * extra field (`Microsoft Defender detected Trojan` = `Win32/Emotet.A on WS-0231`).
 */
export function proseKey(key: string, value: string): boolean {
  if (MALWARE_TYPE.test(key) && MALWARE_PLATFORM.test(value)) return true;
  if (SENTENCE_OPENING.test(key)) return true;
  const words = key.split(/[\s/]+/u).filter((w) => w !== '');
  if (words.length > 6) return true;
  for (let i = 1; i < words.length - 1; i++) {
    const next = words[i + 1] as string;
    if (VERB_LIKE.test(words[i] as string) && (/^\p{Lu}/u.test(next) || /^(?:the|a|an|this|that|these|those|its|their|two|three|several|multiple|\d+)$/u.test(next))) return true;
  }
  return false;
}

/**
 * An address at the start of a value: IPv4 (an octet may be redacted as a repeated letter or `*`: `192.0.2.xxx`)
 * or IPv6; what follows (`(RU)`, `:443`, `& port 22`) is not part of it.
 */
const ADDRESS = /^(?:(?:\d{1,3}|([a-z*])\1{1,2})(?:\.(?:\d{1,3}|([a-z*])\2{1,2})){3}(?![\w*]|\.[\w*])|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:]))/i;
/** A port at the start of a value: up to five digits, or a redaction (`aaaaa`). */
const PORT = /^(?:\d{1,5}|([a-z*])\1{1,4})(?![\w*])/i;

/** A numeric value the pattern matched that is no address or port (`999.1.1.1`, `:::`, port 70000). */
function impossible(token: string, pattern: RegExp): boolean {
  if (pattern === PORT) return /^\d+$/.test(token) && Number(token) > 65_535;
  if (token.includes(':')) return isIPv6(token) === false;
  return /^[\d.]+$/.test(token) && !isIPv4(token);
}

/**
 * The address or port a labelled value starts with (an opening bracket or quote skipped), pointing at just that
 * token; null when it starts with none. Taking the rest of the line made `Source IP: 198.51.100.23 (RU)` a source
 * no address equals, so chat answered about the destination instead.
 */
function leadingToken(part: string, text: string, start: number, end: number, pattern: RegExp): Field | null {
  const value = text.slice(start, end);
  const lead = /^[\s(["']*/.exec(value)?.[0].length ?? 0;
  const m = pattern.exec(value.slice(lead));
  if (m === null || impossible(m[0], pattern)) return null;
  return fieldAt(part, text, start + lead, start + lead + m[0].length);
}

/** True when a text looks like an alert report: at least three known labels. */
export function looksLikeReport(text: string): boolean {
  return (text.match(LABEL_RE) ?? []).length >= 4 || isPanosLine(text);
}

/** Fills a record from a report text held in `part`; safe to call on any text. */
export function applyReport(rec: IncidentRecord, part: string, text: string): void {
  const labels = [...text.matchAll(LABEL_RE)];
  for (let i = 0; i < labels.length; i++) {
    const m = labels[i] as RegExpExecArray;
    const label = (m[1] as string).replace(/\s+/g, ' ');
    const target = FIELD_OF.get(label.toLowerCase());
    const start = m.index + m[0].length;
    const next = labels[i + 1]?.index ?? text.length;
    const eol = text.indexOf('\n', start);
    let end = Math.min(next, eol < 0 ? text.length : eol);
    if (target === 'detail') {
      // the vendor line may start on the next non-empty line
      const after = /\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/.exec(text.slice(start));
      if (after !== null) applyDetail(rec, part, text, start + after.index, start + after.index + after[0].length);
      continue;
    }
    if (end === start && eol >= 0) end = start;
    const f = target === 'srcIp' || target === 'dstIp' || target === 'srcPort' || target === 'dstPort' ? leadingToken(part, text, start, end, target.endsWith('Ip') ? ADDRESS : PORT) : fieldAt(part, text, start, end);
    if (f === null) continue;
    if (target === undefined || target === 'extra') rec.extra[label] = f;
    else if (target === 'asset') pushUnique(rec.assets, f);
    else if (target === 'time') pushUnique(rec.times, f);
    else setOnce(rec, target, f);
  }
  for (const m of text.matchAll(GENERIC)) {
    const key = (m[1] as string).trim();
    if (FIELD_OF.has(key.toLowerCase()) || rec.extra[key] !== undefined) continue;
    const v = m[2] as string;
    // `Log in on hxxps://…`, `see http://…`: the colon is a link's, not a key's (the key would be `on hxxps`)
    if (v.startsWith('//') || /(?:^|\s)(?:h[tx]{2}ps?|ftp|mailto)$/iu.test(key)) continue;
    if (proseKey(key, v)) continue;
    const start = m.index + m[0].lastIndexOf(v);
    const f = fieldAt(part, text, start, start + v.length);
    if (f !== null && !LABEL_RE.test(v)) rec.extra[key] = f;
    LABEL_RE.lastIndex = 0;
  }
}

/**
 * A summary that says `attempt`, `attack` or `exploit` (`WordPress Login Brute Force Attempt`) stands for the threat
 * when nothing named one: called once every part was read (`texts`: a report, or an e-mail's body and attachments),
 * since a malware any of them names in Microsoft's scheme, or an attachment's `Threat Name:`, is the threat. Until
 * 2026-12 it ran inside `applyReport` on the e-mail's body, before the attachments were read, so a body's `Event
 * Summary: Exploit attempt against web-01` beat the attached export's `Threat Name: Apache Struts2 RCE`.
 */
export function summaryAsThreat(rec: IncidentRecord, texts: readonly string[]): void {
  if (rec.fields.threatName === undefined && rec.fields.summary !== undefined && /attempt|attack|exploit/i.test(rec.fields.summary.value) && texts.every((t) => microsoftThreatIn(t) === null)) {
    setOnce(rec, 'threatName', rec.fields.summary);
  }
}

/** The raw vendor line(s) of `Event Detail`: a PAN-OS line is split into its columns, joined when wrapped. */
function applyDetail(rec: IncidentRecord, part: string, text: string, start: number, end: number): void {
  const block = text.slice(start, end);
  // the first vendor line wins, as the first value of a field does: the fields read from it point into `panos`
  if (rec.parts.panos !== undefined) return;
  if (!isPanosLine(block)) {
    rec.extra['Event Detail'] = { value: block.trim(), from: { part, start, end } };
    return;
  }
  // a wrapped vendor line is one CSV record: newlines inside it become spaces
  const joined = block.replace(/\r?\n/g, ' ');
  rec.parts.panos = joined;
  rec.extra['Event Detail'] = { value: block, from: { part, start, end } };
  markVendorLine(rec, part, start, end);
  markVendorLine(rec, 'panos', 0, joined.length);
  applyPanos(rec, 'panos', joined);
}

export function normalizeReport(text: string): IncidentRecord {
  const rec = emptyRecord('alert', { body: text });
  applyReport(rec, 'body', text);
  summaryAsThreat(rec, [text]);
  if (rec.fields.vendorClassification === undefined) applyPanosLineOf(rec, 'body', text);
  applyFinding(rec, 'body', text);
  applyTextRules(rec, 'body', text);
  addInternalAssets(rec);
  applyStepRules(rec, 'body', text);
  return rec;
}

const PRIVATE = /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|fc|fd)/i;

/** Internal addresses among the source and destination are the assets involved. */
export function addInternalAssets(rec: IncidentRecord): void {
  for (const f of [rec.fields.dstIp, rec.fields.srcIp]) if (f !== undefined && PRIVATE.test(f.value)) pushUnique(rec.assets, f);
}
