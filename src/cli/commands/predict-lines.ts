/**
 * One attack type's prediction as `nml trends predict` prints it: the type and its probability on a line,
 * then what raised and what lowered it, indented under it and wrapped at WIDTH. Said on one line, a type
 * took 250–320 characters (four drivers, a national day's name, "; lowered by" two more).
 */

/** Columns the driver lines wrap at. */
export const PREDICT_WIDTH = 80;

const INDENT = '  ';

/**
 * `pieces` after `head`, one space between, wrapped at `width` with continuation lines under the first
 * piece; a piece longer than the room left stands on a line of its own rather than being cut.
 */
function filled(head: string, pieces: readonly string[], width: number): string[] {
  const hang = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  for (const piece of pieces) {
    const fresh = line === head || line === hang;
    if (!fresh && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = hang;
    }
    line += (line === head || line === hang ? '' : ' ') + piece;
  }
  lines.push(line);
  return lines;
}

/**
 * `items` after `head` ("raised by: "), joined by ", " and wrapped at `width`, continuation lines under the
 * first item; an item longer than the room left stands on a line of its own rather than being cut.
 */
export function wrappedList(head: string, items: readonly string[], width = PREDICT_WIDTH): string[] {
  return filled(head, items.map((item, i) => item + (i < items.length - 1 ? ',' : '')), width);
}

/**
 * A sentence after `head` ("note: ", "next day: "), wrapped at `width` between words, continuation lines
 * under its first word: the basis, note and warning lines took 115–320 characters on one line.
 */
export function wrappedText(head: string, text: string, width = PREDICT_WIDTH): string[] {
  return filled(head, text.split(' '), width);
}

/**
 * `label` and `probability` (already in words, with any flag), then `reported` where the type is already
 * reported in the period forecast (reportedText), then "raised by:" and "lowered by:" lines where there are drivers.
 */
export function predictionLines(label: string, probability: string, raised: readonly string[], lowered: readonly string[], width = PREDICT_WIDTH, reported: string | null = null): string[] {
  const lines = [`${label.padEnd(30)} ${probability}`];
  if (reported !== null) lines.push(...wrappedText(`${INDENT}already reported: `, reported, width));
  if (raised.length > 0) lines.push(...wrappedList(`${INDENT}raised by:  `, raised, width));
  if (lowered.length > 0) lines.push(...wrappedList(`${INDENT}lowered by: `, lowered, width));
  return lines;
}
