import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { Articles, htmlText, mentions, refang } from './articles.js';
import { investigateFixtures } from './testing.js';

const FIXTURES = join(investigateFixtures(), 'articles');

test('defanged indicators are read back, and only addresses and real domain names are mentions', () => {
  assert.equal(refang('hxxps://bad-c2[.]example/x 198.51.100[.]66 evil(.)example'), 'https://bad-c2.example/x 198.51.100.66 evil.example');
  assert.deepEqual([...mentions('see 198.51.100[.]66, bad-c2[.]example and 2001:db8::1; not config.json or 1.2.3')].sort(), [
    'domain:bad-c2.example',
    'ip:198.51.100.66',
    'ip:2001:db8::1',
  ]);
  assert.equal(htmlText('<p>a&amp;b &#x41;&#66;</p><script>x.example</script>').trim(), 'a&b AB');
});

test('the articles folder is indexed by the domains and addresses its files mention', async () => {
  const a = new Articles(FIXTURES);
  await a.reload();
  const idx = a.value;
  assert.equal(idx.articles.length, 3, 'text, Markdown and HTML; other files skipped');
  const titles = (key: string) => idx.lookup(key).map((r) => r.title);
  assert.deepEqual(titles('domain:bad-c2.example'), ['Cobalt Strike beacons seen from bad-c2[.]example']);
  assert.deepEqual(titles('ip:198.51.100.66'), ['Cobalt Strike beacons seen from bad-c2[.]example']);
  assert.deepEqual(titles('ip:203.0.113.9'), ['Advisory: scanner network 203.0.113.0/24']);
  assert.deepEqual(titles('domain:x.tracker.example'), ['notes from the incident'], 'a domain finds articles about its parents');
  assert.deepEqual(idx.lookup('domain:script-only.example'), [], 'script text is not content');
  assert.deepEqual(idx.lookup('domain:loader.example'), [], 'a parent does not find its children');
  assert.equal(idx.lookup('domain:cdn.emotet-loader.example')[0]!.path, 'cobalt-report.md');
  a.close();
});

test('fuzz: mentions never throws and yields typed keys', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      for (const k of mentions(s)) assert.match(k, /^(ip|domain):./);
      htmlText(s);
    }),
    { numRuns: 1000 },
  );
});

test('an address or name written with a port is a mention of the address or name', () => {
  assert.deepEqual([...mentions('C2 at 203.0.113.9:443 and hxxps://evil[.]example:8443/gate.php')].sort(), ['domain:evil.example', 'ip:203.0.113.9']);
  assert.deepEqual([...mentions('beacon to [2001:db8::5]:443, fallback 198.51.100[.]7[:]8080')].sort(), ['ip:198.51.100.7', 'ip:2001:db8::5']);
  assert.deepEqual([...mentions('2001:db8::1:443 is an address whole')], ['ip:2001:db8::1:443']);
  assert.deepEqual([...mentions('at 10:30:15 and 1.2.3:80 nothing')], []);
});
