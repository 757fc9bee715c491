/**
 * One CSV record split into at most `limit` fields, RFC 4180 quoting (`"a,b"`, `""` inside quotes).
 * Hand-written for the ingest path: csv-parse's sync API costs ~0.5 ms per call on a single line; the
 * tests check this splitter against csv-parse.
 */
export function splitCsv(line: string, limit: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (out.length < limit) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = n;
          break;
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // text between a closing quote and the next comma is kept, as csv-parse's relax_quotes does
      const comma = line.indexOf(',', j);
      const end = comma < 0 ? n : comma;
      out.push(value + line.slice(j, end));
      if (comma < 0) break;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
  return out;
}
