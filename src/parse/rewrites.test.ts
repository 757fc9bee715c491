/**
 * Property tests for parts of the entity scan that were rewritten for speed: each is compared with
 * the straightforward code it replaced, kept here as the reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AMBIGUOUS_TLDS, CODE_ROOTS, TLDS } from '../core/tlds.js';
import { domainAt, type Entity } from '../core/index.js';
import { addEntity } from './entities/collect.js';
import { codesOf } from './entities/codes.js';
import { addFirewallCsvFields } from './entities/firewall-csv.js';
import { extractEntities } from './index.js';

// --- reference: core/domain.ts reading the string and looking names up as lowercase slices ---

function refIsLabel(s: string, a: number, b: number): boolean {
  if (b <= a || b - a > 63 || s.charCodeAt(a) === 45 || s.charCodeAt(b - 1) === 45) return false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
  }
  return true;
}

function refHasCase(s: string, a: number, b: number, from: number): boolean {
  for (let i = a; i < b; i++) if (s.charCodeAt(i) >= from && s.charCodeAt(i) <= from + 25) return true;
  return false;
}

function refTldAt(s: string, labelStart: number, a: number, b: number): string | null {
  if (b - a < 2 || b - a > 24) return null;
  const text = s.slice(a, b);
  if (!/^[A-Za-z]+$/.test(text)) return null;
  if (/[A-Z]/.test(text) && refHasCase(s, labelStart, a - 1, 97)) {
    // all upper case after an all-lower-case label (`local.INFO`), or capitalized after any label with lower case (`System.Net`)
    if (/^[A-Z]+$/.test(text) ? !refHasCase(s, labelStart, a - 1, 65) : /^[A-Z][a-z]+$/.test(text)) return null;
  }
  return TLDS.has(text.toLowerCase()) ? text.toLowerCase() : null;
}

function refDomainAt(s: string, a: number, b: number): string | null {
  if (b - a < 4 || b - a > 253) return null;
  const lastDot = s.lastIndexOf('.', b - 1);
  if (lastDot <= a) return null;
  const labelBeforeTld = Math.max(a, s.lastIndexOf('.', lastDot - 1) + 1);
  const tld = refTldAt(s, labelBeforeTld, lastDot + 1, b);
  if (tld === null) return null;
  let labels = 1;
  let labelStart = a;
  let firstDot = -1;
  for (let i = a; i <= lastDot; i++) {
    if (s.charCodeAt(i) !== 46) continue;
    if (!refIsLabel(s, labelStart, i)) return null;
    if (firstDot < 0) firstDot = i;
    labels++;
    labelStart = i + 1;
  }
  if (labels < 3 && (AMBIGUOUS_TLDS.has(tld) || /^[A-Z][a-z]+$/.test(s.slice(lastDot + 1, b)))) return null;
  const root = s.slice(a, firstDot).toLowerCase();
  // a language root (`android.`) begins host names that end in a generic TLD; a reverse-DNS root (`com.`) is always code
  if (labels >= 3 && CODE_ROOTS.has(root) && (TLDS.has(root) || !['com', 'net', 'org', 'edu', 'gov'].includes(tld))) return null;
  return s.slice(a, b).toLowerCase();
}

// --- reference: PAN-OS and filterlog columns by indexOf and split ---

const FILTERLOG = /(?:^|\s)\d*,[^,\s]*,[^,\s]*,\d*,[^,\s]+,[a-z-]+,[a-z-]+,(?:in|out),([46]),/;

function refPort(field: string | undefined, out: Entity[], skipZero: boolean): void {
  if (field === undefined || field.length === 0 || field.length > 5 || !/^\d+$/.test(field)) return;
  const port = Number(field) <= 65535 ? String(Number(field)) : null;
  if (port !== null && !(skipZero && port === '0')) addEntity(out, 'port', port);
}

function refCsv(text: string, out: Entity[]): void {
  // the first type marker is the type column (a later one is inside a column)
  const markers = [text.indexOf(',THREAT,'), text.indexOf(',TRAFFIC,')].filter((i) => i >= 0);
  const at = markers.length === 0 ? -1 : Math.min(...markers);
  if (at >= 0) {
    const fields = text.slice(at + 1).split(',', 25);
    if (fields.length > 24) {
      for (const f of [fields[9], fields[10]]) if (f !== undefined && f !== '' && !f.includes('"')) addEntity(out, 'user', f.toLowerCase());
      for (let i = 21; i <= 24; i++) refPort(fields[i], out, i > 22);
      return;
    }
  }
  const m = FILTERLOG.exec(text);
  if (m === null) return;
  const cols = m[1] === '4' ? { proto: 7, srcPort: 11 } : { proto: 3, srcPort: 8 };
  const fields = text.slice(m.index + m[0].length).split(',', cols.srcPort + 2);
  const proto = fields[cols.proto]?.toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') return;
  refPort(fields[cols.srcPort], out, false);
  refPort(fields[cols.srcPort + 1], out, false);
}

// --- properties ---

const LABEL_PIECES = ['a', 'Z', 'x1', '-', '_', 'com', 'COM', 'Com', 'io', 'IO', 'sh', 'app', 'org', 'Kotlin', 'localdomain', 'é', ' ', ':'];

test('rewrites: domainAt with and without code units agrees with the string reference', () => {
  // Labels joined by dots, and a range that is often the whole text.
  const label = fc.oneof(
    fc.constantFrom('www', 'mail', 'com', 'org', 'androidx', 'java', 'android', 'sun', 'System', 'Net', 'wWw', 'Example', 'CORP', 'lan', 'local', 'INFO', 'py', 'sh'),
    fc.array(fc.constantFrom(...LABEL_PIECES), { maxLength: 3 }).map((p) => p.join('')),
  );
  const text = fc.array(label, { maxLength: 6, size: 'max' }).map((labels) => labels.join('.'));
  fc.assert(
    fc.property(text, fc.nat(), fc.nat(), fc.boolean(), (s, x, y, whole) => {
      const a = whole || s.length === 0 ? 0 : x % (s.length + 1);
      const b = whole ? s.length : a + (s.length === a ? 0 : y % (s.length - a + 1));
      const expected = refDomainAt(s, a, b);
      assert.equal(domainAt(s, a, b), expected, `${s} [${a}, ${b})`);
      const codes = new Uint16Array(s.length);
      for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
      assert.equal(domainAt(s, a, b, codes), expected, `${s} [${a}, ${b}) from codes`);
    }),
    { numRuns: 5000 },
  );
});

test('rewrites: firewall CSV columns agree with indexOf and split', () => {
  const FIELDS = ['', 'THREAT', 'TRAFFIC', 'xTHREAT', 'threat', 'x', 'a b', '22', '0', '65536', '007', 'corp\\Bob', '"q"', 'tcp', 'UDP', 'in', '4', '6', 'em0', 'match'];
  // Columns of a CSV line, some of them glued together or split by a space.
  const text = fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(',', ',', ',', ' ', '')), { maxLength: 60, size: 'max' }).map((cols) => cols.flat().join(''));
  fc.assert(
    fc.property(text, (s) => {
      const got: Entity[] = [];
      addFirewallCsvFields(codesOf(s), s, got);
      const expected: Entity[] = [];
      refCsv(s, expected);
      assert.deepEqual(got, expected, s);
    }),
    { numRuns: 5000 },
  );
});

test('rewrites: long texts (past the shared code buffer) scan like short ones', () => {
  for (const pad of [10, 2_000, 70_000]) {
    const text = `${'word '.repeat(pad)}10.0.0.1:22 mail.example.com aa:bb:cc:dd:ee:ff`;
    assert.deepEqual(extractEntities(text), [
      { kind: 'ip', value: '10.0.0.1' },
      { kind: 'port', value: '22' },
      { kind: 'domain', value: 'mail.example.com' },
      { kind: 'mac', value: 'aa:bb:cc:dd:ee:ff' },
    ]);
    // and a short text right after a long one sees none of the long one's codes
    assert.deepEqual(extractEntities('1.2.3'), []);
  }
});
