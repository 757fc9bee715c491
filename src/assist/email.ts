/** E-mail (.eml, mbox) threads into one record: the alert from the first message, response steps from the replies. */
import type { Attachment, ParsedMail } from 'mailparser';
import { AppError } from '../core/index.js';
import { addInternalAssets, applyReport, summaryAsThreat } from './alert-report.js';
import { splitForwarded } from './forwarded.js';
import { headerZone, parseForwardedDate, parseMailDate, rawDateHeader } from './mail-date.js';
import { emptyRecord, fieldAt, pushUnique, setOnce, type IncidentRecord } from './record.js';
import { applyNamedThreat, applyStepRules, applyTextRules, firstLineSummary } from './text-rules.js';

/** Most messages one mbox may hold; more is refused rather than parsed slowly. */
export const MAX_MESSAGES = 500;

/** An mbox's messages: split on `From ` separator lines, `>From ` unescaped. */
export function splitMbox(data: Buffer): Buffer[] {
  const text = data.toString('latin1'); // byte-preserving: each byte one character
  const starts: number[] = [];
  const re = /(?:^|\n)From [^\n]*\n/g;
  for (const m of text.matchAll(re)) starts.push(m.index + (m[0].startsWith('\n') ? 1 : 0));
  if (starts.length === 0) return [data];
  const out: Buffer[] = [];
  for (let i = 0; i < starts.length; i++) {
    const from = text.indexOf('\n', starts[i] as number) + 1;
    const to = starts[i + 1] ?? text.length;
    const body = text.slice(from, to).replace(/^>(>*From )/gm, '$1');
    out.push(Buffer.from(body, 'latin1'));
  }
  return out;
}

/** A header a mail client writes when a message is copied out of it, or one of a raw message's. */
const PASTED_HEADER =
  /^(?:from|to|cc|bcc|subject|date|sent|reply-to|sender|message-id|in-reply-to|references|received|return-path|mime-version|importance|priority|delivered-to|organization|user-agent|thread-[\w-]+|(?:x|content|list|resent|arc|dkim|authentication|received)-[\w-]+)[ \t]*:/i;

/**
 * A message whose header block runs straight into its text with no blank line between (a mail copied out of a
 * mail client and pasted: `Subject:` and `From:` lines, then the text) with that blank line put in; any other
 * message as it is. The mail parser reads every line up to the first blank one as headers, so the whole text
 * was lost and the report matched nothing (review, 2026-12). The headers end at the first line that is neither
 * a known mail header (PASTED_HEADER) nor a folded header line: a body line such as `Summary: …` starts the text.
 */
export function endHeaders(raw: Buffer): Buffer {
  const text = raw.toString('latin1'); // byte-preserving
  let at = 0;
  let headers = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl === -1 ? text.length : nl).replace(/\r$/, '');
    if (line.trim() === '') return raw; // the header block ends where it should
    const header = PASTED_HEADER.test(line) || (headers > 0 && /^[ \t]/.test(line));
    if (!header) {
      if (headers === 0) return raw;
      const eol = text.slice(at - 2, at) === '\r\n' ? '\r\n' : '\n';
      return Buffer.concat([raw.subarray(0, at), Buffer.from(eol, 'latin1'), raw.subarray(at)]);
    }
    headers++;
    if (nl === -1) break;
    at = nl + 1;
  }
  return raw;
}

export function looksLikeMbox(data: Buffer): boolean {
  return /^From \S+/.test(data.subarray(0, 200).toString('latin1'));
}

export function looksLikeEmail(data: Buffer): boolean {
  const head = data.subarray(0, 4096).toString('latin1');
  return looksLikeMbox(data) || (/^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+/.test(head) && /^(?:From|Subject|Message-ID|Received):/im.test(head) && /^(?:Date|To|From):/im.test(head));
}

/** A reply's attribution line: `On … wrote:`, `2026年11月20日 … のメール:`. */
const ATTRIBUTION = /^[ \t]*(?:On .{4,200}wrote:|\d{4}[/年].{0,80}(?:wrote|書きました|のメール)[:：]?)\s*$/iu;
/** A line after which everything is the original: `-----Original Message-----` and its Japanese Outlook form. */
const ORIGINAL = /^[ \t]*-{2,}\s*(?:Original Message|元のメッセージ|オリジナル メッセージ)\s*-{2,}\s*$/iu;
/** Outlook's rule line above the original's header block. */
const RULE = /^[ \t]*_{10,}\s*$/;
/** A line of the header block Outlook writes above the original (English and Japanese Outlook; `*From:*` from HTML). */
const HEADER = /^[ \t]*\*{0,2}(From|Sent|Date|To|Cc|Subject|差出人|送信者|送信日時|日時|宛先|件名)\*{0,2}\s*[:：]/iu;
const HEADER_FROM = /^(?:from|差出人|送信者)$/iu;
const HEADER_SENT = /^(?:sent|date|送信日時|日時)$/iu;
const HEADER_SUBJECT = /^(?:subject|件名)$/iu;

/** True when `lines[i]` starts Outlook's header block of the original: From, then Sent/Date and Subject among the next lines. */
function headerBlockAt(lines: readonly string[], i: number): boolean {
  const names: string[] = [];
  for (let k = i; k < lines.length && k < i + 8; k++) {
    const m = HEADER.exec(lines[k] as string);
    if (m === null) break;
    names.push(m[1] as string);
  }
  return names.length >= 3 && HEADER_FROM.test(names[0] as string) && names.some((n) => HEADER_SENT.test(n)) && names.some((n) => HEADER_SUBJECT.test(n));
}

/** True when the original starts at line `i`: the rule line or the header block (replies only), or `-----Original Message-----`. */
function originalAt(lines: readonly string[], i: number, reply: boolean): boolean {
  const line = lines[i] as string;
  if (ORIGINAL.test(line)) return true;
  if (!reply) return false;
  if (RULE.test(line)) {
    let k = i + 1;
    while (k < lines.length && (lines[k] as string).trim() === '') k++;
    return headerBlockAt(lines, k);
  }
  return headerBlockAt(lines, i);
}

/**
 * Replaces quoted text with spaces, keeping every offset: `>` lines; an attribution line (`On … wrote:`) with the
 * `>` block after it, the writer's text below that block kept (a bottom-posted reply); and everything from where
 * the original starts unquoted (`-----Original Message-----`, an attribution line with no `>` block, and in replies
 * Outlook's rule line and `From:/Sent:/To:/Subject:` block). The first message of a thread (`reply` false) keeps
 * text below an Outlook header block: that is how Outlook forwards the alert itself.
 */
export function maskQuoted(text: string, reply = true): string {
  const orig = text.split('\n');
  const lines = orig.map((l) => (/^[ \t]*>/.test(l) ? ' '.repeat(l.length) : l));
  const blank = (l: string) => ' '.repeat(l.length);
  for (let i = 0; i < lines.length; i++) {
    let tail = originalAt(orig, i, reply);
    if (!tail && ATTRIBUTION.test(orig[i] as string)) {
      lines[i] = blank(orig[i] as string);
      let k = i + 1;
      while (k < orig.length && (orig[k] as string).trim() === '') k++;
      tail = k < orig.length && !/^[ \t]*>/.test(orig[k] as string);
    }
    if (tail) {
      for (let k = i; k < lines.length; k++) lines[k] = blank(lines[k] as string);
      break;
    }
  }
  return lines.join('\n');
}

/** Most messages nested in one another (a forward of a forward …) that are read. */
const MAX_DEPTH = 5;

/** A text attachment of a message: its decoded text and its file name as the mail gives it. */
interface TextPart {
  name: string;
  text: string;
}

interface Message {
  index: number;
  /** epoch ms of the `Date:` header as read by `parseMailDate`; null when missing or unreadable */
  date: number | null;
  subject: string;
  text: string;
  dateText: string | null;
  attachments: TextPart[];
  /** its text was cut at a forwarded message, which is a message of its own before it (forwarded.ts) */
  carrier?: boolean;
}

/** What parsing the whole input collects: the messages in input order (an attached message before the one carrying it) and what was skipped. */
interface Parsed {
  msgs: Message[];
  warnings: string[];
}

const TEXT_NAME = /\.(?:txt|csv|log|eml)$/i;

/** An attachment's bytes as text in the charset it declares (UTF-8 when none or unknown). */
function decodeText(a: Attachment): string {
  const ct = a.headers.get('content-type') as { params?: Record<string, string> } | string | undefined;
  const charset = typeof ct === 'object' ? ct.params?.charset : undefined;
  let text: string;
  try {
    text = new TextDecoder(charset ?? 'utf-8').decode(a.content);
  } catch {
    text = new TextDecoder('utf-8').decode(a.content); // a charset Node does not know
  }
  text = text.replace(/\r\n/g, '\n');
  return /html/i.test(a.contentType) ? text.replace(/<[^>]*>/g, ' ') : text;
}

function describe(a: Attachment): string {
  return `${a.filename === undefined ? 'an unnamed attachment' : `attachment ${JSON.stringify(a.filename)}`} (${a.contentType})`;
}

/**
 * Parses one message into `out`; attached messages (message/rfc822, `.eml`) become further messages, placed
 * before the message that carries them (they were written first); text attachments (text/*, .txt, .csv, .log)
 * become parts of it; anything else is named in a warning.
 */
async function parseInto(raw: Buffer, label: string, depth: number, out: Parsed): Promise<void> {
  let mail: ParsedMail;
  try {
    // loaded at the first e-mail, not at import (a third of a second the CLI's other commands do not need)
    const { simpleParser } = await import('mailparser');
    mail = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (e) {
    throw new AppError('ASSIST_EMAIL_INVALID', 'bad_request', `assist: ${label} is not a readable e-mail: ${(e as Error).message}`, { message: label });
  }
  const attachments: TextPart[] = [];
  for (const a of mail.attachments) {
    const isMessage = /^message\/rfc822$/i.test(a.contentType) || /\.eml$/i.test(a.filename ?? '');
    if (isMessage && depth < MAX_DEPTH && out.msgs.length < MAX_MESSAGES) await parseInto(a.content, `the message attached to ${label}`, depth + 1, out);
    else if (isMessage) out.warnings.push(`${label}: ${describe(a)} skipped: more than ${depth < MAX_DEPTH ? `${MAX_MESSAGES} messages` : `${MAX_DEPTH} messages nested`}`);
    else if (/^text\//i.test(a.contentType) || TEXT_NAME.test(a.filename ?? '')) attachments.push({ name: a.filename ?? a.contentType, text: decodeText(a) });
    // images an HTML body shows inline (a signature's logo) are part of the body's layout, not content
    else if (!(a.related && /^image\//i.test(a.contentType))) out.warnings.push(`${label}: ${describe(a)} skipped: not text`);
  }
  const text = (mail.text ?? (typeof mail.html === 'string' ? mail.html.replace(/<[^>]*>/g, ' ') : '')).replace(/\r\n/g, '\n');
  const header = rawDateHeader(mail.headerLines);
  const date = header === null ? null : parseMailDate(header);
  if (header !== null && date === null) out.warnings.push(`${label}: the Date header ${JSON.stringify(header.slice(0, 100))} is not a date; the message keeps its place in the thread`);
  const own = pushForwarded(text, mail.subject ?? '', headerZone(header), label, depth, out);
  out.msgs.push({ index: out.msgs.length, date, subject: mail.subject ?? '', text: own, dateText: date === null ? null : new Date(date).toISOString(), attachments, carrier: own !== text });
}

/**
 * A forwarded message in a message's text (forwarded.ts) becomes a message of its own, placed before the one carrying
 * it (it was written first), as an attached one is; a forward of a forward, each. Returns the carrier's own text: what
 * it says above the forwarded block. `zone` reads a forwarded date written without one (Gmail's, Outlook's).
 */
function pushForwarded(text: string, subject: string, zone: number, label: string, depth: number, out: Parsed): string {
  const fwd = depth < MAX_DEPTH && out.msgs.length < MAX_MESSAGES - 1 ? splitForwarded(text, subject) : null;
  if (fwd === null) return text;
  const where = `the message forwarded in ${label}`;
  const inner = pushForwarded(fwd.text, fwd.subject, zone, where, depth + 1, out);
  const date = fwd.date === null ? null : parseForwardedDate(fwd.date, zone);
  if (fwd.date !== null && date === null) out.warnings.push(`${where}: its Date line ${JSON.stringify(fwd.date.slice(0, 100))} is not a date; it keeps its place before the forward`);
  out.msgs.push({ index: out.msgs.length, date, subject: fwd.subject, text: inner, dateText: date === null ? null : new Date(date).toISOString(), attachments: [], carrier: inner !== fwd.text });
  return fwd.before;
}

/**
 * A thread in time order: the dated messages sorted by date into the places dated messages held, undated
 * ones where they were. One total order (date, then input order), where a comparator that fell back to
 * input order only when one side was undated was not transitive.
 */
export function threadOrder<T extends { index: number; date: number | null }>(msgs: readonly T[]): T[] {
  const dated = msgs.filter((m) => m.date !== null).sort((a, b) => (a.date as number) - (b.date as number) || a.index - b.index);
  let k = 0;
  return msgs.map((m) => (m.date === null ? m : (dated[k++] as T)));
}

/** Reads one message's texts (body, then its text attachments) into the record. */
function applyMessage(rec: IncidentRecord, m: Message, i: number, single: boolean): void {
  const body = `message[${i}].text`;
  const subj = `message[${i}].subject`;
  rec.parts[body] = m.text;
  rec.parts[subj] = m.subject;
  if (m.dateText !== null) {
    rec.parts[`message[${i}].date`] = m.dateText;
    pushUnique(rec.times, fieldAt(`message[${i}].date`, m.dateText, 0, m.dateText.length));
  }
  const texts = [{ part: body, own: maskQuoted(m.text, i > 0) }];
  m.attachments.forEach((a, j) => {
    const part = `message[${i}].attachment[${j}]`;
    rec.parts[part] = a.text;
    rec.parts[`${part}.name`] = a.name;
    texts.push({ part, own: maskQuoted(a.text, i > 0) });
  });
  if (i === 0) {
    // the alert: its labelled fields (body or an attached export) before the subject line's words; the threat the body
    // names in a sentence (`Defender detected Trojan:Win32/Emotet.A`) before an attachment's label (an older alert, a
    // log excerpt), and a summary standing for the threat only after every part was read (summaryAsThreat)
    const [own, ...attached] = texts;
    if (own !== undefined) {
      applyReport(rec, own.part, own.own);
      applyNamedThreat(rec, own.part, own.own);
    }
    for (const t of attached) applyReport(rec, t.part, t.own);
    for (const t of texts) applyTextRules(rec, t.part, t.own);
    summaryAsThreat(rec, texts.map((t) => t.own));
    const s = /^\s*(?:(?:re|fwd?|aw|転送|返信)\s*[:：]\s*|\[[^\]]*\]\s*)*/iu.exec(m.subject);
    const cut = s === null ? 0 : s[0].length;
    setOnce(rec, 'summary', fieldAt(subj, m.subject, cut, m.subject.length));
    firstLineSummary(rec, body, texts[0]?.own ?? '');
    if (single) for (const t of texts) applyStepRules(rec, t.part, t.own);
    return;
  }
  // the forwarder's own labels above a forwarded block (`Ticket: INC-4411`, `Owner: alice`) are the operator's: read
  // after the original's, they fill only what it left (until 2026-12 they were lost; a reply's labels still are not read)
  if (m.carrier === true) applyReport(rec, body, texts[0]?.own ?? '');
  for (const t of texts) {
    applyTextRules(rec, t.part, t.own);
    applyStepRules(rec, t.part, t.own);
  }
}

export async function normalizeEmail(data: Buffer): Promise<IncidentRecord> {
  const raws = looksLikeMbox(data) ? splitMbox(data) : [data];
  if (raws.length > MAX_MESSAGES) {
    throw new AppError('ASSIST_TOO_MANY_MESSAGES', 'bad_request', `assist: the mbox holds ${raws.length} messages, more than ${MAX_MESSAGES}; split it`, { limit: MAX_MESSAGES });
  }
  const parsed: Parsed = { msgs: [], warnings: [] };
  for (let i = 0; i < raws.length; i++) await parseInto(endHeaders(raws[i] as Buffer), `message ${i + 1}`, 0, parsed);
  const msgs = threadOrder(parsed.msgs);
  const rec = emptyRecord('email', {});
  // a forward is one message for this: the original's steps are read as a lone message's are
  const single = msgs.filter((m) => m.carrier !== true).length === 1;
  msgs.forEach((m, i) => applyMessage(rec, m, i, single));
  addInternalAssets(rec);
  if (parsed.warnings.length > 0) rec.warnings = parsed.warnings;
  return rec;
}
