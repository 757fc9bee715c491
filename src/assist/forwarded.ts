/**
 * A forwarded message inside a message's text: Gmail's `---------- Forwarded message ---------`, Apple Mail's `Begin
 * forwarded message:` and, in a forward (`FW:`), Outlook's `-----Original Message-----`, each followed by the original's
 * `From:`/`Date:`/`Subject:`/`To:` lines. Read as the original message: its header lines had become extra fields of the
 * record, its time the forward's, its subject the forward's `Fwd:` one (operator walk, 2026-12).
 */

/** The line a mail client writes above a forwarded message; `outlook` only counts in a forward. */
const MARK = /^[ \t]*(?:(-{3,}\s*(?:Forwarded message|転送されたメッセージ)\s*-{3,})|(Begin forwarded message:|転送されたメッセージ[:：]?)|(-{2,}\s*(?:Original Message|元のメッセージ|オリジナル メッセージ)\s*-{2,}))[ \t]*$/imu;
/** A header line of the forwarded block (`*From:*` from HTML mail; English and Japanese clients). */
const HEADER = /^[ \t]*\*{0,2}(From|Sent|Date|To|Cc|Reply-To|Subject|差出人|送信者|送信日時|日時|日付|宛先|件名)\*{0,2}[ \t]*[:：][ \t]*(.*)$/iu;
/** A forward's own subject: `Fwd:`, `FW:`, `転送:` (after `[tags]`). */
const FORWARD_SUBJECT = /^\s*(?:\[[^\]]*\]\s*)*(?:fwd?|転送)\s*[:：]/iu;

export interface Forwarded {
  /** the forwarding message's own text, before the mark */
  before: string;
  /** the original's header values as written (`date` unparsed), and its text after the header block */
  from: string | null;
  subject: string;
  date: string | null;
  text: string;
}

/** The forwarded message in `text`, or null when there is none (or the mark has no `From:` line under it). */
export function splitForwarded(text: string, subject: string): Forwarded | null {
  const m = MARK.exec(text);
  if (m === null) return null;
  // Outlook writes the same line above the quoted original of a reply: the thread has that message already
  if (m[3] !== undefined && !FORWARD_SUBJECT.test(subject)) return null;
  const lines = text.slice(m.index + m[0].length).split('\n');
  let i = 1; // the rest of the mark's line
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  const headers = new Map<string, string>();
  for (; i < lines.length; i++) {
    const h = HEADER.exec(lines[i] as string);
    if (h === null) break;
    const name = canonical(h[1] as string);
    if (!headers.has(name)) headers.set(name, (h[2] as string).trim());
  }
  if (!headers.has('from')) return null;
  const rest = lines.slice(i).join('\n').replace(/^\s*\n/, '');
  return { before: text.slice(0, m.index), from: headers.get('from') ?? null, subject: headers.get('subject') ?? '', date: headers.get('date') ?? null, text: rest };
}

function canonical(name: string): string {
  const n = name.toLowerCase();
  if (/^(?:from|差出人|送信者)$/u.test(n)) return 'from';
  if (/^(?:sent|date|送信日時|日時|日付)$/u.test(n)) return 'date';
  if (/^(?:subject|件名)$/u.test(n)) return 'subject';
  return n;
}
