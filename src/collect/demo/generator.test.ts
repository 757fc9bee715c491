import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGenerator, DEFAULT_START } from './generator.js';
import { isAppError } from '../../core/index.js';
import { BAD_DOMAINS } from './pools/domains.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC3164 = /^<(\d{1,3})>([A-Z][a-z]{2}) ([ 1-3]\d) (\d\d):(\d\d):(\d\d) ([a-z0-9-]+) \S/;
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ([a-z0-9-]+) (\S+) (\S+) (\S+) (\[[^\]]+\])+ ./;

/** The header's time, ms since epoch (RFC 3164 carries no year: take the start's). */
function headerTime(line: string): number | null {
  const m5 = RFC5424.exec(line);
  if (m5 !== null) return Date.parse(m5[2]!);
  const m3 = RFC3164.exec(line);
  if (m3 === null) return null;
  return Date.UTC(new Date(DEFAULT_START).getUTCFullYear(), MONTHS.indexOf(m3[2]!), Number(m3[3]), Number(m3[4]), Number(m3[5]), Number(m3[6]));
}

test('the same seed gives the same lines, another seed other lines', () => {
  const a = createGenerator({ seed: 7 }).fill(20_000);
  const b = createGenerator({ seed: 7 }).fill(20_000);
  const c = createGenerator({ seed: 8 }).fill(20_000);
  assert.deepEqual(a, b);
  assert.ok(a.filter((line, i) => line === c[i]).length < 100);
});

test('strings, objects and bytes are the same lines', () => {
  const strings = createGenerator({ seed: 3 }).fill(5000);
  const g = createGenerator({ seed: 3 });
  const objects = Array.from({ length: 5000 }, () => g.next().line);
  const bytes = createGenerator({ seed: 3 }).fillBytes(5000).toString('latin1');
  assert.deepEqual(objects, strings);
  assert.equal(bytes, strings.join('\n') + '\n');
});

test('every line has an RFC 3164 or RFC 5424 header whose time is the line time', () => {
  const g = createGenerator({ seed: 11, linesPerMinute: 600_000 });
  let rfc5424 = 0;
  let previous = -Infinity;
  for (let i = 0; i < 100_000; i++) {
    const { line, time } = g.next();
    assert.match(line, /^[\x20-\x7e]+$/, `not printable ascii: ${line}`);
    const pri = Number(/^<(\d+)>/.exec(line)?.[1]);
    assert.ok(pri >= 0 && pri <= 191, `bad PRI: ${line}`);
    const stamped = headerTime(line);
    assert.notEqual(stamped, null, `no syslog header: ${line}`);
    if (RFC5424.test(line)) {
      rfc5424++;
      assert.equal(stamped, time, line);
    } else assert.equal(stamped, Math.floor(time / 1000) * 1000, line);
    assert.ok(time >= previous, 'time went backwards');
    previous = time;
  }
  assert.ok(rfc5424 > 8000 && rfc5424 < 12_000, `rfc5424 share ${rfc5424} of 100000`);
});

test('the synthetic clock runs at linesPerMinute from start', () => {
  const g = createGenerator({ seed: 1, start: 1_000_000, linesPerMinute: 60_000 });
  g.fill(60_000);
  assert.equal(g.startTime, 1_000_000);
  assert.equal(g.time, 1_000_000 + 59_999);
  const none = createGenerator({ seed: 1, rfc5424Fraction: 0 }).fill(10_000);
  assert.ok(none.every((line) => RFC3164.test(line)));
});

test('a live clock stamps lines with its time, never going backwards', () => {
  const clock = [5000, 7000, 6000, 9000];
  let i = 0;
  const g = createGenerator({ seed: 1, now: () => clock[Math.min(i++, clock.length - 1)]! });
  assert.equal(g.startTime, 5000);
  assert.deepEqual([g.next().time, g.next().time, g.next().time], [7000, 7000, 9000]);
});

test('bad options fail with DEMO_OPTIONS_INVALID', () => {
  const bad = [{ linesPerMinute: 0 }, { rfc5424Fraction: 2 }, { needles: [{ text: 'x', every: 1 }] }, { needles: [{ text: 'caf\u00e9', every: 10 }] }];
  for (const opts of bad) {
    assert.throws(() => createGenerator(opts), (e: unknown) => isAppError(e) && e.code === 'DEMO_OPTIONS_INVALID');
  }
});

test('the first actors beacon to the first C2 domain, the one the demo\'s past incident names; later ones to others', () => {
  const named = (lines: string[]) => BAD_DOMAINS.filter((d) => lines.some((l) => l.includes(d)));
  for (const seed of [1, 2, 3]) {
    const g = createGenerator({ seed });
    assert.deepEqual(named(g.fill(90_000)), [BAD_DOMAINS[0]], `seed ${seed}`);
  }
  const later = createGenerator({ seed: 5 });
  later.fill(100_000);
  const seen = new Set<string>();
  for (let epoch = 1; epoch <= 12; epoch++) for (const d of named(later.fill(100_000))) seen.add(d);
  assert.ok(seen.size > 1, [...seen].join(', '));
});
