/**
 * Query text -> tokens. Columns are 1-based and count code points, as a user counts characters.
 * Outside quotes, whitespace, `(` and `)` end a word; `"` starts a quoted phrase (`\"` and `\\`
 * escape inside it); `-` at the start of a term negates it; `OR`, `AND`, `NOT` are operators only
 * in uppercase and unquoted.
 */
import { syntaxError } from './errors.js';

export type Token =
  | { type: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; column: number }
  | { type: 'word'; text: string; quoted: boolean; column: number }
  | FieldToken;

/** `name:value`; `value` is null when nothing followed the colon. `raw` is the word as typed. */
export interface FieldToken {
  type: 'field';
  name: string;
  value: string | null;
  quoted: boolean;
  column: number;
  valueColumn: number;
  raw: string;
}

const KEYWORDS: Record<string, 'or' | 'and' | 'not'> = { OR: 'or', AND: 'and', NOT: 'not' };
const FIELD = /^([A-Za-z_]+):(.*)$/su;
/**
 * `http://x` and `fe::1` are text, not fields: a value may start with `/` or `:` only after a field
 * whose values can (`ip:::1`, `ip:::ffff:10.0.0.5`, `sub::443`, `sub://evil`).
 */
const LEADING_COLON_OR_SLASH = new Set(['ip', 'sub']);

function fieldMatch(text: string): RegExpExecArray | null {
  const m = FIELD.exec(text);
  if (m === null) return null;
  const first = m[2]![0];
  if ((first === ':' || first === '/') && !LEADING_COLON_OR_SLASH.has(m[1]!.toLowerCase())) return null;
  return m;
}
const SPACE = /^\s$/u;

function endsWord(ch: string | undefined): boolean {
  return ch === undefined || ch === '(' || ch === ')' || ch === '"' || SPACE.test(ch);
}

export function lex(query: string): Token[] {
  const cps = Array.from(query);
  const tokens: Token[] = [];
  let i = 0;
  while (i < cps.length) {
    const ch = cps[i]!;
    const column = i + 1;
    if (SPACE.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'lparen' : 'rparen', column });
      i++;
    } else if (ch === '-') {
      tokens.push({ type: 'minus', column });
      i++;
    } else if (ch === '"') {
      const q = readQuoted(cps, i);
      tokens.push({ type: 'word', text: q.text, quoted: true, column });
      i = q.end;
    } else {
      let j = i;
      while (!endsWord(cps[j])) j++;
      const text = cps.slice(i, j).join('');
      i = j;
      if (cps[j] === '"') {
        if (!text.endsWith(':') || fieldMatch(text + 'x') === null) {
          throw syntaxError(`unexpected '"'`, j + 1, 'a quote starts a phrase: put a space before it');
        }
        const q = readQuoted(cps, j);
        tokens.push(fieldToken(text, q.text, true, column, j + 1, cps.slice(column - 1, q.end).join('')));
        i = q.end;
        continue;
      }
      // own keys only: `constructor` and `toString` are words, not what every object inherits
      const keyword = Object.hasOwn(KEYWORDS, text) ? KEYWORDS[text] : undefined;
      if (keyword !== undefined) {
        tokens.push({ type: keyword, column });
        continue;
      }
      // `app:sshd(pam_unix)` read as `app:sshd (pam_unix)` counted 104,482 lines where the tag has 70,714 (a
      // hunt review): a group right after a word, with no space between, is more likely part of the value
      if (cps[j] === '(') throw syntaxError(`'(' right after '${text}'`, j + 1, `quote the value if the parenthesis belongs to it (${quotedHint(text)}), or put a space before the group`);
      const m = fieldMatch(text);
      if (m === null) tokens.push({ type: 'word', text, quoted: false, column });
      else tokens.push(fieldToken(text, m[2] === '' ? null : m[2]!, false, column, column + Array.from(m[1]!).length + 1, text));
    }
  }
  return tokens;
}

/** `app:sshd` → `app:"sshd(…)"`, `foo` → `"foo(…)"`: how to search a value that holds a parenthesis. */
function quotedHint(text: string): string {
  const m = fieldMatch(text);
  return m === null || m[2] === '' ? `"${text}(…)"` : `${m[1]}:"${m[2]}(…)"`;
}

function fieldToken(text: string, value: string | null, quoted: boolean, column: number, valueColumn: number, raw: string): FieldToken {
  const name = text.slice(0, text.indexOf(':'));
  return { type: 'field', name, value, quoted, column, valueColumn, raw };
}

/** Reads `"..."` starting at the opening quote; returns the unescaped text and the index after it. */
function readQuoted(cps: string[], start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < cps.length) {
    const ch = cps[i]!;
    if (ch === '\\' && (cps[i + 1] === '"' || cps[i + 1] === '\\')) {
      text += cps[i + 1];
      i += 2;
    } else if (ch === '"') {
      const after = cps[i + 1];
      if (after !== undefined && after !== '(' && after !== ')' && !SPACE.test(after)) {
        throw syntaxError(`unexpected '${after}' after a closing quote`, i + 2, 'put a space after the quote');
      }
      return { text, end: i + 1 };
    } else {
      text += ch;
      i++;
    }
  }
  throw syntaxError('unbalanced quote', start + 1);
}
