/**
 * A compiled query evaluated on one line, outside any shard: the live tail's filter. It must agree
 * with search, so it sees what a shard's index sees: the words of the raw line as the FTS5 tokenizer
 * splits them plus the typed terms of the parsed event (store/terms.ts `eventTerms`), and it confirms
 * phrases and substrings on the text exactly as the leaf does. The typed terms are asked for only
 * when the query names one, and entities only for entity terms (an IP, a domain, a user …): plain word
 * filters never parse the line, and `host:`/`app:`/`severity:` filters parse only its header.
 */
import { TYPED_MARK } from '../../store/index.js';
import { wordTokens } from './fts.js';
import type { LeafPlan, Pred } from './plan.js';
import { LineText, verifyText } from './verify.js';

type Expr = { term: string; prefix: boolean } | { op: 'AND' | 'OR' | 'NOT'; args: Expr[] };

/** Parses the FTS5 expressions fts.ts emits: quoted terms, AND / OR / binary NOT, parentheses. */
export function parseFtsExpr(src: string): Expr {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`match: ${what} at ${i} in an FTS expression`);
  };
  const skip = (): void => {
    while (src[i] === ' ') i++;
  };
  const primary = (): Expr => {
    skip();
    if (src[i] === '(') {
      i++;
      const e = expr();
      skip();
      if (src[i++] !== ')') fail('missing )');
      return e;
    }
    if (src[i++] !== '"') fail('expected a quoted term');
    let term = '';
    for (;;) {
      if (i >= src.length) fail('unclosed quote');
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
    let left = primary();
    for (skip(); i < src.length && src[i] !== ')'; skip()) {
      const m = /^(AND|OR|NOT) /.exec(src.slice(i, i + 4));
      if (m === null) fail('expected an operator');
      const op = m![1] as 'AND' | 'OR' | 'NOT';
      i += m![0].length;
      const right = primary();
      // fts.ts parenthesizes composite operands, so operators at one level are all the same one
      if ('op' in left && left.op === op && op !== 'NOT') left.args.push(right);
      else left = { op, args: [left, right] };
    }
    return left;
  };
  const e = expr();
  if (i !== src.length) fail('trailing text');
  return e;
}

function evalExpr(e: Expr, line: LineTerms): boolean {
  if ('term' in e) return line.has(e.term, e.prefix);
  if (e.op === 'AND') return e.args.every((a) => evalExpr(a, line));
  if (e.op === 'OR') return e.args.some((a) => evalExpr(a, line));
  return evalExpr(e.args[0]!, line) && !evalExpr(e.args[1]!, line);
}

function namesTypedTerm(e: Expr): boolean {
  if ('term' in e) return e.term.startsWith(TYPED_MARK);
  return e.args.some(namesTypedTerm);
}

/** Typed terms are space-separated tokens that keep their mark (a token character of the shard tokenizer). */
function typedTokens(text: string): string[] {
  const out: string[] = [];
  for (const t of text.split(' ')) {
    if (t === '') continue;
    if (!t.startsWith(TYPED_MARK)) {
      out.push(...wordTokens(t));
      continue;
    }
    // the mark survives only on the first piece, as the tokenizer splits at separator letters too
    const pieces = wordTokens(t.slice(1));
    if (pieces.length > 0) out.push(TYPED_MARK + pieces[0]!, ...pieces.slice(1));
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Is `term` a word (or with `prefix`, the start of a word) of a lowercase pure-ASCII line? On ASCII the
 * tokenizer's words are the runs of [a-z0-9_], so a bounded match is exactly a token: no splitting,
 * no set, a native indexOf per term (measured 3-4× cheaper than tokenizing a 300-byte line).
 */
function asciiHasWord(lower: string, term: string, prefix: boolean): boolean {
  for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) {
    if (at > 0 && isWordChar(lower.charCodeAt(at - 1))) continue;
    const end = at + term.length;
    if (prefix || end === lower.length || !isWordChar(lower.charCodeAt(end))) return true;
  }
  return false;
}

/**
 * One line as the index would see it, computed lazily and shared by every matcher that looks at it:
 * the words of the raw text, and apart from them the typed terms (`typed()` is called at most once).
 */
/** Typed terms that come from entities (the rest come from the syslog header). */
const ENTITY_TERM = new RegExp(`^${TYPED_MARK}(?:ip4|ip6|dom|user|port|mac|email)_`);

export class LineTerms {
  private lower: string | null = null;
  private wordSet: Set<string> | null = null;
  private headerSet: Set<string> | null = null;
  private fullSet: Set<string> | null = null;
  private lineText: LineText | null = null;
  /**
   * @param typed the line's typed terms (`eventTerms`), from the header alone or with its entities
   *   (entity extraction is most of the cost of parsing): each variant is asked for at most once
   */
  constructor(
    readonly raw: string,
    private readonly typed: (withEntities: boolean) => string,
  ) {}

  /** the raw text as phrases and substrings read it, shared by all of them */
  get text(): LineText {
    return (this.lineText ??= new LineText(this.raw));
  }

  /** Is `term` a word of the raw text (a prefix of one with `prefix`)? */
  private hasWord(term: string, prefix: boolean): boolean {
    if (this.lower === null && this.wordSet === null) {
      if (ASCII.test(this.raw)) this.lower = this.raw.toLowerCase();
      else this.wordSet = new Set(this.text.words);
    }
    if (this.lower !== null) return term !== '' && asciiHasWord(this.lower, term, prefix);
    if (!prefix) return this.wordSet!.has(term);
    for (const t of this.wordSet!) if (t.startsWith(term)) return true;
    return false;
  }

  private typedTerms(withEntities: boolean): Set<string> {
    if (withEntities) return (this.fullSet ??= new Set(typedTokens(this.typed(true))));
    // the full set holds the header's terms too
    return this.fullSet ?? (this.headerSet ??= new Set(typedTokens(this.typed(false))));
  }

  /** Does the index hold `term` (or, with `prefix`, a term starting with it) for this line? */
  has(term: string, prefix: boolean): boolean {
    // words never hold the mark, so a term is looked up on one side only. (A typed value holding one of
    // the rare separator letters also leaves unmarked pieces in the index; a plain word equal to such a
    // piece is not found here: the one known difference from search, for the tail's sake of not parsing.)
    if (!term.startsWith(TYPED_MARK)) return this.hasWord(term, prefix);
    const set = this.typedTerms(ENTITY_TERM.test(term));
    if (!prefix) return set.has(term);
    for (const t of set) if (t.startsWith(term)) return true;
    return false;
  }
}

export class LineMatcher {
  private readonly exprs = new Map<string, Expr>();
  /** the query names a typed term: `matches` will call for the event's terms */
  readonly needsTerms: boolean;
  /** the empty query: every line matches, nothing need be read */
  readonly matchesAll: boolean;

  constructor(private readonly plan: LeafPlan) {
    this.collect(plan.root);
    this.needsTerms = [...this.exprs.values()].some(namesTypedTerm);
    this.matchesAll = plan.root.op === 'all';
  }

  private collect(p: Pred): void {
    if (p.op === 'fts') {
      if (!this.exprs.has(p.expr)) this.exprs.set(p.expr, parseFtsExpr(p.expr));
    } else if (p.op === 'not') this.collect(p.arg);
    else if (p.op === 'and' || p.op === 'or') for (const a of p.args) this.collect(a);
  }

  /** Does the line match? Its typed terms are computed only when this query names one. */
  matches(line: LineTerms): boolean {
    if (this.matchesAll) return true;
    return this.eval(this.plan.root, line.text, (expr) => evalExpr(this.exprs.get(expr)!, line));
  }

  private eval(p: Pred, text: LineText, fts: (expr: string) => boolean): boolean {
    switch (p.op) {
      case 'all':
        return true;
      case 'fts':
        return fts(p.expr);
      case 'phrase':
      case 'substr':
        return verifyText(p, text);
      case 'and':
        return p.args.every((a) => this.eval(a, text, fts));
      case 'or':
        return p.args.some((a) => this.eval(a, text, fts));
      case 'not':
        return !this.eval(p.arg, text, fts);
    }
  }
}
