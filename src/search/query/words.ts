/**
 * Unfielded words: an address, CIDR, MAC, e-mail or domain becomes its typed index term; other text
 * goes through the index tokenizer and becomes one term (one word) or a phrase (several).
 * Quoting a word turns entity detection off: `"file.log"` is the two words, not a domain.
 */
import { domainName, ipTerm, parseCidr, parseIp } from '../../core/index.js';
import { TYPED_MARK, typedTerm } from '../../store/index.js';
import { termNode } from './ast.js';
import type { Node } from './ast.js';
import { syntaxError } from './errors.js';
import { wordTokens } from './fts.js';

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const EMAIL = /^[a-z0-9._%+-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
/** words joined by dots or hyphens only: an address, a host name, a version */
const COMPOUND = /^[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)+$/u;
const CIDR_SHAPE = /^[0-9a-f:.]+\/\d+$/i;

export function macTerm(hex: string): string {
  return typedTerm('mac', hex.toLowerCase());
}

/** The ip node of an address or CIDR text, or null when it is neither. */
export function ipNode(text: string): Node | null {
  if (text.includes('/')) {
    const cidr = parseCidr(text);
    if (cidr === null) return null;
    return { kind: 'terms', alts: cidr.termPrefixes.map((p) => ({ term: TYPED_MARK + p, prefix: true })) };
  }
  const ip = parseIp(text);
  return ip === null ? null : termNode(TYPED_MARK + ipTerm(ip));
}

/** The typed node of a word that looks like an entity, or null. */
export function entityNode(text: string, column: number): Node | null {
  const ip = ipNode(text);
  if (ip !== null) return ip;
  if (CIDR_SHAPE.test(text) && parseIp(text.slice(0, text.indexOf('/'))) !== null) {
    throw syntaxError(`invalid network '${text}'`, column, 'prefix length is at most 32 for ipv4, 128 for ipv6');
  }
  if (MAC.test(text)) return termNode(macTerm(text.replace(/[^0-9a-f]/gi, '')));
  if (EMAIL.test(text) && domainName(text.slice(text.lastIndexOf('@') + 1)) !== null) return termNode(typedTerm('email', text));
  // the parser's own rule, so that a word it would not index as a domain (`sshd.service`) stays text
  if (domainName(text) !== null) return termNode(typedTerm('dom', text));
  // a fully qualified name as DNS logs write it (`example.com.`) is the domain the index holds
  if (text.endsWith('.') && domainName(text.slice(0, -1)) !== null) return termNode(typedTerm('dom', text.slice(0, -1)));
  return null;
}

/**
 * One word is a term, several are a phrase; a trailing `*` makes the last word a prefix. `whole`
 * (a bare word like `web-01` or `10.0.3`): the phrase must be a whole dotted or hyphenated word of the
 * line, so a partial address never matches inside a longer one (that is what `sub:` is for).
 */
export function tokensNode(text: string, prefix: boolean, column: number, whole = false): Node {
  const tokens = wordTokens(text);
  if (tokens.length === 0) {
    throw syntaxError(`'${text}' has no letters or digits`, column, 'to find punctuation use sub:"..."');
  }
  if (tokens.length === 1) return termNode(tokens[0]!, prefix);
  return whole ? { kind: 'phrase', tokens, prefix, whole } : { kind: 'phrase', tokens, prefix };
}

/** A bare word, as typed outside quotes. */
export function bareWordNode(text: string, column: number): Node {
  const star = text.indexOf('*');
  if (star < 0) return entityNode(text, column) ?? tokensNode(text, false, column, COMPOUND.test(text));
  const body = text.slice(0, -1);
  if (star !== text.length - 1 || wordTokens(Array.from(body).at(-1) ?? '').length === 0) {
    throw syntaxError(`'*' in '${text}'`, column + Array.from(text.slice(0, star)).length, "'*' may only end a word, right after a letter or digit");
  }
  return tokensNode(body, true, column, COMPOUND.test(body));
}
