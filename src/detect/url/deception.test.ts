/** The userinfo-deception rule: a labelled rule beside the model, in explanations; the model's score as it was. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { userinfoDeception, type UserinfoDeception } from './deception.js';
import { summarize } from './explain.js';
import { PopularityTable } from './popularity.js';
import { scoreInputs, type InputResult } from './score-inputs.js';
import { trainFixtureModel } from './testing.js';
import { UrlDetector } from './url-detector.js';

test('fires when the user part of the userinfo names a host (a domain with a known TLD, or IPv4), after percent-decoding', () => {
  const fires: [string, string, string][] = [
    ['http://paypal.com@evil.tk/', 'paypal.com', 'evil.tk'],
    ['http://www.google.com@1.2.3.4/', 'www.google.com', '1.2.3.4'],
    ['http://paypal.com:login@evil.tk/', 'paypal.com', 'evil.tk'],
    ['http://paypal%2Ecom@evil.tk/', 'paypal.com', 'evil.tk'],
    ['paypal.com@evil.tk/webscr', 'paypal.com', 'evil.tk'],
    ['blob:https://PayPal.COM@evil.tk/1234', 'paypal.com', 'evil.tk'],
    ['http://10.0.0.1@evil.tk:8080/x', '10.0.0.1', 'evil.tk'],
    ['http://accounts-google.com.verify@evil.tk/', 'accounts-google.com', 'evil.tk'],
  ];
  for (const [url, named, host] of fires) {
    const d = userinfoDeception(url);
    assert.ok(d !== null, url);
    assert.deepEqual([d.rule, d.named, d.host], ['userinfo-host', named, host], url);
  }
});

test('does not fire on user names (john.smith, x-access-token, anonymous, first.name), on no userinfo, or on the host it leads to', () => {
  const quiet = [
    'https://john.smith@bitbucket.org/team/repo.git',
    'https://x-access-token:TOKEN@github.com/o/r.git',
    'ftp://anonymous@ftp.example.org/pub/',
    'http://first.name@host.example/',
    'http://evil.tk/',
    'http://evil.tk/a@b.com',
    'http://evil.tk/?to=paypal.com@x',
    'http://github.com@github.com/',
    'http://example.com@www.example.com/',
    'http://@evil.tk/',
    'mailto:paypal.com@evil.tk',
  ];
  for (const url of quiet) assert.equal(userinfoDeception(url), null, url);
});

test('Unicode look-alike dots and full-width letters read as a browser reads them in a host: named paypal.com, userinfo as written', () => {
  // before: each was null (only `%XX` of printable ASCII was decoded; `。` split the name into two words)
  const fires: [string, string][] = [
    ['http://paypal\u3002com@evil.tk/', 'paypal\u3002com'],
    ['http://paypal\uff0ecom@evil.tk/', 'paypal\uff0ecom'],
    ['http://paypal\uff61com@evil.tk/', 'paypal\uff61com'],
    ['http://paypal%E3%80%82com@evil.tk/', 'paypal%E3%80%82com'],
    ['http://paypal%ef%bc%8ecom@evil.tk/', 'paypal%ef%bc%8ecom'],
    ['http://paypal%EF%BD%A1com:pw@evil.tk/', 'paypal%EF%BD%A1com:…'],
    ['http://\uff50\uff41\uff59\uff50\uff41\uff4c\uff0e\uff43\uff4f\uff4d@evil.tk/', '\uff50\uff41\uff59\uff50\uff41\uff4c\uff0e\uff43\uff4f\uff4d'],
    ['http://www\u3002paypal\u3002com@evil.tk/x', 'www\u3002paypal\u3002com'],
  ];
  for (const [url, userinfo] of fires) {
    const d = userinfoDeception(url);
    assert.ok(d !== null, url);
    assert.equal(d.named, url.includes('www') ? 'www.paypal.com' : 'paypal.com', url);
    assert.equal(d.userinfo, userinfo, url);
    assert.equal(d.host, 'evil.tk', url);
  }
  // user names with the same characters stay quiet: no known TLD after the dot
  for (const url of ['http://john\u3002smith@evil.tk/', 'http://first%E3%80%82name@host.example/', 'http://\uff4a\uff4f\uff48\uff4e@evil.tk/']) assert.equal(userinfoDeception(url), null, url);
  // the host it leads to, written with a look-alike dot before @, is not another host
  assert.equal(userinfoDeception('http://paypal\u3002com@paypal.com/'), null);
});

/** A popularity table as the model's: paypal.com and google.com among the top 100, paypal.de ranked 5,000th, none else of these tests'. */
const TABLE = PopularityTable.fromDomains([...['paypal.com', 'google.com'], ...Array.from({ length: 4998 }, (_, i) => `filler${i}.net`), 'paypal.de']);

/** Each URL is quiet without a table and with TABLE. */
function assertQuiet(urls: readonly string[]): void {
  for (const url of urls) {
    assert.equal(userinfoDeception(url), null, url);
    assert.equal(userinfoDeception(url, TABLE), null, `${url} with a table`);
  }
}

test('TLDs: .zip, .mov and .app (core takes two-label names under them for files) and .dev fire with a table that vouches; .name never does', () => {
  // before: paypal.zip, paypal.mov and paypal.app were null (.zip and .mov are not in core's list; a
  // two-label .app name is a file there, `Weather.app`); .dev was already a host
  const fires: [string, string][] = [
    ['http://paypal.zip@evil.tk/', 'paypal.zip'],
    ['http://paypal.mov@evil.tk/', 'paypal.mov'],
    ['http://paypal.app@evil.tk/', 'paypal.app'],
    ['http://paypal.dev@evil.tk/', 'paypal.dev'],
    ['http://PAYPAL.ZIP@evil.tk/', 'paypal.zip'],
  ];
  for (const [url, named] of fires) {
    assert.equal(userinfoDeception(url, TABLE)?.named, named, url);
    assert.equal(userinfoDeception(url), null, `${url} without a table: two labels under no generic TLD read as no host`);
  }
  // three labels, or a generic TLD, read as a host with no table
  for (const [url, named] of [
    ['http://login.paypal.zip:pw@evil.tk/', 'login.paypal.zip'],
    ['https://github.com\u2215kubernetes\u2215archive@v1271.zip/', 'github.com'],
  ] as const) {
    assert.equal(userinfoDeception(url)?.named, named, url);
    assert.equal(userinfoDeception(url, TABLE)?.named, named, url);
  }
  const quiet = [
    'http://first.name@host.example/',
    'http://user.name@evil.tk/',
    'http://jane.doe.name@evil.tk/',
    'http://com.apple.app@evil.tk/',
    'http://paypal.zip@x.paypal.zip/',
    'http://backup_.zip@evil.tk/',
  ];
  assertQuiet(quiet);
});

test('a user name reads as a host when it is IPv4, has three labels under a known TLD, or two under a generic TLD; else only when the popularity table vouches', () => {
  const always: [string, string][] = [
    ['http://192.168.1.10@evil.tk/', '192.168.1.10'],
    ['http://www.paypal.de@evil.tk/', 'www.paypal.de'],
    ['http://mail.example.co@evil.tk/', 'mail.example.co'],
    ['http://bank.example.info@evil.tk/', 'bank.example.info'],
    ...['com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz'].map((tld): [string, string] => [`http://irs.${tld}@evil.tk/`, `irs.${tld}`]),
  ];
  for (const [url, named] of always) {
    assert.equal(userinfoDeception(url)?.named, named, `${url} without a table`);
    assert.equal(userinfoDeception(url, TABLE)?.named, named, `${url} with a table`);
  }
  // two labels under a country code: the table vouches for paypal.de (on it, rank 5,000) and google.it (google.com in its top 1,000)
  for (const [url, named] of [
    ['http://paypal.de@evil.tk/', 'paypal.de'],
    ['http://google.it:pw@evil.tk/', 'google.it'],
  ] as const) {
    assert.equal(userinfoDeception(url, TABLE)?.named, named, url);
    assert.equal(userinfoDeception(url), null, `${url} without a table`);
  }
  // filler0.net is on the table, but rank 2 of a filler does not vouch for `filler4000.de`: neither it nor filler4000.com is listed in the top 1,000
  assert.equal(userinfoDeception('http://filler4000.de@evil.tk/', TABLE), null);
  // a first label of one or two letters is a person's initials or short name, popular .com or not (before: al.de@ fired through al.com)
  const short = PopularityTable.fromDomains(['al.com', 'hp.com', 'ibm.com']);
  assert.equal(userinfoDeception('ftp://al.de@ftp.example.org/', short), null);
  assert.equal(userinfoDeception('http://hp.de@evil.tk/', short), null);
  assert.equal(userinfoDeception('http://ibm.de@evil.tk/', short)?.named, 'ibm.de');
  assert.equal(userinfoDeception('http://filler4000.net@evil.tk/', TABLE)?.named, 'filler4000.net', 'a generic TLD needs no table');
});

test('person and file names before @ stay quiet, with or without the table (before: each fired)', () => {
  const quiet = [
    'ftp://maria.lu@ftp.example.org/',
    'http://anna.it@evil.tk/',
    'http://john.li@evil.tk/',
    'http://jan.de@files.example.net/',
    'http://Invoice.zip@evil.tk/',
    'http://Report.zip@evil.tk/',
    'http://Holiday.mov@evil.tk/',
    'http://Weather.app@evil.tk/',
    'http://Google.zip@evil.tk/',
  ];
  assertQuiet(quiet);
});

test('a mailbox as the user name (a second @, percent-encoded): its domain is no host the URL dresses as', () => {
  // before: each named gmail.com
  const quiet = ['ftp://john%40gmail.com@ftp.example.org/pub/', 'ftp://john%40gmail.com:pw@ftp.example.org/', 'http://JOHN%40gmail.com@evil.tk/'];
  assertQuiet(quiet);
  // a raw or look-alike @ is no client's mailbox login: the host after it shows as plainly as without it
  assert.equal(userinfoDeception('http://login@paypal.com@evil.tk/')?.named, 'paypal.com');
  assert.equal(userinfoDeception('http://jane.doe%EF%BC%A0outlook.com@evil.tk/')?.named, 'outlook.com');
  // the name before the mailbox's @ is still read: a host there fires
  assert.equal(userinfoDeception('http://paypal.com%40secure@evil.tk/')?.named, 'paypal.com');
});

test('bad escapes never throw and are kept as written: a cut UTF-8 sequence, %ZZ, a lone continuation byte, an overlong form', () => {
  const quiet = ['http://%E3%80@evil.tk/', 'http://%ZZ@evil.tk/', 'http://%80%80@evil.tk/', 'http://%C0%AE@evil.tk/', 'http://%ED%A0%80@evil.tk/', 'http://%@evil.tk/', 'http://%E3@evil.tk/'];
  for (const url of quiet) assert.equal(userinfoDeception(url), null, url);
  // a bad escape beside a good one: the good one still decodes, the bad one is no dot
  assert.equal(userinfoDeception('http://paypal%E3%80%82com%E3%80@evil.tk/')?.named, 'paypal.com');
  assert.equal(userinfoDeception('http://paypal%E3%80com@evil.tk/'), null);
  assert.equal(userinfoDeception('http://paypal%C0%AEcom@evil.tk/'), null, 'an overlong `.` is not a dot');
});

test('fuzz: any URL-ish string gives null or a finding whose named host is another host, and never its password', () => {
  const part = fc.stringMatching(/^(?:[a-z.:@%/]|%[0-9A-Fa-f]{2}|%[G-Z]{2}|\u3002|\uff0e|\uff61|\ud800|com|tk|\.|paypal)*$/);
  fc.assert(
    fc.property(part, part, (a, b) => {
      const url = `http://${a}@${b}`;
      const d = userinfoDeception(url);
      if (d === null) return;
      assert.equal(d.rule, 'userinfo-host');
      assert.ok(d.named.length > 0 && d.named === d.named.toLowerCase());
      assert.notEqual(d.named, d.host);
      const colon = a.indexOf(':');
      if (colon >= 0 && colon < a.lastIndexOf('@') + 1) assert.ok(d.userinfo.endsWith(':…'));
    }),
    { numRuns: 2000, seed: 175 },
  );
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void userinfoDeception(s)), { numRuns: 2000, seed: 175 });
});

test('the password part is never kept: userinfo is written with `:…` in its place', () => {
  const d = userinfoDeception('http://paypal.com:hunter2@evil.tk/')!;
  assert.equal(d.userinfo, 'paypal.com:…');
  assert.ok(!JSON.stringify(d).includes('hunter2'));
  assert.equal(userinfoDeception('http://paypal.com@evil.tk/')!.userinfo, 'paypal.com');
});

test('UrlDetector: the score is the model\'s, as without userinfo; the summary and detail.deception name the rule', async () => {
  const d = UrlDetector.load(trainFixtureModel('ngram'));
  const [deceptive, plain, user] = (await scoreInputs(d, ['http://paypal.com:s3cret@evil.tk/', 'http://evil.tk/', 'https://john.smith@bitbucket.org/'])) as InputResult[];
  assert.equal(deceptive!.score, plain!.score);
  const detail = deceptive!.explanation!.detail as { deception?: unknown };
  assert.deepEqual(detail.deception, { rule: 'userinfo-host', userinfo: 'paypal.com:…', named: 'paypal.com', host: 'evil.tk' });
  assert.match(deceptive!.explanation!.summary, /; userinfo deception: the URL names "paypal\.com" before @ but leads to evil\.tk \(a rule beside the model; the score is the model's\)$/);
  assert.ok(!JSON.stringify(deceptive).replace(deceptive!.subject, '').includes('s3cret'), 'only the subject as given holds the password');
  assert.equal((plain!.explanation!.detail as { deception?: unknown }).deception, undefined);
  assert.doesNotMatch(user!.explanation!.summary, /deception/);
  await d.close();
});

test('scoreInputs: without explanations the rule is the result\'s `deception`; a log line carries its URL\'s in its explanation', async () => {
  const d = UrlDetector.load(trainFixtureModel('ngram'));
  const fast = await scoreInputs(d, ['http://paypal.com@evil.tk/', 'http://evil.tk/'], false);
  assert.equal(fast[0]!.score, fast[1]!.score);
  assert.equal((fast[0]!.deception as UserinfoDeception | undefined)?.named, 'paypal.com');
  assert.equal(fast[1]!.deception, undefined);
  const line = 'GET http://paypal.com:pw@evil.tk/x 200';
  const [full] = await scoreInputs(d, [line], true);
  assert.equal(full!.scored, 'evil.tk/x');
  assert.equal((full!.explanation!.detail as { deception?: { userinfo: string } }).deception?.userinfo, 'paypal.com:…');
  assert.match(full!.explanation!.summary, /userinfo deception/);
  const [lineFast] = await scoreInputs(d, [line], false);
  assert.equal(lineFast!.deception?.host, 'evil.tk');
  await d.close();
});

test('scoreInputs: a log line naming several deceptive URLs lists each in `deceptions`, in the line\'s order; `deception` is still one', async () => {
  // before: only the scored URL's (else the first's) was reported; the others were nowhere
  const d = UrlDetector.load(trainFixtureModel('ngram'));
  const line = 'x http://paypal.com:pw@evil.tk/a http://plain.tk/ http://google.com@bad.tk/b http://paypal\u3002com@evil.tk/c 200';
  for (const explain of [true, false]) {
    const [r] = await scoreInputs(d, [line], explain);
    assert.deepEqual(
      r!.deceptions?.map((x) => [x.url, (x as UserinfoDeception).named, x.host, (x as UserinfoDeception).userinfo]),
      [
        ['evil.tk/a', 'paypal.com', 'evil.tk', 'paypal.com:…'],
        ['bad.tk/b', 'google.com', 'bad.tk', 'google.com'],
        ['evil.tk/c', 'paypal.com', 'evil.tk', 'paypal\u3002com'],
      ],
      `explain ${explain}`,
    );
    const one = explain ? (r!.explanation!.detail as { deception?: { url?: string; host: string } }).deception : r!.deception;
    const { url: _url, ...expected } = r!.deceptions!.find((x) => x.url === r!.scored) ?? r!.deceptions![0]!;
    assert.deepEqual(one, expected, 'the old single field: the scored URL\'s, else the first\'s, without `url`');
    if (explain) assert.match(r!.explanation!.summary, /; 2 more URLs of the line name another host before @ \(deceptions lists each\)$/);
    assert.ok(!JSON.stringify(r).replaceAll(JSON.stringify(line), '').includes(':pw'), 'the password only in the line as given');
  }
  const [quiet] = await scoreInputs(d, ['x http://plain.tk/ http://john.smith@bitbucket.org/ 200', 'http://paypal.com@evil.tk/']);
  assert.equal(quiet!.deceptions, undefined);
  const [, url] = await scoreInputs(d, ['x http://plain.tk/ 200', 'http://paypal.com@evil.tk/']);
  assert.equal(url!.deceptions, undefined, 'a URL given alone has its `deception` only, as before');
  await d.close();
});

test('summarize: a detail without deception reads as before', () => {
  const detail = { logit: 0, weights: [], host: [0, 0] as [number, number], path: [0, 0] as [number, number], top: [] };
  assert.equal(summarize(0.5, detail), 'score 0.500: no part of the URL pushed the score up');
  assert.equal(summarize(0.5, { ...detail, deception: { rule: 'userinfo-host', userinfo: 'a.com', named: 'a.com', host: 'b.tk' } }), 'score 0.500: no part of the URL pushed the score up; userinfo deception: the URL names "a.com" before @ but leads to b.tk (a rule beside the model; the score is the model\'s)');
});

test('look-alike letters of other scripts in the user part read as the Latin ones: pаypal.com@ (a Cyrillic а) names paypal.com', () => {
  // before: each was null (NFKC keeps the Cyrillic and Greek letters; the tokenizer split the name at them)
  const fires: [string, string][] = [
    ['http://p\u0430ypal.com@evil.tk/', 'paypal.com'],
    ['http://\u0420\u0410\u0423PAL.COM:pw@evil.tk/', 'paypal.com'],
    ['http://g\u03bf\u03bfgle.com@evil.tk/', 'google.com'],
    ['http://p%D0%B0ypal.com@evil.tk/', 'paypal.com'],
    ['http://\u0430\u0440\u0440\u04cf\u0435.com@evil.tk/', 'apple.com'],
  ];
  for (const [url, named] of fires) {
    const d = userinfoDeception(url);
    assert.equal(d?.named, named, url);
    assert.equal(d?.host, 'evil.tk', url);
  }
  assert.equal(userinfoDeception('http://p\u0430ypal.com@evil.tk/')!.userinfo, 'p\u0430ypal.com', 'userinfo as written');
  // user names in look-alike letters name no host, and the host the URL leads to is not another
  for (const url of ['http://j\u043ehn.smith@evil.tk/', 'http://\u0430n\u043enymous@ftp.example.org/', 'http://p\u0430ypal.com@paypal.com/']) assert.equal(userinfoDeception(url), null, url);
});

test('UrlDetector and scoreInputs: an IDN homograph of a popular domain (the model\'s table) is detail.deception, rule idn-homograph; the score is the model\'s', async () => {
  // the fixture model's popularity table holds the fixture's top domains: lzudip.com among them
  const d = UrlDetector.load(trainFixtureModel('ngram'));
  const idn = 'http://xn--lzud-j6d5k.com/login'; // lzudір.com: Cyrillic і and р
  const [full] = (await scoreInputs(d, [idn])) as InputResult[];
  const expected = { rule: 'idn-homograph', host: 'xn--lzud-j6d5k.com', shown: 'lzud\u0456\u0440.com', looksLike: 'lzudip.com' };
  assert.deepEqual((full!.explanation!.detail as { deception?: unknown }).deception, expected);
  assert.equal(full!.score, (d.scoreOne(idn) as { score: number }).score);
  assert.match(full!.explanation!.summary, /; IDN homograph: the host xn--lzud-j6d5k\.com shows as "lzud\u0456\u0440\.com", a look-alike of the popular lzudip\.com \(a rule beside the model; the score is the model's\)$/);
  const fast = await scoreInputs(d, ['http://lzud\u0456\u0440.com/login', 'http://lzudip.com/login', 'http://m\u00fcnchen.de/'], false);
  assert.deepEqual(fast.map((r) => r.deception), [expected, undefined, undefined]);
  // a log line: each URL either rule fired on, in the line's order
  const line = 'x http://paypal.com@evil.tk/a http://xn--lzud-j6d5k.com/b 200';
  const [r] = await scoreInputs(d, [line], true);
  assert.deepEqual(r!.deceptions?.map((x) => [x.url, x.rule]), [['evil.tk/a', 'userinfo-host'], ['xn--lzud-j6d5k.com/b', 'idn-homograph']]);
  assert.match(r!.explanation!.summary, /; 1 more URL of the line imitates another host \(deceptions lists each\)$/);
  await d.close();
});
