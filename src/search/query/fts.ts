/**
 * Building FTS5 expressions. Every term is emitted double-quoted with `"` doubled, so no user text
 * reaches FTS5 as syntax; composite operands are parenthesized, so FTS5's own precedence never matters.
 */
import { textTokens } from '../../store/index.js';
import type { TermAlt } from './ast.js';

// Letters to JavaScript (Unicode 15) that SQLite's unicode61 tables (Unicode 6.1, where they were
// spacing marks) treat as separators. A quoted term holding one would become a multi-word phrase,
// which FTS5 rejects under detail=none; splitting there is exactly what the index tokenizer did.
const FTS_SEPARATOR_LETTERS = /[\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3]/u;

/** The words of text as the shard tokenizer splits and folds them (textTokens: SQLite's own tables, these letters included). */
export function wordTokens(text: string): string[] {
  return textTokens(text);
}

function quoteOne(term: string, prefix: boolean): string {
  return `"${term.replaceAll('"', '""')}"${prefix ? '*' : ''}`;
}

/**
 * `"term"` or `"term"*`. A typed value holding an FTS separator letter was split by the index too
 * (encodeValue keeps letters), so it becomes the AND of its pieces: a superset, never an FTS5 error.
 */
export function quoteTerm(term: string, prefix = false): string {
  if (!FTS_SEPARATOR_LETTERS.test(term)) return quoteOne(term, prefix);
  const pieces = term.split(FTS_SEPARATOR_LETTERS);
  const last = pieces.length - 1;
  const quoted = pieces.flatMap((p, i) => (p === '' ? [] : [quoteOne(p, prefix && i === last)]));
  return ftsAnd(quoted);
}

const SINGLE_TERM = /^"(?:[^"]|"")*"\*?$/su;

function operand(expr: string): string {
  return SINGLE_TERM.test(expr) ? expr : `(${expr})`;
}

function join(op: 'AND' | 'OR', exprs: string[]): string {
  const unique = [...new Set(exprs)];
  if (unique.length === 1) return unique[0]!;
  return unique.map(operand).join(` ${op} `);
}

export function ftsAnd(exprs: string[]): string {
  return join('AND', exprs);
}

export function ftsOr(exprs: string[]): string {
  return join('OR', exprs);
}

/** FTS5's NOT is binary: lines matching `pos` but not `neg`. */
export function ftsNot(pos: string, neg: string): string {
  return `${operand(pos)} NOT ${operand(neg)}`;
}

export function ftsAlts(alts: TermAlt[]): string {
  return ftsOr(alts.map((a) => quoteTerm(a.term, a.prefix)));
}
