/** Rules that find fields in free text: addresses, ports, protocol, direction, severity, times, host names, accounts, response steps. */
import { domainName } from '../core/index.js';
import { addressesIn, type AddressAt } from './addresses.js';
import { classify } from './categories.js';
import { refang, wasDefanged, writtenSpan } from './defang.js';
import { fieldAt, pushUnique, setOnce, type IncidentRecord } from './record.js';

// Blanks around a separator are `\s*(?:[:=]\s*)?`, never `\s*[:=]?\s*`: two blank loops side by side split a long run
// of blanks every possible way (quadratic); here the second loop can only start after the separator.
const PORT = /\b(?:(src|source|dst|destination|dest)\s*)?port\s*(?:[:=#]\s*)?(\d{1,5})\b|(\d{1,5})\s*番ポート|ポート\s*(\d{1,5})/giu;
/**
 * What, right before an unqualified `port N`, makes it the source port: a source keyword and its address or host
 * (`from 203.0.113.191 port 40865`, `Source: 10.0.0.5 port 5555`, `from [2001:db8::5] port 51234`). The value must
 * hold a digit, a dot or a colon, so that prose (`from outside port 22`) is not read as an address. Tested on the 300
 * characters before `port` only. Until 2026-12 a bracketed IPv6 address was none, and its port the destination's.
 */
const SOURCE_BEFORE = /(?:\b(?:from|source|src)|送信元)(?:\s*(?:ip|address|host))*\s*(?:[:=：]\s*)?\[?(?=[\w.:-]*[\d.:])[\w.:-]+\]?\s+$/iu;
/** An arrow right after `port N` (`2001:db8::5 port 51234 -> 2001:db8::1 port 443`): the port is the source's, as the address before it is. */
const ARROW_AFTER_PORT = /^\s*(?:-{1,2}>|=>|→)/u;
const PROTOCOL = /\b(tcp|udp|icmp|https?|ssh|rdp|smtp|dns|ftp|telnet|smb)\b/giu;
const PROTOCOL_NAMES = 'tcp|udp|icmp|https?|ssh|rdp|smtp|dns|ftp|telnet|smb(?:v?[123])?|ldap|kerberos|winrm|vnc|sftp|imap|pop3|snmp|ntp|sip';
/**
 * A report's own statement of the attack's protocol (`over SMB`, `via RDP`, `using SSH`, `the SMB protocol`,
 * `SMB経由`): it wins over a scheme of a link in the text (a ransom note's `http://…onion` says nothing of how the
 * attack came).
 */
const PROTOCOL_STATED = new RegExp(
  `\\b(?:over|via|through|using|across)\\s+(?:the\\s+)?(${PROTOCOL_NAMES})\\b|\\b(${PROTOCOL_NAMES})\\s+(?:protocol|traffic|connections?|sessions?|service|shares?|port)\\b|\\b(${PROTOCOL_NAMES})\\s*(?:経由|で侵入|プロトコル)`,
  'iu',
);
/** Microsoft's malware types, the part of its names before the colon (`Trojan`, `Backdoor`, `Ransom`, `HackTool`). */
export const MALWARE_TYPES = 'Trojan(?:Downloader|Dropper|Spy|Clicker|Proxy|Notifier)?|Backdoor|Worm|Virus|Ransom|Exploit|HackTool|VirTool|PWS|Spyware|Adware|Rogue|Behavior|BrowserModifier|SoftwareBundler|MonitoringTool|RemoteAccess|Program|PUA|PUADlManager|PUAMiner|Constructor|DDoS|DoS|Dialer|Joke|Misleading|Spammer|Tool|Phish|SupportScam';
/** Microsoft's platforms, the part after the colon and before the slash (`Win32`, `MSIL`, `JS`, `O97M`). */
export const MALWARE_PLATFORMS = 'Win(?:16|32|64|NT|CE|9x|Script)?|MSIL|DOS|Boot|JS|JavaScript|VBS|VBScript|VBA|HTML|PDF|PHP|Perl|Python|Ruby|Java|Lua|Linux|Unix|MacOS(?:_X)?|OSX|AndroidOS|iPhoneOS|SymbOS|[AOPWX]97M|[AOPWX]2[KM]|PowerShell|Shell|BAT|Script|SWF|Txt|AutoIt|ALisp|Multi|Wasm';
/**
 * A malware named with Microsoft's scheme, `Type:Platform/Family[.Variant][!suffix]` (`Trojan:Win32/Emotet.A`,
 * `TrojanDownloader:O97M/Emotet.AK!MTB`, `HackTool:Win32/Mimikatz!pz`, `Exploit:Java/CVE-2012-1723`): the type and the
 * platform from Microsoft's lists, as written (case and all), so that `Tool: Nmap/7.94` names none.
 */
const MICROSOFT_NAME = new RegExp(`(?<![\\w:/.!-])(?:${MALWARE_TYPES}):(?:${MALWARE_PLATFORMS})\\/[A-Za-z0-9_](?:[\\w-]*[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_]+)?(?:![A-Za-z0-9_]+)?(?![\\w/!])`, 'u');

/** The first malware name in Microsoft's scheme (MICROSOFT_NAME) in a text, with where it is; null when it names none. */
export function microsoftThreatIn(text: string): { value: string; start: number; end: number } | null {
  const m = MICROSOFT_NAME.exec(text);
  return m === null ? null : { value: m[0], start: m.index, end: m.index + m[0].length };
}

const DIRECTION = /\b(outgoing|incoming|outbound|inbound|client-to-server|server-to-client|internal|lateral)\b/i;
/**
 * A severity the report gives the incident, and only that: a grade after a severity label, as a field or in a sentence
 * (`Severity: High`, `Priority = critical`, `the severity is medium`, `Severity level: low`), a grade before `severity`,
 * `priority` or `urgency` (`a high-severity alert`) or before `incident` or `alert` (`a critical incident`; not `on
 * high alert`), a bracketed tag (`[HIGH] Suspicious PowerShell`), or a Japanese label's grade (`重要度：高`, `深刻度:
 * 中`, `重要度が高い`, `深刻度「緊急」`). Until 2026-12 a grade word anywhere was the severity: "a high volume of DNS queries" made a high-severity
 * incident, as did `high-traffic`, `low TTL` and `critical infrastructure`. `high-risk` alone is none: it grades a
 * user, a country or an app as often as the incident.
 */
const GRADE = 'critical|high|medium|moderate|low|informational';
/**
 * A Japanese label's grade. Japanese puts no space after it, so the grade is a known word, not the rest of the line:
 * until 2026-12 `重要度が高いアラートです` gave the severity `が高いアラートです`. `高` or `低` with `下`/`ま` after is a change
 * (`優先度が低下`, `重要度が高まる`), no grade.
 */
const JA_GRADE = '緊急|重大|最高|高|中|低|情報';
const SEVERITY = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:severity|priority|urgency|criticality|risk|threat\\s+level)(?:\\s+(?:level|rating))?(?:\\s*[:：=]\\s*|\\s+(?:is|was|of|rated|set\\s+to|assessed\\s+as)\\s+)(?:rated\\s+|as\\s+)?(${GRADE})(?![\\p{L}\\p{N}_-])` +
    `|(?<![\\p{L}\\p{N}_-])(${GRADE})[ \\t-]+(?:severity|priority|urgency)(?![\\p{L}\\p{N}_-])` +
    `|(?<![\\p{L}\\p{N}_-]|\\bon\\s)(${GRADE})[ \\t]+(?:incident|alert)s?(?![\\p{L}\\p{N}_-])` +
    `|\\[(${GRADE})\\]` +
    // each run of blanks follows the label or a separator it needs: two runs side by side (`\\s*[「]?\\s*`) split
    // n blanks n ways, and a label and 200,000 blank lines took 175 s (every text the assistant reads passes here)
    `|(?:重要度|深刻度|緊急度|優先度)\\s*(?:[:：=はが]\\s*)?(?:[「『（(【\\[]\\s*)?(${JA_GRADE}|${GRADE})(?![\\p{Script=Latin}\\p{N}_]|(?<=[高低])[下ま])`,
  'iu',
);
/**
 * A date, with its time of day when one follows; not a date inside a longer token (`syn-2026-11-30b`, a model version;
 * `ngram-2026-11-30-s1`): no word character or `-` on either side of a date that no time follows. A time's zone stays with it, as written (`03:05 UTC`, `12:05 JST`, `12:05 (UTC+9)`, `+09:00`): `times` keeps times
 * as written, and a time without its zone is a different instant.
 */
const ZONE = String.raw`(?:\s?\(\s?(?:UTC|GMT|JST)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?\s?\)|\s?(?:UTC|GMT|JST)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?(?![\w+-])|Z|[+-]\d{2}:?\d{2})`;
const TIME = new RegExp(String.raw`(?<![\w-])\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?${ZONE}?|(?![\w-]))|\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}[:時]\d{2}分?${ZONE}?)?`, 'gu');
/** A dotted name, not part of an address, a mail address or a longer token; `domainName` decides (known TLDs, not `wp-login.php`). */
const DOMAIN = /(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9](?![\w@-]|\.[a-z0-9])/giu;
/** Where a report names an account: `user bob`, `the account bob`, `workstation of alice`, `alice's credentials`. */
/** ACCOUNT's `as|for|the user NAME` pattern, whose NAME may be a verb of prose */
const THE_USER = 1;
const ACCOUNT = [
  // a Windows domain before the name stays with it (`User: corp\wendy`): cut at the backslash it was `corp`
  /\b(?:user(?:name)?|account|login|mailbox)\s*[:=]\s*([a-z][\w.-]{0,31}(?:\\[a-z][\w.-]{0,31})?)/giu,
  // `the user clicked`: prose too; accountsIn drops a plain verb there (PROSE_AFTER_USER)
  /\b(?:as|for|the)\s+(?:user|account)\s+([a-z][\w.-]{0,31})/giu,
  /\b(?:workstation|laptop|desktop|pc|mailbox|account|machine)\s+of\s+([a-z][\w.-]{0,31})/giu,
  /\b([a-z][\w.-]{0,31})'s\s+(?:credentials?|password|account|mailbox|sessions?|shell|history|workstation|laptop|desktop|pc|token|home|files)\b/giu,
  /(?:ユーザー?|アカウント)\s*(?:[:：]\s*)?([a-z][\w.-]{0,31})/giu,
  // a Windows domain and name with no label (`host 10.0.2.94 (ws-0029, corp\adam)`): not a path's folders
  // (`C:\Users\bob\x`: a backslash or a dot-word after it), nor a registry root (`HKLM\Run`)
  /(?<![\w\\:/.%$-])((?!(?:hklm|hkcu|hkcr|hku|hkey_[a-z_]+)\\)[a-z][a-z\d-]{0,14}\\[a-z][\w.-]{0,31})(?![\w\\]|\.[\w\\])/giu,
];
/**
 * `User m.ito`, `account svc_backup`: a name after `user`/`account` with no separator. Prose puts any word there
 * (`the user clicked`, `user agent`), so `accountsIn` keeps only a name that holds a `.`, `_`, digit, `\\` or `@`
 * inside it, or a plain word when `User`/`Account` starts the sentence and the word ends it (`User bob.`).
 */
const BARE_ACCOUNT = /\b(?:user|account)\s+([a-z][\w.@\\-]{0,63})/giu;
/** `the user …` followed by a verb (`the user clicked the link`, `the user says`): no account, unless the word is marked as a name. */
const PROSE_AFTER_USER = /^(?:[a-z]{3,}(?:ed|ing)|has|had|have|was|were|is|are|did|does|do|may|might|must|can|could|should|would|will|then|also|just|never|still|then|says|said|claims|claimed|states|reports|clicks|opens|visits|sees|saw|got|gets|went|ran|runs|sent|sends|made|makes|took|takes|gave|gives|logs|tried|tries)$/iu;
/** Words those patterns catch that are no one's account (roles and generic names stay as written). */
const NOT_ACCOUNT = new Set(
  ('the a an this that these those who whom which whose it its his her their our your my each every all any same other ' +
    'user users account accounts root admin administrator administrators staff guest service attacker victim owner host server ' +
    'workstation name names was is and or with to from in on at by of for').split(' '),
);
/**
 * EDR alerts name the host `Device:`, `Computer name:`, `Workstation:` (a colon needed there: `workstation 10.20.3.44`
 * and `the device v2` are not names). The lookahead bounds a host name to 253 characters (the DNS limit) before the two patterns scan it: without it every
 * `host` in a long dash-joined word rescanned the rest of that word (quadratic).
 */
const HOST = /\b(?:host|server|hostname|asset|ホスト|サーバ(?:ー)?|(?:device|computer|workstation|endpoint)(?:\s+name)?(?=\s*[:：]))\s*(?:[:：]\s*)?((?=[\w.-]{1,253}(?![\w.-]))(?:[A-Za-z][\w.-]*\d[\w.-]*|[a-z][\w-]*\.[\w.-]+))/giu;

/**
 * A host named in a sentence, with no label: `on`, `host`, `server` or `workstation`, an optional `the` and a word for
 * a machine, then a name shaped as a host's (`detected … on WS-0231`, `the host FS-02 was encrypted`, `workstation
 * WIN-7K3J2P`). A name is letters, then dash-joined parts with digits in them (`WS-0231`, `srv-db-07`, `WIN-7K3J2P`:
 * three parts, or a later part with two digits or letters and digits, so `Phase-2` is none), or a dotted name inside one of the report's own domains (`ownDomains`).
 * `on Monday`, `on WS`, `on the server` name nothing; nor do identifiers of that shape that are no host (`on
 * CVE-2021-44228`, `on COVID-19`, `on Windows-10`: NOT_HOST).
 */
const SENTENCE_HOST = /\b(?:on|host|server|workstation)\s+(?:the\s+)?(?:(?:host|server|workstation|machine|endpoint|laptop|device|computer)\s+)?([A-Za-z][\w.-]{0,252})(?![\w.-])/giu;
const DASHED_HOST = /^[A-Za-z][A-Za-z\d]*(?:-[A-Za-z\d]+)+$/u;
const NOT_HOST = /^(?:CVE|CWE|CAPEC|GHSA|ZDI|JVN|JVNDB|EDB|OSVDB|VU|MS\d\d|KB|SHA|MD5|AES|RSA|DES|UTF|ISO|IEC|RFC|NIST|COVID|SARS|APT|UNC|TA\d*|T\d{4}|x86|x64|amd64|arm64|Windows|Server|Office|IE|Edge|Chrome|Firefox|Python|Java|PHP|iOS|Android|macOS|SP|Log4j|SSL|TLS|TCP|UDP|IPv[46]|PCI|GDPR|HIPAA|WPA\d?|IEEE|Q[1-4]|H[12]|FY|Day|Phase|Stage|Step|Page|Part|Level|Tier|Round|Week|Version|Build|Rev|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)-/iu;

/** The domains the report's own hosts are in: each labelled host name's parent (`web01.corp.example` → `corp.example`), not a public suffix alone. */
function ownDomains(hosts: readonly string[]): string[] {
  const out: string[] = [];
  for (const host of hosts) {
    const dot = host.indexOf('.');
    if (dot < 0 || /^[\d.]+$/u.test(host)) continue;
    const parent = host.slice(dot + 1).toLowerCase();
    // `corp.example`, `corp` (a private suffix); not `com` or `co.uk`, which would make every such name the report's
    const publicSuffix = parent.includes('.') ? /^(?:co|com|net|org|gov|ac|edu|ne|or|go|ltd|plc)\.[a-z]{2}$/u.test(parent) : !/^(?:local|localdomain|lan|internal|intranet|corp|home|private)$/u.test(parent) && domainName(`x.${parent}`) !== null;
    if (!publicSuffix && /^[a-z\d][\w-]*(?:\.[a-z\d][\w-]*)*$/u.test(parent)) out.push(parent);
  }
  return out;
}

/** Whether a word after `on`/`host`/`server`/`workstation` in a sentence is a host's name (SENTENCE_HOST). */
function sentenceHostName(name: string, own: readonly string[]): boolean {
  if (NOT_HOST.test(name)) return false;
  if (DASHED_HOST.test(name)) {
    const parts = name.split('-');
    return /\d/u.test(name) && (parts.length >= 3 || parts.slice(1).some((p) => /\d{2}/u.test(p) || (/\d/u.test(p) && /[a-z]/iu.test(p))));
  }
  const lower = name.toLowerCase();
  return lower.includes('.') && own.some((d) => lower.endsWith(`.${d}`));
}

/** Labels of response steps in replies (English and Japanese). */
const FIRST_ACTION = /(?:first action|initial (?:action|response)|immediate action|containment|初動(?:対応)?|暫定(?:対応|対策|措置))\s*[:：]\s*([^\n]+)/iu;
const COUNTERMEASURE = /(?:fundamental countermeasure|permanent (?:fix|countermeasure)|root[ -]cause fix|remediation|long[ -]term (?:fix|action)|恒久(?:対応|対策|措置)|根本(?:対応|対策))\s*[:：]\s*([^\n]+)/iu;
const OUTCOME = /(?:outcome|result|status|resolution|結果|状況|対応結果)\s*[:：]\s*([^\n]+)/iu;
/**
 * A sentence that reports an action taken: a doer (`we`, `the team`, `has`…) and later in the same clause (no `.` between)
 * an action verb, or a Japanese action word anywhere. Sentences end at a line break, `。`, or a `.` before a blank or the
 * end (`10.0.0.1`, `e.g.x` do not end one). Found by splitting, then word tests: linear, where one pattern with nested
 * loops backtracked in cubic time on a long line without a full stop.
 */
const DOER = /\b(?:we|i|team|they|staff|admins?|administrators?|operators?|have|has|had|was|were)\b/giu;
const ACTION_VERB = /\b(?:blocked|isolated|disconnected|reset|disabled|quarantined|patched|updated|changed|removed|reimaged|restored|notified|contacted|filtered|revoked|locked)\b/giu;
const ACTION_JA = /遮断|隔離|切り?離|ブロック|リセット|無効化|パッチ|更新し|変更し|削除し|停止し|通知し|連絡し/u;

/** A doer and then an action verb in one clause (text without `.`). */
function doerThenVerb(clause: string): boolean {
  DOER.lastIndex = 0;
  const doer = DOER.exec(clause);
  if (doer === null) return false;
  ACTION_VERB.lastIndex = doer.index + doer[0].length;
  return ACTION_VERB.test(clause);
}

function reportsAction(sentence: string): boolean {
  return ACTION_JA.test(sentence) || sentence.split('.').some(doerThenVerb);
}

/** The sentences (start, end with their `.`/`。`) that report an action. */
function actionSentences(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    const stop = i === text.length || c === '\n' || c === '。' || (c === '.' && (i + 1 === text.length || /\s/.test(text[i + 1] as string)));
    if (!stop) continue;
    if (reportsAction(text.slice(start, i))) out.push({ start, end: c === '.' || c === '。' ? i + 1 : i });
    start = i + 1;
  }
  return out;
}

/**
 * The accounts a text names (ACCOUNT, less NOT_ACCOUNT), in the order they appear, trailing `.`/`-` cut. The first action
 * hides a past incident's accounts by the same rule, so what the record shows as the user is what it hides.
 */
export function accountsIn(text: string): { value: string; start: number; end: number }[] {
  const out: { value: string; start: number; end: number }[] = [];
  for (const [k, re] of ACCOUNT.entries()) {
    for (const m of text.matchAll(re)) {
      const value = (m[1] as string).replace(/[.-]+$/, '');
      if (value === '' || NOT_ACCOUNT.has(value.toLowerCase())) continue;
      if (k === THE_USER && PROSE_AFTER_USER.test(value)) continue;
      const start = m.index + m[0].lastIndexOf(m[1] as string);
      if (out.some((x) => x.start === start)) continue; // `User: corp\wendy` is found by its label and as a domain name
      out.push({ value, start, end: start + value.length });
    }
  }
  for (const m of text.matchAll(BARE_ACCOUNT)) {
    const raw = m[1] as string;
    const value = raw.replace(/[.@\\-]+$/, '');
    const start = m.index + m[0].length - raw.length;
    if (value === '' || NOT_ACCOUNT.has(value.toLowerCase()) || out.some((a) => a.start === start)) continue;
    const marked = /[._\d\\@]/.test(value);
    const alone = /^[a-z]+$/iu.test(value) && !/(?:ed|ing)$/iu.test(value) && (m.index === 0 || /[\n.!?;:]\s*$/u.test(text.slice(Math.max(0, m.index - 3), m.index))) && /^(?:$|[.,;:)!?\n])/u.test(text.slice(start + value.length));
    if (marked || alone) out.push({ value, start, end: start + value.length });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The first host name a text names (DOMAIN, as `domainName` reads it), or null. */
function firstDomain(text: string): { start: number; end: number } | null {
  for (const m of text.matchAll(DOMAIN)) if (domainName(m[0]) !== null) return { start: m.index, end: m.index + m[0].length };
  return null;
}

function firstGroup(re: RegExp, text: string): { start: number; end: number } | null {
  const m = re.exec(text);
  if (m === null) return null;
  for (let g = 1; g < m.length; g++) {
    const v = m[g];
    if (v !== undefined) {
      const start = m.index + m[0].lastIndexOf(v);
      return { start, end: start + v.length };
    }
  }
  return { start: m.index, end: m.index + m[0].length };
}

/** The protocol a text names, a link's scheme (`http://`, `hxxps://`) last: a link in the text is not how the attack came. */
function protocolNamed(rec: IncidentRecord, part: string, text: string): void {
  if (rec.fields.protocol !== undefined) return;
  let scheme: { start: number; end: number } | null = null;
  PROTOCOL.lastIndex = 0;
  for (const m of text.matchAll(PROTOCOL)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 5);
    // a label of a dotted name (`smtp.mailfrom=`, `dns.example`) names no protocol
    if (/^\.[a-z\d]/iu.test(after) || /[.@-]$/u.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
    const isScheme = /^(?::|\[:\])\/\//u.test(after);
    if (!isScheme) {
      setOnce(rec, 'protocol', fieldAt(part, text, m.index, m.index + m[0].length));
      return;
    }
    scheme ??= { start: m.index, end: m.index + m[0].length };
  }
  if (scheme !== null) setOnce(rec, 'protocol', fieldAt(part, text, scheme.start, scheme.end));
}

/** A URL in re-fanged text, up to a blank, a quote or a bracket; trailing punctuation is cut. */
export const URL_IN = /\b(?:https?|ftp):\/\/[^\s<>"'`)\]]+/giu;

/**
 * Defanged indicators first: a report defangs what is malicious, so the first defanged URL is the `url` and the first
 * defanged host name the `domain` (not a redirect or footer domain that comes before it). Values are re-fanged; the
 * pointer spans the indicator as written (`parts[part].slice(start, end)` is the defanged form).
 */
function defangedIndicators(rec: IncidentRecord, part: string, text: string): void {
  const r = refang(text);
  if (r === null) return;
  const at = (start: number, end: number) => {
    const w = writtenSpan(r, start, end);
    return { value: r.text.slice(start, end), from: { part, start: w.start, end: w.end } };
  };
  if (rec.fields.url === undefined) {
    for (const m of r.text.matchAll(URL_IN)) {
      const v = m[0].replace(/[.,;:!?]+$/u, '');
      if (wasDefanged(r, m.index, m.index + v.length)) {
        rec.fields.url = at(m.index, m.index + v.length);
        break;
      }
    }
  }
  if (rec.fields.domain === undefined) {
    for (const m of r.text.matchAll(DOMAIN)) {
      const inDefangedUrl = /:\/\/$/u.test(r.text.slice(Math.max(0, m.index - 3), m.index)) && wasDefanged(r, Math.max(0, m.index - 8), m.index);
      if (domainName(m[0]) === null || !(inDefangedUrl || wasDefanged(r, m.index, m.index + m[0].length))) continue;
      rec.fields.domain = at(m.index, m.index + m[0].length);
      break;
    }
  }
}

/**
 * Source and destination addresses by the words around them (addresses.ts): the first the text says the attack came
 * from is `srcIp`, the first it says the attack went to is `dstIp` and the other targets are assets, as are victims'
 * addresses. With no source said, the first address the text gives no role is the source. An address given as an
 * example of many is none of these: a SYN-flood finding's `e.g. 203.0.113.7` was its source (a likely spoofed one).
 */
function addressRoles(rec: IncidentRecord, part: string, text: string): void {
  // an example of many (`4,000 sources, e.g. 203.0.113.7`) stands for none of them: no role, no asset
  const all = addressesIn(text).filter((a) => !a.example);
  fillAddressRoles(rec, part, text, all);
  portsOnAddresses(rec, part, text, all);
}

/**
 * A port written on an address (`10.0.0.5:445`, `[2001:db8::1]:443`) is the destination's port when the address is
 * `dstIp`, and the source's when it is `srcIp` (said or, with no source said, taken as such: `from 10.0.0.5:445` is
 * what the report wrote), except in a URL, where the port is its server's. Until 2026-12 a report's `10.0.0.5:445`
 * gave no port at all.
 */
function portsOnAddresses(rec: IncidentRecord, part: string, text: string, all: readonly AddressAt[]): void {
  for (const a of all) {
    if (a.port === null) continue;
    const f = fieldAt(part, text, a.port.start, a.port.end);
    const inUrl = /:\/\/\[?$/u.test(text.slice(Math.max(0, a.start - 4), a.start));
    if (a.value === rec.fields.dstIp?.value) setOnce(rec, 'dstPort', f);
    else if (a.value === rec.fields.srcIp?.value && !inUrl) setOnce(rec, 'srcPort', f);
  }
}

function fillAddressRoles(rec: IncidentRecord, part: string, text: string, all: readonly AddressAt[]): void {
  for (const a of all) {
    const f = fieldAt(part, text, a.start, a.end);
    if (a.victim) pushUnique(rec.assets, f);
    else if (a.role === 'src') {
      if (a.value !== rec.fields.dstIp?.value) setOnce(rec, 'srcIp', f);
    }
    else if (a.role === 'dst') {
      if (rec.fields.dstIp === undefined) setOnce(rec, 'dstIp', f);
      else if (a.value !== rec.fields.dstIp.value && a.value !== rec.fields.srcIp?.value) pushUnique(rec.assets, f);
    }
  }
  if (rec.fields.srcIp !== undefined) return;
  const first = all.find((a) => a.role === null && !a.victim && a.value !== rec.fields.dstIp?.value);
  if (first !== undefined) setOnce(rec, 'srcIp', fieldAt(part, text, first.start, first.end));
}

/**
 * Host names, labelled (HOST) and named in a sentence (SENTENCE_HOST), added to the assets in the order the text gives
 * them. A dotted name in a sentence counts inside the domains of the report's labelled hosts only (`ownDomains`): `the
 * payload was hosted on cdn.evil.example` names the attacker's server, no asset of the victim's.
 */
function hostNames(rec: IncidentRecord, part: string, text: string): void {
  const found: { start: number; value: string }[] = [];
  for (const m of text.matchAll(HOST)) {
    // the sentence's full stop is not the name's (`the file server fs-02.` was the asset `fs-02.`)
    const value = (m[1] as string).replace(/[.-]+$/u, '');
    found.push({ start: m.index + m[0].lastIndexOf(m[1] as string), value });
  }
  const own = ownDomains([...rec.assets.map((a) => a.value), ...found.map((f) => f.value)]);
  for (const m of text.matchAll(SENTENCE_HOST)) {
    const value = (m[1] as string).replace(/[.-]+$/u, '');
    const start = m.index + m[0].length - (m[1] as string).length;
    if (sentenceHostName(value, own)) found.push({ start, value });
  }
  found.sort((a, b) => a.start - b.start);
  for (const f of found) pushUnique(rec.assets, fieldAt(part, text, f.start, f.start + f.value.length));
}

/** A sentence naming a malware (`Microsoft Defender detected Trojan:Win32/Emotet.A on WS-0231`): its name is the threat, when none was found before. */
export function applyNamedThreat(rec: IncidentRecord, part: string, text: string): void {
  const named = microsoftThreatIn(text);
  if (named !== null) setOnce(rec, 'threatName', fieldAt(part, text, named.start, named.end));
}

/** Fields from free text; only fills what is still missing. */
export function applyTextRules(rec: IncidentRecord, part: string, text: string): void {
  const set = (name: Parameters<typeof setOnce>[1], re: RegExp) => {
    re.lastIndex = 0;
    const g = firstGroup(re, text);
    if (g !== null) setOnce(rec, name, fieldAt(part, text, g.start, g.end));
  };
  addressRoles(rec, part, text);
  PORT.lastIndex = 0;
  for (const m of text.matchAll(PORT)) {
    const value = m[2] ?? m[3] ?? m[4];
    if (value === undefined) continue;
    const start = m.index + m[0].lastIndexOf(value);
    const f = fieldAt(part, text, start, start + value.length);
    // a qualifier (`src port`, `dst port`) decides; an unqualified `port N` after the source's address is the source's
    const source = m[1] === undefined ? m[2] !== undefined && (SOURCE_BEFORE.test(text.slice(Math.max(0, m.index - 300), m.index)) || ARROW_AFTER_PORT.test(text.slice(start + value.length, start + value.length + 8))) : /^s/i.test(m[1]);
    setOnce(rec, source ? 'srcPort' : 'dstPort', f);
  }
  set('protocol', PROTOCOL_STATED);
  protocolNamed(rec, part, text);
  applyNamedThreat(rec, part, text);
  set('direction', DIRECTION);
  set('severity', SEVERITY);
  set('firstAction', FIRST_ACTION);
  set('countermeasure', COUNTERMEASURE);
  set('outcome', OUTCOME);
  for (const m of text.matchAll(TIME)) pushUnique(rec.times, fieldAt(part, text, m.index, m.index + m[0].length));
  defangedIndicators(rec, part, text);
  const domain = firstDomain(text);
  if (domain !== null) setOnce(rec, 'domain', fieldAt(part, text, domain.start, domain.end));
  const account = accountsIn(text)[0];
  if (account !== undefined) setOnce(rec, 'user', fieldAt(part, text, account.start, account.end));
  hostNames(rec, part, text);
  if (rec.fields.category === undefined) {
    const hit = classify(text);
    if (hit !== null) rec.fields.category = { value: hit.category, from: { part, start: hit.start, end: hit.end } };
  }
}

/** Response steps: labelled lines first, then sentences that report an action taken. */
export function applyStepRules(rec: IncidentRecord, part: string, text: string): void {
  for (const re of [FIRST_ACTION, COUNTERMEASURE]) {
    const g = firstGroup(new RegExp(re.source, 'iu'), text);
    if (g !== null) pushUnique(rec.steps, fieldAt(part, text, g.start, g.end));
  }
  // sentences do not overlap one another: only the steps found before can overlap one
  const before = rec.steps.filter((s) => s.from.part === part);
  const seen = new Set(rec.steps.map((s) => s.value));
  for (const { start, end } of actionSentences(text)) {
    const f = fieldAt(part, text, start, end);
    if (f === null || seen.has(f.value) || before.some((s) => s.from.start < end && start < s.from.end)) continue;
    seen.add(f.value);
    rec.steps.push(f);
  }
  const order = Object.keys(rec.parts);
  rec.steps.sort((a, b) => order.indexOf(a.from.part) - order.indexOf(b.from.part) || a.from.start - b.from.start);
  const cm = rec.fields.countermeasure;
  const first = rec.steps.find((f) => cm === undefined || f.from.part !== cm.from.part || f.from.start >= cm.from.end || f.from.end <= cm.from.start);
  if (rec.fields.firstAction === undefined && first !== undefined) rec.fields.firstAction = first;
}

/** A summary's own label at the start of a line, left out of the value. */
const SUMMARY_LABEL = /^(?:event summary|summary|subject|title|件名|イベント概要|概要)\s*[:：]\s*(?=\S)/iu;

/**
 * The first line that says something (two words, one with letters) as a summary, up to 200 characters, without a leading
 * `Summary:`-like label; the first non-empty line when none does. A pasted Alerts row starts with its score, `0.973`,
 * then `open`: that was the summary (UX review). A vendor line (`rec.vendorLines`) is never one.
 */
export function firstLineSummary(rec: IncidentRecord, part: string, text: string): void {
  let m: RegExpExecArray | null = null;
  let first: RegExpExecArray | null = null;
  const LINE = /\S[^\n]*/gu;
  // a quoted vendor line (a pasted PAN-OS line) is its columns, no summary: its threat titles the incident
  const vendor = (rec.vendorLines ?? []).filter((r) => r.part === part);
  for (let i = 0; i < 1000 && (m = LINE.exec(text)) !== null; i++) {
    const { index, 0: line } = m;
    if (vendor.some((r) => index < r.end && index + line.length > r.start)) {
      m = null;
      continue;
    }
    first ??= m;
    if (/\p{L}/u.test(m[0]) && /\S\s+\S/u.test(m[0].trim())) break;
  }
  m ??= first;
  if (m === null) return;
  const label = SUMMARY_LABEL.exec(m[0]);
  const start = m.index + (label === null ? 0 : label[0].length);
  const end = Math.min(m.index + m[0].length, start + 200);
  setOnce(rec, 'summary', fieldAt(part, text, start, end));
}
