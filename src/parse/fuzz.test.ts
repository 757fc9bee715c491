import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ENTITY_KINDS, parseIPv4 } from '../core/index.js';
import { withoutColourCodes } from './ansi.js';
import { isDottedQuad } from './entities/ip.js';
import { extractEntities, extractUrls, parseLine, type ParseOptions } from './index.js';

const PIECES = [
  '<', '>', '<13>', '<191>', '<999>', '<0>', '1 ', ' ', '  ', '-', '- ', 'Feb', 'Dec', 'Jan ', ' 5', ' 31', ' 29 ',
  '17:32:18', '23:59:60', '.123', '.', ',', '2024-01-02T10:00:00', '2024-02-30T25:61:00', 'Z', '+02:00', '-0530',
  '[', ']', 'id', ' k="v"', '="', '\\"', '\\]', '\\\\', '\\', 'host', 'app', '[123]', '[]', ':', ': ', '\uFEFF',
  '10.0.0.1', '256.1.1.1', '::1', '::', '::ffff:1.2.3.4', '[2001:db8::1]:443', 'aa:bb:cc:dd:ee:ff', '0011.2233.4455',
  'port 22', 'port=99999', 'user=', 'user ', 'Invalid user ', 'for ', ' from ', '@', 'example.com', 'x.sh',
  'http://', 'https://a.b/(c)', '%2F', '*', '000123: ', ' UTC', 'UTC:', '\n', '\t', '"', "'", ',THREAT,', ',in,4,',
  'Sun Dec 04 04:47:44 2005', '081109 203615 ', '\u00e9', '\ud800', '\udc00', '😀', '\u0000',
  ',THREAT,url,', '"hostname":"', '"url":"', '"host":"', '"uri":"', '\tGET\t', '\\u00', '\\/',
  '\x1b[32m', '\x1b[0m', '\x1b[1;31m', '\x1b', '\x1b[', 'sshd[42]: ', 'Accepted password for bob from 203.0.113.9 port 22 ssh2',
];

const line = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 200 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join('')),
);

const options: fc.Arbitrary<ParseOptions | undefined> = fc.option(
  fc.record(
    {
      timeZone: fc.oneof(fc.constant('UTC' as const), fc.integer({ min: -2000, max: 2000 }), fc.double()),
      defaultYear: fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.double()),
      entities: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const receivedAt = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) });
const KINDS: readonly string[] = ENTITY_KINDS;

test('fuzz: parseLine never throws, keeps raw, and yields sane fields', () => {
  fc.assert(
    fc.property(line, receivedAt, options, (text, at, opts) => {
      const ev = parseLine({ line: text, receivedAt: at, source: 'fuzz' }, opts);
      assert.equal(ev.raw, text);
      assert.equal(ev.receivedAt, at);
      assert.equal(ev.source, 'fuzz');
      assert.ok(Number.isFinite(ev.time), `time ${ev.time}`);
      assert.ok(ev.severity === null || (Number.isInteger(ev.severity) && ev.severity >= 0 && ev.severity <= 7));
      assert.ok(ev.facility === null || (Number.isInteger(ev.facility) && ev.facility >= 0 && ev.facility <= 23));
      assert.equal(ev.severity === null, ev.facility === null);
      assert.equal(ev.parsed, ev.format !== 'raw');
      if (!ev.parsed) assert.equal(ev.message, text);
      for (const e of ev.entities) assert.ok(KINDS.includes(e.kind) && e.value.length > 0);
    }),
    { numRuns: 3000 },
  );
});

const COLOUR_CODE = /\x1b\[[0-9;]*[A-Za-z]/;
const HEADER_FIELDS = ['time', 'severity', 'facility', 'host', 'app', 'pid', 'msgid', 'structured', 'message', 'parsed', 'format'] as const;

test('fuzz: colour codes anywhere in a line change no header field, and none is left in a field or an entity', () => {
  const code = fc.constantFrom('\x1b[0m', '\x1b[m', '\x1b[32m', '\x1b[1;31m', '\x1b[38;5;208m');
  const plainLine = line.map((text) => withoutColourCodes(text)).filter((text) => !text.includes('\x1b'));
  fc.assert(
    fc.property(plainLine, fc.array(fc.tuple(fc.nat(), code), { maxLength: 6 }), receivedAt, (text, inserts, at) => {
      let coloured = text;
      for (const [pos, c] of inserts) {
        const i = pos % (coloured.length + 1);
        coloured = coloured.slice(0, i) + c + coloured.slice(i);
      }
      const plain = parseLine({ line: text, receivedAt: at, source: 'fuzz' });
      const ev = parseLine({ line: coloured, receivedAt: at, source: 'fuzz' });
      assert.equal(ev.raw, coloured);
      if (!plain.parsed) return;
      for (const f of HEADER_FIELDS) assert.deepEqual(ev[f], plain[f], f);
      assert.deepEqual(ev.entities, plain.entities);
      for (const v of [ev.host, ev.app, ev.pid, ev.message, ...ev.entities.map((e) => e.value)]) assert.ok(v === null || !COLOUR_CODE.test(v), JSON.stringify(v));
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: extractEntities never throws and never repeats an entity', () => {
  fc.assert(
    fc.property(line, (text) => {
      const keys = extractEntities(text).map((e) => `${e.kind}\u0000${e.value}`);
      assert.equal(new Set(keys).size, keys.length);
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: URL-bearing records (PAN-OS URL filtering, EVE and Zeek http) with arbitrary fields never throw; their urls hold no space or quote', () => {
  const field = fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.constantFrom('a', '.', '/', '?', ',', '"', '\\', ' ', '\t', '-', '\u00e9', 'u00'), { maxLength: 30 }).map((p) => p.join('')));
  const pan = fc.tuple(fc.integer({ min: 20, max: 35 }), field, field).map(
    ([n, misc, tail]) => `1,2024/01/02 10:00:07,0164,THREAT,url,${Array.from({ length: n }, (_, i) => (i === 7 ? 'corp\\alice' : String(i))).join(',')},"${misc}",${tail}`,
  );
  const eve = fc.tuple(field, field).map(([h, u]) => `{"event_type":"http","http":{"hostname":"${h}","url":"${u}"}}`);
  const zeekJson = fc.tuple(field, field).map(([h, u]) => `{"ts":1.5,"id.orig_h":"10.0.0.1","method":"GET","host":"${h}","uri":"${u}"}`);
  const zeekTsv = fc.tuple(field, field).map(([h, u]) => ['1.5', 'C1', '10.0.0.1', '5', '10.0.0.2', '80', '1', 'GET', h, u, '-'].join('\t'));
  fc.assert(
    fc.property(fc.oneof(pan, eve, zeekJson, zeekTsv), (text) => {
      const es = extractEntities(text);
      const keys = es.map((e) => `${e.kind}\u0000${e.value}`);
      assert.equal(new Set(keys).size, keys.length);
      for (const e of es) if (e.kind === 'url') assert.ok(!/[\s"]/.test(e.value) && e.value.length > 0, JSON.stringify(e.value));
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: extractUrls gives the url entities of extractEntities, in their order, for any line', () => {
  // URL-dense lines too: schemes after every kind of separator, records, PAN-OS columns, colour codes
  const URLISH = ['http://', 'HTTPS://', 'ftp://', 'xhttp://', '_http://', 'url=', 'ref:', '(', ')', '[', ']', '<', '"', "'", ' ', '\t', ',', '.', '/', 'a.tk', 'b.example/p?q=1', ',THREAT,url,', 'THREAT,', ',TRAFFIC,', '"hostname":"', '"url":"', '"host":"', '"uri":"', '\tGET\t', '\x1b[31m', '\x1b[0m', '\x1b', '%2F', '\u00e9', '://'];
  const urlish = fc.array(fc.constantFrom(...URLISH), { maxLength: 40 }).map((p) => p.join(''));
  const pan = fc.tuple(fc.integer({ min: 20, max: 35 }), fc.string({ maxLength: 30 }), fc.constantFrom('THREAT', 'TRAFFIC', 'threat')).map(
    ([n, misc, type]) => `1,2024/01/02 10:00:07,0164,${type},url,${Array.from({ length: n }, (_, i) => String(i)).join(',')},"${misc}",x`,
  );
  const urls = (text: string) => extractEntities(text).flatMap((e) => (e.kind === 'url' ? [e.value] : []));
  fc.assert(
    fc.property(fc.oneof(line, urlish, pan), (text) => {
      assert.deepEqual(extractUrls(text), urls(text), JSON.stringify(text));
    }),
    { numRuns: 20_000 },
  );
});

test('fuzz: the in-place dotted-quad check agrees with core parseIPv4', () => {
  const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/));
  const candidate = fc.oneof(
    fc.array(octet, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
    fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', 'a', ':'), maxLength: 20 }),
  );
  fc.assert(
    fc.property(candidate, (text) => {
      assert.equal(isDottedQuad(text, 0, text.length), parseIPv4(text) !== null, text);
    }),
    { numRuns: 5000 },
  );
});
