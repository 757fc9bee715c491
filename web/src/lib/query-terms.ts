/**
 * What to highlight for a query, read loosely from its text (the server is the judge of the syntax):
 * the positive words, prefixes, phrases and field values; negated parts and operators are skipped.
 * Also the query that searches for one entity, as the query language writes it.
 */
import type { ApiEntity } from './types.ts';
import { urlEvidenceQuery } from '../../../src/detect/url/evidence-query.ts';
import { urlSearchTerms } from '../../../src/core/host-spellings.ts';
// core/ip.ts has no imports either: the web bundle takes the server's own network parsing as it is
import { parseCidr } from '../../../src/core/ip.ts';

export type HighlightTerm =
  | { kind: 'word'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'substr'; text: string }
  /** a network (`10.0.2.0/24`, `ip:2001:db8::/32`): the addresses of a line inside it; `prefixes` as the index's (core/ip.ts) */
  | { kind: 'cidr'; text: string; prefixes: readonly string[] };

const VALUE_FIELDS = new Set(['host', 'app', 'user', 'domain', 'email', 'mac', 'ip']);

interface Tok {
  text: string;
  quoted: boolean;
  /** for `field:value`, the field name */
  field: string | null;
  neg: boolean;
}

function unquote(s: string): string {
  return s.replace(/\\(["\\])/g, '$1');
}

/** Splits a query into tokens with their negation; parentheses carry negation to their content. */
function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  const negStack: boolean[] = [false];
  let pendingNot = false;
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const inNeg = negStack[negStack.length - 1]!;
    if (c === '(') {
      negStack.push(inNeg || pendingNot);
      pendingNot = false;
      i++;
      continue;
    }
    if (c === ')') {
      if (negStack.length > 1) negStack.pop();
      i++;
      continue;
    }
    let neg = false;
    if (c === '-' && i + 1 < q.length && !/\s/.test(q[i + 1]!)) {
      neg = true;
      i++;
      if (q[i] === '(') {
        pendingNot = true;
        continue;
      }
    }
    // a field name, then a quoted or bare value
    const fm = /^([a-zA-Z]+):(?=["\S])/.exec(q.slice(i));
    let field: string | null = null;
    if (fm !== null && !q.slice(i).startsWith('http')) {
      field = fm[1]!.toLowerCase();
      i += fm[0].length;
    }
    let text = '';
    let quoted = false;
    if (q[i] === '"') {
      quoted = true;
      let j = i + 1;
      while (j < q.length && q[j] !== '"') j += q[j] === '\\' ? 2 : 1;
      text = unquote(q.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = i;
      while (j < q.length && !/[\s()]/.test(q[j]!)) j++;
      text = q.slice(i, j);
      i = j;
    }
    if (!quoted && field === null && (text === 'AND' || text === 'OR')) continue;
    if (!quoted && field === null && text === 'NOT') {
      pendingNot = true;
      continue;
    }
    out.push({ text, quoted, field, neg: neg || pendingNot || inNeg });
    pendingNot = false;
  }
  return out;
}

export function highlightTerms(q: string): HighlightTerm[] {
  const terms: HighlightTerm[] = [];
  for (const t of tokenize(q)) {
    if (t.neg || t.text === '') continue;
    if (t.field === 'sub') {
      terms.push({ kind: 'substr', text: t.text });
      continue;
    }
    if (t.field === 'url') {
      // as the server reads url: (search/query/fields.ts): the URL, or a scheme-less one's host and path, a host in either spelling
      for (const part of urlSearchTerms(t.text)) for (const spelling of part) terms.push({ kind: 'substr', text: spelling });
      continue;
    }
    if (t.field !== null && !VALUE_FIELDS.has(t.field)) {
      // `a:b` that is not a known field is text with a colon (a phrase)
      if (/^[a-z]+$/.test(t.field)) continue;
    }
    // a network as the server reads it (search/query/words.ts): bare, or the value of `ip:`; a quoted
    // bare one is text (quotes turn entity detection off)
    if ((t.field === 'ip' || (!t.quoted && t.field === null)) && t.text.includes('/')) {
      const cidr = parseCidr(t.text);
      if (cidr !== null) {
        terms.push({ kind: 'cidr', text: `${cidr.network}/${cidr.bits}`, prefixes: cidr.termPrefixes });
        continue;
      }
      if (t.field === 'ip' || /^[\d.:a-fA-F]+\/\d+$/.test(t.text)) continue; // the server refuses it
    }
    if (t.quoted) terms.push({ kind: 'substr', text: t.text });
    else if (t.text.endsWith('*') && t.text.length > 1) terms.push({ kind: 'prefix', text: t.text.slice(0, -1) });
    else terms.push({ kind: 'word', text: t.text });
  }
  return terms;
}

/** A value as a query word: bare when safe, else double-quoted with escapes. */
export function quoteValue(v: string): string {
  return /^[\w.@:/-]+$/.test(v) && !v.startsWith('-') ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
}

/** The query that finds an entity: bare for addresses, domains and e-mail, a field or `sub:` otherwise. */
export function entityQuery(e: ApiEntity): string {
  switch (e.kind) {
    case 'ip':
    case 'domain':
    case 'email':
      return e.value;
    case 'user':
      return `user:${quoteValue(e.value)}`;
    case 'mac':
      return `mac:${e.value}`;
    case 'port':
      return `port:${e.value}`;
    case 'url':
      // as the URL findings' evidence: a scheme-less URL (PAN-OS, EVE and Zeek HTTP records) may stand in
      // its line as host and path apart, a bare host by its host alone
      return urlEvidenceQuery(e.value);
  }
}

/** `a` AND `b`, without doubling a term already there. */
export function andQuery(q: string, term: string): string {
  const t = q.trim();
  if (t === '') return term;
  if (t.split(/\s+/).includes(term)) return t;
  return /\bOR\b/.test(t) ? `(${t}) ${term}` : `${t} ${term}`;
}
