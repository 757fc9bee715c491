/**
 * Building FTS5 expressions. Every term is emitted double-quoted with `"` doubled, so no user text
 * reaches FTS5 as syntax; composite operands are parenthesized, so FTS5's own precedence never matters.
 */
import { textTokens } from '../../store/terms.js';
import type { TermAlt } from './ast.js';

// Letters to JavaScript (Unicode 15) that SQLite's unicode61 tables (Unicode 6.1, where they were
// spacing marks) treat as separators. A quoted term holding one would become a multi-word phrase,
// which FTS5 rejects under detail=none; splitting there is exactly what the index tokenizer did.
const FTS_SEPARATOR_LETTERS = /[\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3]/u;

/** The words of text as the shard tokenizer splits them (lowercase). */
export function wordTokens(text: string): string[] {
  const tokens = textTokens(text);
  if (!tokens.some((t) => FTS_SEPARATOR_LETTERS.test(t))) return tokens;
  return tokens.flatMap((t) => t.split(FTS_SEPARATOR_LETTERS)).filter((t) => t !== '');
}

export function quoteTerm(term: string, prefix = false): string {
  return `"${term.replaceAll('"', '""')}"${prefix ? '*' : ''}`;
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
