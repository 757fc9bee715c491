/**
 * Terminal colour codes in forwarded lines (journald, systemd units, daemons that colour their output
 * even when it is not a terminal): ANSI CSI sequences `ESC [ digits-and-semicolons letter` such as
 * `\x1b[32m` and `\x1b[0m`, read exactly as entities/scan.ts skips them. The header, entity and relation
 * readers see the line as a terminal shows it; `raw` keeps every byte as received.
 */

const ESC = 27;
const LEFT_BRACKET = 91;

function isParam(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 59;
}

function isFinal(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

/** Code units of out[0, len) as a string, in chunks small enough for fromCharCode's argument list. */
function unitsToString(out: Uint16Array, len: number): string {
  let s = '';
  for (let i = 0; i < len; i += 8192) s += String.fromCharCode.apply(null, out.subarray(i, Math.min(len, i + 8192)) as unknown as number[]);
  return s;
}

/**
 * `s` without its colour codes; `s` itself (no copy) when it has no ESC. Codes that removing codes
 * joins (`\x1b\x1b[1m[2m`) go too, so none is left in a host, program, user or address, and in linear
 * time: a stack of the output, where open[k] is the index of the ESC of a sequence still open
 * (`ESC` or `ESC [ params`) when the output holds k + 1 units, else -1. A final letter drops the open
 * sequence, which uncovers the state before it.
 */
export function withoutColourCodes(s: string): string {
  const first = s.indexOf('\x1b');
  if (first < 0) return s;
  const n = s.length;
  const out = new Uint16Array(n);
  const open = new Int32Array(n);
  for (let i = 0; i < first; i++) {
    out[i] = s.charCodeAt(i);
    open[i] = -1;
  }
  let len = first;
  for (let i = first; i < n; i++) {
    const c = s.charCodeAt(i);
    const start = len > 0 ? open[len - 1]! : -1;
    if (start >= 0) {
      const bracketed = start < len - 1;
      if (bracketed ? isParam(c) : c === LEFT_BRACKET) {
        out[len] = c;
        open[len++] = start;
        continue;
      }
      if (bracketed && isFinal(c)) {
        len = start;
        continue;
      }
    }
    out[len] = c;
    open[len] = c === ESC ? len : -1;
    len++;
  }
  return unitsToString(out, len);
}
