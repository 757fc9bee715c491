/**
 * Splits a log line into runs for display: which characters matched the query (a <mark>) and which
 * belong to an entity (a link that searches for it). Runs of one entity are grouped into one link.
 */
import type { ApiEntity } from './types.ts';
import type { HighlightTerm } from './query-terms.ts';
import { ipTerm, mappedIPv4, parseIp } from '../../../src/core/ip.ts';

export interface Run {
  text: string;
  mark: boolean;
}

export interface Piece {
  /** null for plain text */
  entity: ApiEntity | null;
  runs: Run[];
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
const isJoiner = (c: string | undefined): boolean => c === '.' || c === '-';

/** A boundary before index i: no word character, and no `.`/`-` that joins a word (10.0.3 vs 10.0.3.4). */
function boundaryBefore(s: string, i: number): boolean {
  const b = s[i - 1];
  if (isWordChar(b)) return false;
  return !(isJoiner(b) && isWordChar(s[i - 2]));
}

function boundaryAfter(s: string, i: number): boolean {
  const a = s[i];
  if (isWordChar(a)) return false;
  return !(isJoiner(a) && isWordChar(s[i + 1]));
}

/** End of the word (dotted/hyphenated when `joined`) that starts at or before i. */
function wordEnd(s: string, i: number, joined: boolean): number {
  let j = i;
  while (j < s.length && (isWordChar(s[j]) || (joined && isJoiner(s[j]) && isWordChar(s[j + 1])))) j++;
  return j;
}

/**
 * Lower case that keeps every index where it was: `toLowerCase()` makes some characters longer ('İ'
 * becomes 'i̇', two code units), which would shift every match and entity after them. Such a character
 * is kept as it is (the needle is folded the same way, so it still finds itself).
 */
export function foldCase(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length) return lower;
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

function findAll(lower: string, needle: string, each: (at: number) => void): void {
  if (needle === '') return;
  let at = lower.indexOf(needle);
  while (at >= 0) {
    each(at);
    at = lower.indexOf(needle, at + 1);
  }
}

/**
 * Address-shaped words of a line: a dotted quad, or hex groups with colons (IPv6, also with a dotted
 * tail). Not inside a longer dotted word (`v1.2.3.4`, `1.2.3.4.5`) nor a longer colon word; what is
 * an address in the end is parseIp's call, as for the index.
 */
const ADDRESS_LIKE =
  /(?<![\p{L}\p{N}_.])\d{1,3}(?:\.\d{1,3}){3}(?![\p{L}\p{N}_]|\.[\p{L}\p{N}_])|(?<![\p{L}\p{N}_.:])[0-9a-f]*:[0-9a-f:.]*[0-9a-f](?![\p{L}\p{N}_:]|\.[\p{L}\p{N}_])/giu;

/**
 * The typed index terms an address-shaped word is found by: its own, and for IPv6 that carries an IPv4
 * address (`::ffff:10.0.0.5`, a dotted tail) that one's too, as the entity parser indexes them
 * (parse/entities/ip.ts). None when it is no address.
 */
function addressTerms(text: string): string[] {
  const ip = parseIp(text);
  if (ip === null) return [];
  if (ip.version === 4) return [ipTerm(ip)];
  const v4 = parseIp(mappedIPv4(ip) ?? (text.includes('.') ? text.slice(text.lastIndexOf(':') + 1) : ''));
  return v4 === null || v4.version !== 4 ? [ipTerm(ip)] : [ipTerm(ip), ipTerm(v4)];
}

/**
 * Marks the addresses of the line inside one of the networks: an address's typed index term starts
 * with one of the network's term prefixes exactly when the server's CIDR query finds it.
 */
function markNetworks(line: string, networks: readonly (readonly string[])[], marks: Uint8Array): void {
  for (const m of line.matchAll(ADDRESS_LIKE)) {
    const terms = addressTerms(m[0]);
    if (terms.some((term) => networks.some((prefixes) => prefixes.some((p) => term.startsWith(p))))) marks.fill(1, m.index, m.index + m[0].length);
  }
}

export function markMatches(line: string, terms: readonly HighlightTerm[]): Uint8Array {
  const marks = new Uint8Array(line.length);
  const lower = foldCase(line);
  const networks = terms.flatMap((t) => (t.kind === 'cidr' ? [t.prefixes] : []));
  if (networks.length > 0) markNetworks(line, networks, marks);
  for (const t of terms) {
    if (t.kind === 'cidr') continue;
    const needle = foldCase(t.text);
    // a plain word is one token of the index (`a` matches in `a-b`); a dotted or hyphenated one is whole
    const joined = /[.-]/.test(needle);
    const before = (i: number) => (joined ? boundaryBefore(line, i) : !isWordChar(line[i - 1]));
    const after = (i: number) => (joined ? boundaryAfter(line, i) : !isWordChar(line[i]));
    findAll(lower, needle, (at) => {
      let end = at + needle.length;
      if (t.kind !== 'substr') {
        if (!before(at)) return;
        if (t.kind === 'prefix') end = Math.max(end, wordEnd(line, end, joined));
        else if (!after(end)) return;
      }
      marks.fill(1, at, end);
    });
  }
  return marks;
}

/** Where each entity's text occurs; the longest wins where two overlap. */
export function placeEntities(line: string, entities: readonly ApiEntity[]): Int32Array {
  const owner = new Int32Array(line.length).fill(-1);
  const lower = foldCase(line);
  const order = entities.map((e, i) => i).sort((a, b) => entities[b]!.value.length - entities[a]!.value.length);
  for (const idx of order) {
    const e = entities[idx]!;
    if (e.kind === 'port') continue;
    const needle = foldCase(e.value);
    findAll(lower, needle, (at) => {
      const end = at + needle.length;
      if (e.kind !== 'url' && (!boundaryBefore(line, at) || !boundaryAfter(line, end))) return;
      for (let k = at; k < end; k++) if (owner[k] !== -1) return;
      owner.fill(idx, at, end);
    });
  }
  return owner;
}

export function segmentLine(line: string, terms: readonly HighlightTerm[], entities: readonly ApiEntity[]): Piece[] {
  const marks = markMatches(line, terms);
  const owner = placeEntities(line, entities);
  const pieces: Piece[] = [];
  let i = 0;
  while (i < line.length) {
    const ent = owner[i]!;
    let j = i;
    while (j < line.length && owner[j] === ent) j++;
    const runs: Run[] = [];
    let k = i;
    while (k < j) {
      const m = marks[k] === 1;
      let e = k;
      while (e < j && (marks[e] === 1) === m) e++;
      runs.push({ text: line.slice(k, e), mark: m });
      k = e;
    }
    pieces.push({ entity: ent === -1 ? null : entities[ent]!, runs });
    i = j;
  }
  return pieces;
}
