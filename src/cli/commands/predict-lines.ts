/**
 * One attack type's prediction as `nml trends predict` prints it: the type and its probability on a line,
 * then what raised and what lowered it, indented under it and wrapped at WIDTH. Said on one line, a type
 * took 250–320 characters (four drivers, a national day's name, "; lowered by" two more).
 */

/** Columns the driver lines wrap at. */
export const PREDICT_WIDTH = 80;

const INDENT = '  ';

/**
 * `items` after `head` ("raised by: "), joined by ", " and wrapped at `width`, continuation lines under the
 * first item; an item longer than the room left stands on a line of its own rather than being cut.
 */
export function wrappedList(head: string, items: readonly string[], width = PREDICT_WIDTH): string[] {
  const hang = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]! + (i < items.length - 1 ? ',' : '');
    const fresh = line === head || line === hang;
    if (!fresh && line.length + 1 + item.length > width) {
      lines.push(line);
      line = hang;
    }
    line += (line === head || line === hang ? '' : ' ') + item;
  }
  lines.push(line);
  return lines;
}

/** `label` and `probability` (already in words, with any flag), then "raised by:" and "lowered by:" lines where there are drivers. */
export function predictionLines(label: string, probability: string, raised: readonly string[], lowered: readonly string[], width = PREDICT_WIDTH): string[] {
  const lines = [`${label.padEnd(30)} ${probability}`];
  if (raised.length > 0) lines.push(...wrappedList(`${INDENT}raised by:  `, raised, width));
  if (lowered.length > 0) lines.push(...wrappedList(`${INDENT}lowered by: `, lowered, width));
  return lines;
}
