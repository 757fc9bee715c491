/**
 * For tests only: a tiny evaluator of the FTS5 expressions this folder emits (over a set of index
 * terms) and a real FTS5 table built like a shard's. The evaluator is strict on purpose: it refuses
 * two different operators at one level, the property fts.ts promises so FTS5 precedence never matters.
 */
import Database from 'better-sqlite3';
import { FTS_TOKENIZER, TYPED_MARK } from '../../store/index.js';
import type { Node } from './ast.js';
import { quoteTerm } from './fts.js';
import type { Pred } from './plan.js';
import { foldCase, verifyText } from './verify.js';

type Expr = { term: string; prefix: boolean } | { op: 'AND' | 'OR' | 'NOT'; args: Expr[] };

function parseFts(src: string): Expr {
  let i = 0;
  const skip = (): void => {
    while (src[i] === ' ') i++;
  };
  const primary = (): Expr => {
    skip();
    if (src[i] === '(') {
      i++;
      const e = expr();
      skip();
      if (src[i++] !== ')') throw new Error(`fts-eval: missing ) in ${src}`);
      return e;
    }
    if (src[i++] !== '"') throw new Error(`fts-eval: expected a quoted term at ${i} in ${src}`);
    let term = '';
    for (;;) {
      if (i >= src.length) throw new Error(`fts-eval: unclosed quote in ${src}`);
      if (src[i] === '"' && src[i + 1] !== '"') break;
      term += src[i];
      i += src[i] === '"' ? 2 : 1;
    }
    i++;
    const prefix = src[i] === '*';
    if (prefix) i++;
    return { term, prefix };
  };
  const expr = (): Expr => {
    const args = [primary()];
    let op: 'AND' | 'OR' | 'NOT' | null = null;
    for (skip(); i < src.length && src[i] !== ')'; skip()) {
      const m = /^(AND|OR|NOT) /.exec(src.slice(i));
      if (m === null) throw new Error(`fts-eval: expected an operator at ${i} in ${src}`);
      if ((op !== null && op !== m[1]) || (op === 'NOT' && args.length === 2)) throw new Error(`fts-eval: mixed operators in ${src}`);
      op = m[1] as 'AND' | 'OR' | 'NOT';
      i += m[0].length;
      args.push(primary());
    }
    return op === null ? args[0]! : { op, args };
  };
  const e = expr();
  if (i !== src.length) throw new Error(`fts-eval: trailing text in ${src}`);
  return e;
}

function evalExpr(e: Expr, terms: Set<string>): boolean {
  if ('term' in e) {
    if (!e.prefix) return terms.has(e.term);
    for (const t of terms) if (t.startsWith(e.term)) return true;
    return false;
  }
  if (e.op === 'AND') return e.args.every((a) => evalExpr(a, terms));
  if (e.op === 'OR') return e.args.some((a) => evalExpr(a, terms));
  return evalExpr(e.args[0]!, terms) && !evalExpr(e.args[1]!, terms);
}

/** Does a line whose index terms are `terms` match the FTS expression? */
export function evalFts(expr: string, terms: Set<string>): boolean {
  return evalExpr(parseFts(expr), terms);
}

/** A pred on one line: fts nodes through `fts`, phrases and substrings against the line's text. */
export function evalPred(pred: Pred, line: string, fts: (expr: string) => boolean): boolean {
  switch (pred.op) {
    case 'all':
      return true;
    case 'fts':
      return fts(pred.expr);
    case 'phrase':
    case 'substr':
      return verifyText(pred, line);
    case 'not':
      return !evalPred(pred.arg, line, fts);
    case 'and':
      return pred.args.every((a) => evalPred(a, line, fts));
    case 'or':
      return pred.args.some((a) => evalPred(a, line, fts));
  }
}

/** The meaning of a syntax tree on one line, straight from the AST (what the compiler must preserve). */
export function evalNode(node: Node, line: string, tokens: Set<string>): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'terms':
      return node.alts.some((a) => evalFts(quoteTerm(a.term, a.prefix), tokens));
    case 'phrase':
      return verifyText({ op: 'phrase', tokens: node.tokens, prefix: node.prefix, candidates: '', ...(node.whole === true ? { whole: true } : {}) }, line);
    case 'substr':
      return foldCase(line).includes(node.text);
    case 'not':
      return !evalNode(node.arg, line, tokens);
    case 'and':
      return node.args.every((a) => evalNode(a, line, tokens));
    case 'or':
      return node.args.some((a) => evalNode(a, line, tokens));
  }
}

/** Every FTS expression inside a pred. */
export function ftsExprs(pred: Pred): string[] {
  switch (pred.op) {
    case 'fts':
      return [pred.expr];
    case 'phrase':
      return [pred.candidates];
    case 'substr':
      return pred.candidates === null ? [] : [pred.candidates];
    case 'not':
      return ftsExprs(pred.arg);
    case 'and':
    case 'or':
      return pred.args.flatMap(ftsExprs);
    case 'all':
      return [];
  }
}

/** An in-memory table like a shard's `idx`; `matches(rowid, expr)` binds the expression as a parameter. */
export function openFtsTable(): { add(rowid: number, text: string): void; matches(rowid: number, expr: string): boolean; check(expr: string): void; close(): void } {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE idx USING fts5(text, content='', detail=none, tokenize="${FTS_TOKENIZER}")`);
  const insert = db.prepare('INSERT INTO idx(rowid, text) VALUES (?, ?)');
  const one = db.prepare('SELECT count(*) AS n FROM idx WHERE rowid = ? AND idx MATCH ?');
  const all = db.prepare('SELECT count(*) AS n FROM idx WHERE idx MATCH ?');
  return {
    // the store removes the mark from raw text the same way (terms.ts indexText)
    add: (rowid, text) => void insert.run(rowid, text.replaceAll(TYPED_MARK, '\uFFFD')),
    // BigInt: better-sqlite3 binds a JS number as REAL, and FTS5 silently ignores `rowid = <real>`
    matches: (rowid, expr) => (one.get(BigInt(rowid), expr) as { n: number }).n > 0,
    check: (expr) => void all.get(expr),
    close: () => db.close(),
  };
}
