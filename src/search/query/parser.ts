/**
 * Tokens -> syntax tree. Grammar, loosest first (OR binds tighter than the implicit AND, as in
 * Google and Lucene's default: `a b OR c` is `a AND (b OR c)`):
 *   query   := and?
 *   and     := or ((AND)? or)*
 *   or      := unary (OR unary)*
 *   unary   := (NOT | '-') unary | primary
 *   primary := '(' and ')' | word | field
 */
import { joinNodes } from './ast.js';
import type { Node } from './ast.js';
import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, MAX_QUERY_TERMS, syntaxError, tooComplex } from './errors.js';
import { fieldTokenNode } from './fields.js';
import { lex } from './lexer.js';
import type { Token } from './lexer.js';
import { bareWordNode, tokensNode } from './words.js';

const SHOWN: Record<string, string> = { rparen: "')'", lparen: "'('", or: 'OR', and: 'AND', not: 'NOT', minus: "'-'" };

function startsTerm(t: Token | undefined): boolean {
  return t !== undefined && t.type !== 'rparen' && t.type !== 'or' && t.type !== 'and';
}

class Parser {
  private pos = 0;
  private terms = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly end: number,
  ) {}

  parse(): Node {
    if (this.tokens.length === 0) return { kind: 'all' };
    const node = this.and(0);
    const extra = this.tokens[this.pos];
    if (extra !== undefined) throw syntaxError(`unexpected ${SHOWN[extra.type]}`, extra.column);
    return node;
  }

  private and(depth: number): Node {
    const args: Node[] = [];
    for (let t = this.tokens[this.pos]; t !== undefined && t.type !== 'rparen'; t = this.tokens[this.pos]) {
      if (t.type === 'and') {
        if (args.length === 0) throw syntaxError('unexpected AND', t.column);
        this.pos++;
        this.expectTerm('AND', t.column);
      }
      args.push(this.or(depth));
    }
    return joinNodes('and', args);
  }

  private or(depth: number): Node {
    const args = [this.unary(depth)];
    for (let t = this.tokens[this.pos]; t !== undefined && t.type === 'or'; t = this.tokens[this.pos]) {
      this.pos++;
      this.expectTerm('OR', t.column);
      args.push(this.unary(depth));
    }
    return joinNodes('or', args);
  }

  private unary(depth: number): Node {
    const t = this.tokens[this.pos];
    if (t === undefined || (t.type !== 'not' && t.type !== 'minus')) return this.primary(depth);
    this.pos++;
    this.expectTerm(SHOWN[t.type]!, t.column);
    return { kind: 'not', arg: this.unary(this.deeper(depth, t.column)) };
  }

  private primary(depth: number): Node {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw syntaxError('unexpected end of query', this.end);
    switch (t.type) {
      case 'lparen': {
        const inner = this.deeper(depth, t.column);
        if (this.tokens[this.pos]?.type === 'rparen') throw syntaxError('empty parentheses', t.column);
        const node = this.and(inner);
        if (this.tokens[this.pos]?.type !== 'rparen') throw syntaxError("unclosed '('", t.column);
        this.pos++;
        return node;
      }
      case 'word':
        this.countTerm();
        return t.quoted ? tokensNode(t.text, false, t.column) : bareWordNode(t.text, t.column);
      case 'field':
        this.countTerm();
        return fieldTokenNode(t);
      default:
        throw syntaxError(`unexpected ${SHOWN[t.type]}`, t.column);
    }
  }

  private expectTerm(after: string, column: number): void {
    if (!startsTerm(this.tokens[this.pos])) throw syntaxError(`expected a term after ${after}`, column);
  }

  private deeper(depth: number, column: number): number {
    if (depth + 1 > MAX_QUERY_DEPTH) {
      throw tooComplex(`nested deeper than ${MAX_QUERY_DEPTH} levels at column ${column}`, { limit: MAX_QUERY_DEPTH, column });
    }
    return depth + 1;
  }

  private countTerm(): void {
    if (++this.terms > MAX_QUERY_TERMS) {
      throw tooComplex(`more than ${MAX_QUERY_TERMS} terms`, { limit: MAX_QUERY_TERMS });
    }
  }
}

/** Parses query text; the empty query is `{ kind: 'all' }`. Throws AppError QUERY_SYNTAX / QUERY_TOO_COMPLEX. */
export function parseQuery(text: string): Node {
  if (text.length > MAX_QUERY_LENGTH) {
    throw tooComplex(`longer than ${MAX_QUERY_LENGTH} characters`, { limit: MAX_QUERY_LENGTH, length: text.length });
  }
  return new Parser(lex(text), Array.from(text).length + 1).parse();
}
