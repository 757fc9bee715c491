/** E-mail (.eml, mbox) threads into one record: the alert from the first message, response steps from the replies. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { AppError } from '../core/index.js';
import { addInternalAssets, applyReport } from './alert-report.js';
import { emptyRecord, fieldAt, pushUnique, setOnce, type IncidentRecord } from './record.js';
import { applyStepRules, applyTextRules, firstLineSummary } from './text-rules.js';

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

export function looksLikeMbox(data: Buffer): boolean {
  return /^From \S+/.test(data.subarray(0, 200).toString('latin1'));
}

export function looksLikeEmail(data: Buffer): boolean {
  const head = data.subarray(0, 4096).toString('latin1');
  return looksLikeMbox(data) || (/^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+/.test(head) && /^(?:From|Subject|Message-ID|Received):/im.test(head) && /^(?:Date|To|From):/im.test(head));
}

/** Replaces quoted lines and the quoted tail of a reply with spaces, keeping every offset. */
export function maskQuoted(text: string): string {
  let out = text.replace(/^[ \t]*>[^\n]*$/gm, (l) => ' '.repeat(l.length));
  const tail = /^(?:-{2,}\s*Original Message\s*-{2,}|On .{4,200}wrote:|\d{4}[/年].{0,80}(?:wrote|書きました|のメール)[:：]?)\s*$/imu.exec(out);
  if (tail !== null) out = out.slice(0, tail.index) + out.slice(tail.index).replace(/[^\n]/g, ' ');
  return out;
}

interface Message {
  index: number;
  date: number;
  subject: string;
  text: string;
  dateText: string | null;
}

async function parseOne(raw: Buffer, index: number): Promise<Message> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (e) {
    throw new AppError('ASSIST_EMAIL_INVALID', 'bad_request', `assist: message ${index + 1} is not a readable e-mail: ${(e as Error).message}`, { message: index + 1 });
  }
  const text = (mail.text ?? (typeof mail.html === 'string' ? mail.html.replace(/<[^>]*>/g, ' ') : '')).replace(/\r\n/g, '\n');
  return { index, date: mail.date?.getTime() ?? Number.NaN, subject: mail.subject ?? '', text, dateText: mail.date?.toISOString() ?? null };
}

export async function normalizeEmail(data: Buffer): Promise<IncidentRecord> {
  const raws = looksLikeMbox(data) ? splitMbox(data) : [data];
  if (raws.length > MAX_MESSAGES) {
    throw new AppError('ASSIST_TOO_MANY_MESSAGES', 'bad_request', `assist: the mbox holds ${raws.length} messages, more than ${MAX_MESSAGES}; split it`, { limit: MAX_MESSAGES });
  }
  const msgs: Message[] = [];
  for (let i = 0; i < raws.length; i++) msgs.push(await parseOne(raws[i] as Buffer, i));
  // a thread in time order (messages without a date keep their place)
  msgs.sort((a, b) => (Number.isNaN(a.date) || Number.isNaN(b.date) ? a.index - b.index : a.date - b.date || a.index - b.index));
  const rec = emptyRecord('email', {});
  msgs.forEach((m, i) => {
    const body = `message[${i}].text`;
    const subj = `message[${i}].subject`;
    rec.parts[body] = m.text;
    rec.parts[subj] = m.subject;
    if (m.dateText !== null) {
      rec.parts[`message[${i}].date`] = m.dateText;
      pushUnique(rec.times, fieldAt(`message[${i}].date`, m.dateText, 0, m.dateText.length));
    }
    const own = maskQuoted(m.text);
    if (i === 0) {
      applyReport(rec, body, own);
      applyTextRules(rec, body, own);
      const s = /^\s*(?:(?:re|fwd?|aw|転送|返信)\s*[:：]\s*|\[[^\]]*\]\s*)*/iu.exec(m.subject);
      const cut = s === null ? 0 : s[0].length;
      setOnce(rec, 'summary', fieldAt(subj, m.subject, cut, m.subject.length));
      firstLineSummary(rec, body, own);
      return;
    }
    applyTextRules(rec, body, own);
    applyStepRules(rec, body, own);
  });
  if (msgs.length === 1) applyStepRules(rec, 'message[0].text', maskQuoted(msgs[0]?.text ?? ''));
  addInternalAssets(rec);
  return rec;
}
