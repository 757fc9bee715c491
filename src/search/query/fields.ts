/**
 * `field:value` -> node. Fields name the typed terms the store appends to each event (store/terms.ts);
 * `sub:` and `url:` are the fields answered by reading the line itself.
 */
import { domainName, urlSearchTerms } from '../../core/index.js';
import { TYPED_MARK, typedTerm } from '../../store/index.js';
import { joinNodes, termNode } from './ast.js';
import type { Node, TermAlt } from './ast.js';
import { syntaxError } from './errors.js';
import type { FieldToken } from './lexer.js';
import { levelRange } from './levels.js';
import { foldCase } from './verify.js';
import { bareWordNode, entityNode, ipNode, macTerm } from './words.js';

interface FieldValue {
  name: string;
  text: string;
  /** unquoted and ending in `*`; `text` is then without the star */
  prefix: boolean;
  column: number;
}

type FieldHandler = (v: FieldValue) => Node;

function typed(field: 'host' | 'app' | 'user' | 'email'): FieldHandler {
  return (v) => termNode(typedTerm(field, v.text), v.prefix);
}

function substrNode(text: string): Node {
  return { kind: 'substr', text: foldCase(text) };
}

/**
 * `url:X` finds the lines a URL finding (entity `url:X`) was scored from, as the finding's evidence
 * search does: URLs are not indexed as terms, so it is `sub:` of each of its parts (core/url-host.ts
 * `urlSearchParts`: its host and its path, the scheme left out; a bare host alone), an internationalized
 * host in either spelling (`urlSearchTerms`: `xn--bcher-kva.de` or `bücher.de`).
 */
function urlNode(url: string): Node {
  const parts = urlSearchTerms(url).map((spellings) => (spellings.length === 1 ? substrNode(spellings[0]!) : joinNodes('or', spellings.map(substrNode))));
  return parts.length === 1 ? parts[0]! : joinNodes('and', parts);
}

function exact(v: FieldValue): void {
  if (v.prefix) throw syntaxError(`'*' is not allowed in ${v.name}:`, v.column);
}

const FIELDS: Record<string, FieldHandler> = {
  host: typed('host'),
  app: typed('app'),
  severity: (v) => levelsNode('sev', v),
  facility: (v) => levelsNode('fac', v),
  ip: (v) => {
    exact(v);
    const node = ipNode(v.text);
    if (node === null) throw syntaxError(`invalid ip '${v.text}'`, v.column, 'expected an address or a network like 10.1.0.0/16');
    return node;
  },
  port: (v) => {
    exact(v);
    if (!/^\d{1,5}$/.test(v.text) || Number(v.text) > 65535) throw syntaxError(`invalid port '${v.text}'`, v.column, 'expected 0-65535');
    return termNode(typedTerm('port', String(Number(v.text))));
  },
  user: typed('user'),
  domain: (v) => {
    // `example.com.` is `example.com`; `example.*` keeps its dot (`examplesite.com` is not under it)
    const domain = v.prefix ? v.text : v.text.replace(/\.$/, '');
    if (!v.prefix && !domain.includes('.')) {
      throw syntaxError(`domain '${v.text}' has one label`, v.column, 'the index keeps domains of two labels or more');
    }
    // a name the parser does not take for a domain (an ending outside core/tlds.ts, `setup.py`) is not
    // indexed as one: searched as text it finds the lines, as a term it found none
    if (!v.prefix && domainName(domain) === null) return substrNode(domain);
    return termNode(typedTerm('dom', domain), v.prefix);
  },
  mac: (v) => {
    const hex = v.text.replace(/[:.-]/g, '');
    if (!/^[0-9a-f]+$/i.test(hex) || hex.length > 12 || (!v.prefix && hex.length !== 12)) {
      throw syntaxError(`invalid mac '${v.text}'`, v.column, 'expected 12 hex digits, e.g. 00:1a:2b:3c:4d:5e');
    }
    return termNode(macTerm(hex), v.prefix);
  },
  email: typed('email'),
  format: (v) => {
    exact(v);
    if (v.text.toLowerCase() !== 'raw') throw syntaxError(`unknown format '${v.text}'`, v.column, 'only format:raw is indexed');
    return termNode(TYPED_MARK + 'fmt_raw');
  },
  url: (v) => urlNode(v.text),
  sub: (v) => substrNode(v.text),
};

const ALIASES: Record<string, string> = { sev: 'severity', fac: 'facility', dom: 'domain', fmt: 'format' };

export const FIELD_NAMES = Object.keys(FIELDS);

function levelsNode(field: 'sev' | 'fac', v: FieldValue): Node {
  exact(v);
  const range = levelRange(field, v.text);
  if (range === null) throw syntaxError(`invalid ${v.name} '${v.text}'`, v.column, field === 'sev' ? 'expected 0-7, a name like err, or <=3' : 'expected 0-23 or a name like auth, local0');
  const alts: TermAlt[] = [];
  for (let n = range.min; n <= range.max; n++) alts.push({ term: `${TYPED_MARK}${field}_${n}`, prefix: false });
  if (alts.length === 0) throw syntaxError(`${v.name} '${v.text}' matches no level`, v.column);
  return { kind: 'terms', alts };
}

export function fieldTokenNode(t: FieldToken): Node {
  const lower = t.name.toLowerCase();
  const name = Object.hasOwn(ALIASES, lower) ? ALIASES[lower]! : lower;
  const handler = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
  if (handler === undefined) {
    // `error:` alone and `aa:bb:cc:dd:ee:ff` are text, not fields.
    if (t.value === null) return bareWordNode(t.raw, t.column);
    const entity = t.quoted ? null : entityNode(t.raw, t.column);
    if (entity !== null) return entity;
    if (name === 'time') throw syntaxError('time is not part of the query', t.column, 'pass it as from and to');
    throw syntaxError(`unknown field '${t.name}'`, t.column, `known: ${FIELD_NAMES.join(', ')}`);
  }
  if (t.value === null || t.value === '') throw syntaxError(`expected a value after '${t.name}:'`, t.column);
  const text = t.value;
  // a `*` in a substring or a URL is that character, not a prefix
  const star = t.quoted || name === 'sub' || name === 'url' ? -1 : text.indexOf('*');
  if (star >= 0 && (star !== text.length - 1 || star === 0)) {
    throw syntaxError(`'*' in '${text}'`, t.valueColumn + Array.from(text.slice(0, star)).length, "'*' may only end a value");
  }
  const prefix = star >= 0;
  return handler({ name, text: prefix ? text.slice(0, -1) : text, prefix, column: t.valueColumn });
}
