/**
 * The addresses of free text and the role the text gives each: where the attack came from (`from`, `by`, `source`,
 * `attacker`) or where it went (`against`, `to`, `targeting`, `on`, `towards`, `hitting`, `destination`, `scan of`), read from
 * the direction word before the address (or a Japanese particle after it, `から`, `へ`). Until 2026-12 the first
 * address a text named was the source unless `from`/`to` sat right before it, so "SYN flood against 10.20.0.80"
 * made the victim the attacker (found by a UX review).
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressRole = 'src' | 'dst';

export interface AddressAt {
  value: string;
  start: number;
  end: number;
  /** what the words around it make it; null when they say nothing */
  role: AddressRole | null;
  /** the report calls it the victim's (`the user at 10.1.2.3 clicked`): a machine of the incident, neither role */
  victim: boolean;
  /**
   * the report gives it as an example of many (`243 sources …, e.g. 203.0.113.7 0.991, 198.51.100.4 0.987`): one of
   * a flood's thousands of likely spoofed sources is not where the attack came from, so it takes no role
   */
  example: boolean;
  /** the port written on it (`10.0.0.5:445`, `[2001:db8::1]:443`), where it is in the text; null when none */
  port: { value: string; start: number; end: number } | null;
}

/**
 * IPv4, or IPv6 with two or more colons (`net` decides which are addresses: a time `15:39:38` is none). Not part of a
 * longer token, but an address may end a sentence (`from 10.0.0.1.`): the old pattern refused that one. Not a
 * network (`203.0.113.0/24`, `2001:db8::/32`): its first address is no host, and it was made `srcIp`.
 */
const ADDRESS = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\w|\/\d)|(?:(?<=\bip:)|(?<![\w.:]))(?=[0-9a-f:]*:[0-9a-f.]*:)(?=:*[0-9a-f])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:]|\.\w|\/\d)/giu;

/**
 * A direction word; the last one before an address, at most three words before it in its clause, decides. `of` is
 * one only after a word naming what was done to a target (`SYN scan of fd00::80`, `flood of 10.20.0.80`): after any
 * other (`a list of`, `one of`, `the IP of`) it says nothing of a direction.
 */
const ROLE_WORD = /\b(?:from|by|source|src|attackers?|attacking|originat(?:ing|ed)|sender|against|to|into|targeting|targeted|targets?|on|onto|towards?|hitting|destination|dst|victim)\b|\bof\b(?<=\b(?:scans?|scanning|sweeps?|probes?|probing|floods?|flooding|d?dos|brute[- ]?forc(?:e|ing)|enumeration)\s{1,8}of)|送信元|攻撃元|宛先|攻撃先|-{1,2}>|=>|→/giu;
const SOURCE_WORD = /^(?:from|by|source|src|attackers?|attacking|originat(?:ing|ed)|sender|送信元|攻撃元)$/iu;
/** What may stand between the direction word and the address: up to three words, a label's separator, an opening bracket. */
const BETWEEN = /^(?:(?:\s+|\s*[:=：]\s*|\s*[(["']\s*)(?:[\p{L}\p{N}_'’.\\-]+(?=[\s:=：(["']))?){0,3}[\s:=：(["']*$/u;
/** Where a clause ends before an address: its role words are another clause's. */
const CLAUSE_END = /[\n;。!?]|\.(?=\s)|,\s*(?:but|while|whereas|and then)\b/giu;
/** Addresses listed one after another share the role of the first (`from 10.0.0.1, 10.0.0.2 and 10.0.0.3`). */
const LIST_GAP = /^\s*(?:[,/&、]\s*)?(?:(?:and|or)\s+)?$/iu;
/** Japanese particles after an address. */
const JA_SOURCE_AFTER = /^\s*(?:\)|）)?\s*(?:から|より)/u;
const JA_DEST_AFTER = /^\s*(?:\)|）)?\s*(?:へ|宛て?|に対し|を(?:標的|狙))/u;
/** An arrow after an address (`203.0.113.9:51544 -> 10.0.0.5:445`, as IDS alerts write a flow): the address is the source. */
const ARROW_AFTER = /^\s*(?:-{1,2}>|=>|→)/u;
/** A port written on an address: `10.0.0.5:445`; an IPv6 address takes one in brackets only (`[2001:db8::1]:443`). */
const PORT_ON_V4 = /^:(\d{1,5})(?![\w:]|\.\w)/u;
const PORT_ON_V6 = /^\](?::(\d{1,5})(?![\w:]|\.\w))?/u;
/** `10.20.0.80 was attacked`, `10.20.0.80 under attack`: the address is the target. */
const DEST_AFTER = /^\s*\)?\s*(?:\([^)\n]{0,30}\)\s*)?(?:(?:was|is|were|are|has been|got|being)\s+(?:(?:repeatedly|heavily)\s+)?(?:attacked|targeted|scanned|flooded|hit|probed|brute[- ]?forced|ddos(?:ed|'d)?)|under\s+(?:(?:a|an|heavy)\s+)?(?:\w+\s+)?(?:attack|flood|scan))\b/iu;

/**
 * `user at`, `victim`, `infected host`… right before an address (in its sentence); the reporter's own machine, `my
 * workstation is WS-0231 (`, `my laptop IP is` (a phished user's machine was the only address, so made the source).
 */
const VICTIM_BEFORE = /(?:\b(?:user|victim|employee|recipient|staff member|workstation|laptop|desktop|pc|client|endpoint|machine|host)\b[^.\n]{0,24}?\b(?:at|on|with|using|from|ip|address)|\b(?:victim|infected|compromised|affected)\s+(?:(?:host|machine|workstation|pc|client|endpoint|address|ip)\s*)?(?:at|:|=)?|\bmy\s+(?:work\s?station|laptop|desktop|pc|computer|machine|device|endpoint)\b(?:\s*(?:ip(?:\s+address)?|address))?\s*(?:is|at|[:=])?(?:\s+[\w.-]+)?)\s*\(?\s*$/iu;
/** `… clicked`, `… was infected`, right after an address. */
const VICTIM_AFTER = /^\s*\)?\s*(?:\([^)\n]{0,30}\)\s*)?(?:(?:had|has|then|also|and)\s+)?(?:clicked|opened|visited|browsed|downloaded|entered|submitted|ran|executed|(?:was|got|is|has been|were)\s+(?:infected|compromised|phished|encrypted|the victim))\b|^[^。\n]{0,6}(?:が|で)(?:クリック|感染|開封|入力)/iu;

/** Words that give what follows as examples of many: `e.g.`, `for example`, `such as`, `including`, `例えば`. */
const EXAMPLE_WORD = /(?<![\w.])(?:e\.\s?g\.|eg\.|for (?:example|instance)|such as|including|among them)(?!\w)|例えば|たとえば/giu;
/** What ends the examples after such a word: the end of its clause, or a direction word giving an address a role of its own. */
const EXAMPLES_END = new RegExp(`${CLAUSE_END.source}|${ROLE_WORD.source}`, 'iu');

/**
 * Whether the address at `start` is one of the examples an example word before it (in its clause, 200 characters
 * back at most) lists: `e.g. 203.0.113.7 0.991, 198.51.100.4 0.987` are both examples, a score or a word between them.
 */
function exampleAt(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 200), start);
  let last: RegExpMatchArray | null = null;
  for (const m of before.matchAll(EXAMPLE_WORD)) last = m;
  return last !== null && !EXAMPLES_END.test(before.slice((last.index ?? 0) + last[0].length));
}

/** Whether the address at [start, end) is the victim's: the report says the user there clicked or was infected. */
export function victimAt(text: string, start: number, end: number): boolean {
  return VICTIM_BEFORE.test(text.slice(Math.max(0, start - 60), start)) || VICTIM_AFTER.test(text.slice(end, end + 60));
}

/** The port written on the address at [start, end), and where what is written of the address ends (past the port, a `]`). */
function portOn(text: string, value: string, start: number, end: number): { port: AddressAt['port']; tail: number } {
  const v6 = value.includes(':');
  if (v6 && text[start - 1] !== '[') return { port: null, tail: end };
  const m = (v6 ? PORT_ON_V6 : PORT_ON_V4).exec(text.slice(end, end + 8));
  if (m === null) return { port: null, tail: end };
  const digits = m[1];
  if (digits === undefined || Number(digits) < 1 || Number(digits) > 65_535) return { port: null, tail: v6 ? end + 1 : end };
  const tail = end + m[0].length;
  return { port: { value: digits, start: tail - digits.length, end: tail }, tail };
}

/** The role the words in `gap` (the text between the clause's start or the previous address and this one) give. */
function roleBefore(gap: string): AddressRole | null {
  let clause = gap.slice(-80);
  let cut = 0;
  for (const m of clause.matchAll(CLAUSE_END)) cut = m.index + m[0].length;
  clause = clause.slice(cut);
  let last: RegExpMatchArray | null = null;
  for (const m of clause.matchAll(ROLE_WORD)) last = m;
  if (last === null || !BETWEEN.test(clause.slice((last.index ?? 0) + last[0].length))) return null;
  return SOURCE_WORD.test(last[0]) ? 'src' : 'dst';
}

const SCHEME_END = /[a-z][\w+.-]*:\/\/$/iu;

/** Whether the address written from `lead` is a URL's host (`http://203.0.113.5/`, `https://[2001:db8::1]:8443/`). */
export const inUrl = (text: string, lead: number): boolean => /:\/\/$/u.test(text.slice(Math.max(0, lead - 3), lead));

/** Whether a match of ADDRESS is an address (`net` decides: `15:39:38` and `999.1.1.1` are none). */
const isAddress = (value: string): boolean => (value.includes(':') ? isIPv6(value) : isIPv4(value));

/** The addresses of a text in order, as written, without roles: a question's, a log line's. */
export function addressValues(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(ADDRESS)) if (isAddress(m[0])) out.push(m[0]);
  return out;
}

/** Every address of a text, in order, with its role. */
export function addressesIn(text: string): AddressAt[] {
  const out: AddressAt[] = [];
  // where what is written of the previous address ends: past its port and bracket
  let prevTail = 0;
  for (const m of text.matchAll(ADDRESS)) {
    const value = m[0];
    if (!isAddress(value)) continue;
    const start = m.index;
    const end = start + value.length;
    const { port, tail } = portOn(text, value, start, end);
    // an IPv6 address with a port is written in brackets: the words before it end before the `[`
    const lead = value.includes(':') && tail > end ? start - 1 : start;
    const prev = out[out.length - 1];
    const gap = text.slice(Math.max(prevTail, lead - 200), lead);
    const after = text.slice(tail, tail + 60);
    let role: AddressRole | null = JA_SOURCE_AFTER.test(after) || ARROW_AFTER.test(after) ? 'src' : JA_DEST_AFTER.test(after) || DEST_AFTER.test(after) ? 'dst' : null;
    const listed = prev !== undefined && lead - prevTail <= 12 && LIST_GAP.test(gap);
    // a URL's scheme stands between a direction word and its host (`came from http://203.0.113.5/`)
    const url = inUrl(text, lead);
    if (role === null) role = listed ? prev.role : roleBefore(url ? gap.replace(SCHEME_END, '') : gap);
    // with no word, the host of a URL is the server reached (`downloaded http://203.0.113.5:8080/x.exe`): until
    // 2026-12 it was the first address with no role, and so the source
    if (role === null && url) role = 'dst';
    out.push({ value, start, end, role, victim: victimAt(text, lead, tail), example: exampleAt(text, start), port });
    prevTail = tail;
  }
  return out;
}
