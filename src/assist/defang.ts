/**
 * Defanged indicators (`hxxps://evil[.]example/x`, `10.0.0[.]1`, `evil(.)example`, `https[:]//`) re-fanged for
 * extraction. A report defangs what is malicious so that no one clicks it: such an indicator is the incident's, where
 * a plain link in the same mail may be a legitimate redirect or the sender's footer. The re-fanged text keeps a map
 * back to the written one, so a field's pointer spans the indicator as written while its value is re-fanged.
 */

/** The markers, each with what it stands for. */
const DEFANG = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[:\]|\[:\/\/\]|\bhxxp(?=s?(?::|\[:\])\/\/)|\bhXXp(?=s?(?::|\[:\])\/\/)|\bfxp(?=(?::|\[:\])\/\/)/gu;

function fanged(marker: string): string {
  if (/^\W?\.\W?$|dot/iu.test(marker)) return '.';
  if (marker === '[://]') return '://';
  if (marker === '[:]') return ':';
  if (/^hxxp$/iu.test(marker)) return 'http';
  return 'ftp';
}

export interface Refanged {
  text: string;
  /** `at[i]`: the index in the written text of the re-fanged text's character i (and of its end at `text.length`) */
  at: number[];
  /** spans of the re-fanged text that were defanged markers */
  marks: { start: number; end: number }[];
}

/** The text with defanged markers replaced; null when it has none. */
export function refang(text: string): Refanged | null {
  DEFANG.lastIndex = 0;
  if (!DEFANG.test(text)) return null;
  DEFANG.lastIndex = 0;
  let out = '';
  const at: number[] = [];
  const marks: { start: number; end: number }[] = [];
  let last = 0;
  const copy = (to: number) => {
    for (let i = last; i < to; i++) at.push(i);
    out += text.slice(last, to);
  };
  for (const m of text.matchAll(DEFANG)) {
    copy(m.index);
    const f = fanged(m[0]);
    marks.push({ start: out.length, end: out.length + f.length });
    // every character of a replacement points at the marker's start; the end of the marker maps past it
    for (let i = 0; i < f.length; i++) at.push(m.index);
    out += f;
    last = m.index + m[0].length;
  }
  copy(text.length);
  at.push(text.length);
  return { text: out, at, marks };
}

/** The written span of the re-fanged span [start, end). */
export function writtenSpan(r: Refanged, start: number, end: number): { start: number; end: number } {
  const lastChar = r.at[end - 1] as number;
  // the end of the last character as written: past its marker when it was one
  let writtenEnd = lastChar + 1;
  const next = r.at[end] as number;
  if (next > writtenEnd && r.marks.some((mk) => mk.start < end && end <= mk.end)) writtenEnd = next;
  return { start: r.at[start] as number, end: writtenEnd };
}

/** Whether the re-fanged span [start, end) holds a defanged marker. */
export function wasDefanged(r: Refanged, start: number, end: number): boolean {
  return r.marks.some((mk) => mk.start < end && start < mk.end);
}
