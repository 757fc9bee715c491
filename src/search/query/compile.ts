/**
 * Syntax tree -> leaf plan. Each maximal group of term-only siblings becomes ONE exact `fts` node;
 * only phrases and substrings need the line's text. FTS5's NOT is binary, so a term-only subtree is
 * kept as `pos NOT neg` with `pos` possibly "everything"; a pure negation surfaces as not(fts).
 */
import type { Node } from './ast.js';
import { ftsAlts, ftsAnd, ftsNot, ftsOr, quoteTerm } from './fts.js';
import { parseQuery } from './parser.js';
import type { LeafPlan, Pred } from './plan.js';
import { substrCandidates } from './substr.js';

/** Lines matching `pos` (null: every line) and not matching `neg` (null: none). Never both null. */
interface Signed {
  pos: string | null;
  neg: string | null;
}

function closed(s: Signed): string | null {
  if (s.pos === null) return null;
  return s.neg === null ? s.pos : ftsNot(s.pos, s.neg);
}

function andSigned(parts: Signed[]): Signed {
  const pos = parts.flatMap((p) => (p.pos === null ? [] : [p.pos]));
  const neg = parts.flatMap((p) => (p.neg === null ? [] : [p.neg]));
  return { pos: pos.length === 0 ? null : ftsAnd(pos), neg: neg.length === 0 ? null : ftsOr(neg) };
}

// a OR ¬b OR ¬c = ¬((b AND c) NOT a): with any pure negation the union is a complement.
function orSigned(parts: Signed[]): Signed {
  const whole: string[] = [];
  const negOnly: string[] = [];
  for (const p of parts) {
    const c = closed(p);
    if (c === null) negOnly.push(p.neg!);
    else whole.push(c);
  }
  if (negOnly.length === 0) return { pos: ftsOr(whole), neg: null };
  const missing = ftsAnd(negOnly);
  return { pos: null, neg: whole.length === 0 ? missing : ftsNot(missing, ftsOr(whole)) };
}

/** The term-only form of a node, or null when it holds a phrase, a substring or `all`. */
function signedOf(node: Node): Signed | null {
  switch (node.kind) {
    case 'terms':
      return { pos: ftsAlts(node.alts), neg: null };
    case 'not': {
      const inner = signedOf(node.arg);
      if (inner === null) return null;
      const c = closed(inner);
      return c === null ? { pos: inner.neg, neg: null } : { pos: null, neg: c };
    }
    case 'and':
    case 'or': {
      const parts: Signed[] = [];
      for (const a of node.args) {
        const s = signedOf(a);
        if (s === null) return null;
        parts.push(s);
      }
      return node.kind === 'and' ? andSigned(parts) : orSigned(parts);
    }
    default:
      return null;
  }
}

function signedPred(s: Signed): Pred {
  const c = closed(s);
  return c === null ? { op: 'not', arg: { op: 'fts', expr: s.neg! } } : { op: 'fts', expr: c };
}

function toPred(node: Node): Pred {
  const s = signedOf(node);
  if (s !== null) return signedPred(s);
  switch (node.kind) {
    case 'phrase': {
      const last = node.tokens.length - 1;
      const terms = node.tokens.map((t, i) => quoteTerm(t, node.prefix && i === last));
      const phrase: Pred = { op: 'phrase', tokens: node.tokens, prefix: node.prefix, candidates: ftsAnd(terms) };
      return node.whole === true ? { ...phrase, whole: true } : phrase;
    }
    case 'substr':
      return { op: 'substr', text: node.text, candidates: substrCandidates(node.text) };
    case 'not':
      return { op: 'not', arg: toPred(node.arg) };
    case 'and':
    case 'or': {
      const termParts: Signed[] = [];
      const rest: Pred[] = [];
      for (const a of node.args) {
        const sa = signedOf(a);
        if (sa === null) rest.push(toPred(a));
        else termParts.push(sa);
      }
      if (termParts.length > 0) rest.unshift(signedPred(node.kind === 'and' ? andSigned(termParts) : orSigned(termParts)));
      return rest.length === 1 ? rest[0]! : { op: node.kind, args: rest };
    }
    default:
      return { op: 'all' };
  }
}

export function compileNode(node: Node): LeafPlan {
  const root = toPred(node);
  return { root, fastFts: root.op === 'fts' ? root.expr : null };
}

/** Query text -> leaf plan. Throws AppError QUERY_SYNTAX or QUERY_TOO_COMPLEX. */
export function compileQuery(text: string): LeafPlan {
  return compileNode(parseQuery(text));
}
