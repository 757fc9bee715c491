/** `nml score url` from stdin: one line out per LF-ended line in, in order, echoing the line's bytes; a model with non-finite weights is refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { argv, REPO_ROOT, runCliSync, shellCommand } from '../testing.js';
import { stdinReadFailed } from './score-url.js';

/** the shipped default model's threshold, as its model.json says */
const SHIPPED_THRESHOLD = (JSON.parse(readFileSync(join(REPO_ROOT, 'models/url/ngram/model.json'), 'utf8')) as { threshold: number }).threshold;

/** `nml <args>` with `input` bytes on stdin; stdout as bytes. */
function runBytes(args: string[], input: Buffer): { code: number; out: Buffer; err: string } {
  const r = spawnSync(process.execPath, argv(args), { input, cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr.toString() };
}

/** `buf` split at every byte `b` */
function splitBytes(buf: Buffer, b: number): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (let i = buf.indexOf(b); i >= 0; i = buf.indexOf(b, from)) {
    out.push(buf.subarray(from, i));
    from = i + 1;
  }
  out.push(buf.subarray(from));
  return out;
}

test('stdin: lines end at LF only (a lone CR stays, one CR before the LF goes), and each echoes its own bytes, invalid UTF-8 too', () => {
  const lines: Buffer[] = Array.from({ length: 2500 }, (_, i) => Buffer.from(`http://host${i}.example/p?${i}`));
  lines[3] = Buffer.from('http://a.com/x\ry');
  lines[4] = Buffer.from('');
  lines[1500] = Buffer.from([...Buffer.from('http://c.com/'), 0xff, 0xfe, ...Buffer.from('/x')]);
  lines[1501] = Buffer.from('http://d.com/\u{fffd}ok');
  lines[2000] = Buffer.from(`http://long.example/${'ab'.repeat(150_000)}`, 'latin1');
  const input = Buffer.concat([...lines.slice(0, -1).map((l, i) => Buffer.concat([l, Buffer.from(i % 7 === 0 ? '\r\n' : '\n')])), lines.at(-1)!]);
  const r = runBytes(['score', 'url'], input);
  assert.equal(r.code, 0, r.err);
  const out = splitBytes(r.out, 10);
  assert.equal(out.pop()!.length, 0, 'the output ends with a newline');
  assert.equal(out.length, lines.length, 'one line out per line in');
  out.forEach((o, i) => {
    const tab = o.indexOf(9);
    assert.match(o.subarray(0, tab).toString(), /^[01]\.\d{6}$/, `line ${i + 1}`);
    // a lone CR is written \r: raw, it broke the columns
    const echo = i === 3 ? Buffer.from('http://a.com/x\\ry') : lines[i]!;
    assert.ok(o.subarray(tab + 1).equals(echo), `line ${i + 1} echoes its input: ${JSON.stringify(o.subarray(tab + 1).toString().slice(0, 80))}`);
  });
  assert.match(r.err, /1 empty input \(input 5\)/);
});

test('a model whose weights.bin holds NaN is refused, naming the file, not scored as NaN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-nan-model-'));
  try {
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'nml-url-model/1', kind: 'ngram', version: 'x', threshold: 0.5, tensors: [{ name: 'w', shape: [4] }, { name: 'b', shape: [1] }] }));
    writeFileSync(join(dir, 'weights.bin'), Buffer.from(new Float32Array(5).fill(NaN).buffer));
    const r = runCliSync(['score', 'url', '--model', dir, 'http://x.com/']);
    assert.notEqual(r.code, 0);
    assert.equal(r.out, '');
    assert.ok(r.err.includes(`${join(dir, 'weights.bin')} holds NaN`), r.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that goes away (| head -1) ends the command, lines with invalid UTF-8 in every batch too', () => {
  // each batch holds a line that is not UTF-8, so every batch is written as bytes; head closes the pipe after its first line
  const lines = Array.from({ length: 20_000 }, (_, i) => (i % 1000 === 7 ? Buffer.from([...Buffer.from(`http://x${i}.example/`), 0xff]) : Buffer.from(`http://host${i}.example/some/path?q=${i}`)));
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-pipe-'));
  try {
    const file = join(dir, 'in.txt');
    writeFileSync(file, Buffer.concat(lines.map((l) => Buffer.concat([l, Buffer.from('\n')]))));
    const node = shellCommand([]);
    // the file's path is a temporary folder's: no quote in it
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${node} score url < '${file}' | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: REPO_ROOT, timeout: 120_000 });
    assert.notEqual(r.signal, 'SIGTERM', 'the command did not end when its reader went away');
    assert.match(r.stdout.toString(), /^0\.\d{6}\thttp:\/\/host0\.example\/some\/path\?q=0\n$/);
    assert.match(r.stderr.toString(), /status 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('endless stdin (yes | nml score url | head -1): the command stops reading once its reader has gone', () => {
  const node = shellCommand([]);
  // before, it read and scored `yes` for ever: the pipeline never ended (`timeout` leaves no process behind then)
  const r = spawnSync('bash', ['-c', `timeout 50 yes 'http://a.com/x' | timeout 50 ${node} score url | head -1; echo "status \${PIPESTATUS[1]}" >&2`], { cwd: REPO_ROOT, timeout: 60_000 });
  assert.notEqual(r.signal, 'SIGTERM', 'the command did not end when its reader went away');
  assert.match(r.stdout.toString(), /^0\.\d{6}\thttp:\/\/a\.com\/x\n$/);
  assert.match(r.stderr.toString(), /status 0/);
});

test('a URL argument holding a line break is refused before scoring: one output line per input', () => {
  for (const bad of ['http://a.com/x\nhttp://b.com/y', 'http://a.com/\rx']) {
    const r = runCliSync(['score', 'url', 'http://ok.example/', bad]);
    assert.notEqual(r.code, 0);
    assert.equal(r.out, '');
    assert.match(r.err, /argument 2 holds a line break .*one URL an argument, or many one a line on stdin/);
  }
});

test('an argument holding a space is a log line scored by its URL; one naming no URL is refused (not a verdict on a sentence)', () => {
  const r = runCliSync(['score', 'url', 'not a url']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /argument 1 holds a space and no URL \("not a url"\): a URL has none .*read as a log line it names no URL/);
  // leading or trailing blanks of a pasted URL are not its own: still scored as the URL; a squid line scores as its URL
  const url = 'http://paypal-abcd.tk/login/signin.php1';
  const squid = `1700000000.123    45 10.0.0.5 TCP_MISS/200 512 GET ${url} - HIER_DIRECT/1.2.3.4 text/html`;
  const ok = runCliSync(['score', 'url', ` ${url} `, url, squid]);
  assert.equal(ok.code, 0, ok.err);
  const [padded, bare, line] = ok.out.split('\n').map((l) => l.split('\t'));
  assert.deepEqual([padded![1], bare![1], line![1]], [` ${url} `, url, squid], 'the column is the input as given');
  assert.equal(line![0], bare![0]);
  assert.equal(padded![0], bare![0]);
});

test('stdin: a log line is scored by the highest of its URLs, one naming none is 0 in its place (stderr says which); --json names the URL', () => {
  const squid = (url: string): string => `1700000000.123    45 10.0.0.5 TCP_MISS/200 512 GET ${url} - HIER_DIRECT/1.2.3.4 text/html`;
  const benign = 'https://docs.example.org/help/x.html';
  const bad = 'http://paypal-abcd.tk/login/signin.php1';
  const lines = [benign, squid(benign), bad, squid(bad), `referer ${benign} then ${bad}`, 'Accepted password for bob from 10.0.0.5 port 22', 'no url here either'];
  const input = Buffer.from(lines.map((l) => l + '\n').join(''));
  const r = runBytes(['score', 'url'], input);
  assert.equal(r.code, 0, r.err);
  const out = r.out.toString().split('\n');
  assert.equal(out.pop(), '');
  assert.deepEqual(out.map((o) => o.slice(o.indexOf('\t') + 1)), lines, 'one line out per input, the input as given');
  const score = out.map((o) => o.slice(0, o.indexOf('\t')));
  assert.equal(score[1], score[0], 'a squid line scores as its URL');
  assert.equal(score[3], score[2]);
  assert.equal(score[4], score[2], 'the highest of its URLs');
  assert.deepEqual(score.slice(5), ['0.000000', '0.000000']);
  assert.match(r.err, /^nml: 2 inputs with a space and no URL \(inputs 6, 7\) scored 0: read as log lines, they name no URL to score\n$/);
  const json = runBytes(['score', 'url', '--json'], input);
  assert.equal(json.code, 0, json.err);
  const results = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(results.map((x) => x.subject), lines);
  assert.equal(results[0]!.item, undefined, 'a URL\'s result is as before');
  assert.deepEqual([results[3]!.item, results[3]!.scored, results[3]!.urls], [lines[3], 'paypal-abcd.tk/login/signin.php1', undefined]);
  assert.equal(results[3]!.score, results[2]!.score);
  assert.deepEqual(results[4]!.urls, [
    { url: 'docs.example.org/help/x.html', score: results[0]!.score },
    { url: 'paypal-abcd.tk/login/signin.php1', score: results[2]!.score },
  ]);
  assert.deepEqual((results[5]!.error as { code: string }).code, 'URL_NOT_FOUND');
  assert.equal(results[5]!.item, lines[5]);
});

test('stdin with no URL (empty, or blank lines only) is refused on stderr with nothing on stdout; blank lines beside URLs keep their place', () => {
  // before, an empty stdin exited 0 and a blank one printed "0.000000<TAB>"
  for (const input of ['', '\n', '\n  \r\n\n']) {
    const r = runBytes(['score', 'url'], Buffer.from(input));
    assert.equal(r.code, 2, `${JSON.stringify(input)}: ${r.err}`);
    assert.equal(r.out.length, 0, `${JSON.stringify(input)}: nothing on stdout`);
    assert.equal(r.err, 'nml: score url: no URLs given: pass URLs as arguments or one per line on stdin (nml score url < urls.txt)\n');
  }
  // blank lines held before the first URL are scored in their place once it comes, past a batch of them too
  const lines = [...Array.from({ length: 1500 }, () => ''), '  ', '', 'http://a.com/x', ''];
  const r = runBytes(['score', 'url'], Buffer.from(lines.map((l) => l + '\n').join('')));
  assert.equal(r.code, 0, r.err);
  const out = r.out.toString().split('\n');
  assert.equal(out.pop(), '');
  assert.equal(out.length, lines.length, 'one line out per line in');
  out.forEach((o, i) => assert.equal(o.slice(o.indexOf('\t') + 1), lines[i], `line ${i + 1}`));
  assert.match(out[lines.length - 2]!, /^0\.\d{6}\thttp:\/\/a\.com\/x$/);
  assert.match(r.err, /1503 empty inputs \(inputs 1, 2, 3, 4, 5, …\) scored 0/);
});

test('stdin: control characters in the URL column are escaped (\t, \r, \x00), one line out per line in; a line of NUL bytes is blank', () => {
  // a TAB inside a line makes it a log line, scored by its URL (0 when it names none): its column is still the line, escaped
  const lines = [Buffer.from('\thttp://a.com/x'), Buffer.from('http://b.com/\tx\ry'), Buffer.from([0, 0]), Buffer.from([1, ...Buffer.from('http://c.com/'), 0xff, 9, 0x7f]), Buffer.from('http://back.com/a\\tb'), Buffer.from('a\tb\rc')];
  const r = runBytes(['score', 'url'], Buffer.concat(lines.map((l) => Buffer.concat([l, Buffer.from('\n')]))));
  assert.equal(r.code, 0, r.err);
  const out = splitBytes(r.out, 10);
  assert.equal(out.pop()!.length, 0);
  assert.equal(out.length, lines.length, 'one line out per line in');
  for (const o of out) assert.equal(o.filter((b) => b === 9).length, 1, `one TAB, between the columns: ${JSON.stringify(o.toString())}`);
  const urls = out.map((o) => o.subarray(o.indexOf(9) + 1));
  assert.deepEqual(urls.map((u) => u.toString('latin1')), ['\\thttp://a.com/x', 'http://b.com/\\tx\\ry', '\\x00\\x00', '\\x01http://c.com/\xff\\t\\x7f', 'http://back.com/a\\tb', 'a\\tb\\rc']);
  assert.equal(out[2]!.toString(), '0.000000\t\\x00\\x00', 'a NUL-only line scores as the empty URL');
  assert.equal(out[5]!.toString(), '0.000000\ta\\tb\\rc', 'a log line naming no URL scores 0');
  assert.match(r.err, /1 empty input \(input 3\)/);
  assert.match(r.err, /1 input with a space and no URL \(input 6\) scored 0/);
  // NUL bytes alone are no URL; --json keeps the input as its subject
  const nul = runBytes(['score', 'url'], Buffer.from([0, 10, 0, 0, 10]));
  assert.equal(nul.code, 2, nul.err);
  assert.match(nul.err, /no URLs given/);
  const json = runBytes(['score', 'url', '--json'], Buffer.from('\0\nhttp://a.com/\n'));
  assert.deepEqual(JSON.parse(json.out.toString().split('\n')[0]!), { subject: '\0', error: { code: 'URL_EMPTY', message: 'url: empty string; give a URL' }, threshold: SHIPPED_THRESHOLD });
});

test('--json rows carry the threshold the score is judged against (the model\'s), and the plain lines stay score<TAB>url', () => {
  // before, a script had to read the model card to tell a flagged row from one that was not
  const json = runBytes(['score', 'url', '--json'], Buffer.from('http://a.com/\nno url here\n'));
  assert.equal(json.code, 0, json.err);
  const rows = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { threshold?: unknown; score?: number; error?: unknown });
  assert.deepEqual(rows.map((r) => r.threshold), [SHIPPED_THRESHOLD, SHIPPED_THRESHOLD], 'every row, one with an error too');
  assert.ok(rows[0]!.score! < SHIPPED_THRESHOLD);
  const plain = runBytes(['score', 'url'], Buffer.from('http://a.com/\n'));
  assert.match(plain.out.toString(), /^[01]\.\d{6}\thttp:\/\/a\.com\/\n$/);
});

test('a folder as stdin is an error (exit 2), not "no URLs given"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-dir-'));
  try {
    const node = shellCommand([]);
    const r = spawnSync('bash', ['-c', `${node} score url < '${dir}'`], { cwd: REPO_ROOT, timeout: 120_000 });
    assert.equal(r.status, 2, r.stderr.toString());
    assert.equal(r.stdout.toString(), '');
    assert.match(r.stderr.toString(), /score url: cannot read stdin: it is a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stdin read that fails says why in words and what to do, not node\'s "EIO: i/o error, read"; the kind follows the cause', () => {
  const sys = (code: string, words: string): Error => Object.assign(new Error(`${code}: ${words}, read`), { code });
  const eio = stdinReadFailed(sys('EIO', 'i/o error'));
  assert.deepEqual([eio.code, eio.kind, eio.message], ['URL_STDIN_INVALID', 'unavailable', 'score url: cannot read stdin: input/output error; check the command or file that feeds it']);
  const denied = stdinReadFailed(sys('EACCES', 'permission denied'));
  assert.deepEqual([denied.kind, denied.message], ['unavailable', 'score url: cannot read stdin: permission denied; check the command or file that feeds it']);
  const folder = stdinReadFailed(sys('EISDIR', 'illegal operation on a directory'));
  assert.deepEqual([folder.kind, folder.message], ['bad_request', 'score url: cannot read stdin: it is a folder; give a file of URLs, one a line (nml score url < urls.txt)']);
});

test('inputs that are no web URL (javascript:, data:, a bare path) are 0 in their place, stderr says which, --json says why', () => {
  // before: javascript:alert(1) 0.759, data:text/html;base64,… 0.981, /login.php 0.999 (flagged) from the shipped model
  const inputs = ['javascript:alert(1)', 'http://a.com/', 'data:text/html;base64,PHNjcmlwdD4=', '/login.php'];
  const r = runBytes(['score', 'url', ...inputs], Buffer.alloc(0));
  assert.equal(r.code, 0, r.err);
  const lines = r.out.toString().trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split('\t')[1]), inputs);
  assert.deepEqual([lines[0], lines[2], lines[3]].map((l) => l!.split('\t')[0]), ['0.000000', '0.000000', '0.000000']);
  assert.match(r.err, /3 inputs that are no web URL \(inputs 1, 3, 4\) scored 0: a javascript:, data:, mailto: or about: URL, a blob: URL without a web origin \(blob:null\/…\), a URL with an empty host \(http:\/\/\/x\), or a path without a host/);
  const json = runBytes(['score', 'url', '--json', ...inputs], Buffer.alloc(0));
  const rows = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { error?: { code: string }; score?: number });
  assert.deepEqual(rows.map((x) => x.error?.code ?? 'scored'), ['URL_NOT_WEB', 'scored', 'URL_NOT_WEB', 'URL_NOT_WEB']);
});

test('a blob: URL scores as the web URL after blob:, --json names that form; blob:null/… is no web URL', () => {
  // before: blob:https://evil.tk/1234-abcd 0.907 as written, https://evil.tk/1234-abcd 0.959 (shipped n-gram model)
  const inputs = ['blob:https://evil.tk/1234-abcd', 'https://evil.tk/1234-abcd', 'blob:null/1234-abcd'];
  const r = runBytes(['score', 'url', ...inputs], Buffer.alloc(0));
  assert.equal(r.code, 0, r.err);
  const scores = r.out.toString().trim().split('\n').map((l) => l.split('\t')[0]);
  assert.equal(scores[0], scores[1]);
  assert.equal(scores[2], '0.000000');
  assert.match(r.err, /1 input that is no web URL \(input 3\) scored 0: .*a blob: URL without a web origin \(blob:null\/…\)/);
  const json = runBytes(['score', 'url', '--json', inputs[0]!, inputs[2]!], Buffer.alloc(0));
  const rows = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { subject: string; explanation?: { detail: { scored?: string } }; error?: { code: string } });
  assert.equal(rows[0]!.subject, inputs[0]);
  assert.equal(rows[0]!.explanation?.detail.scored, 'evil.tk/1234-abcd');
  assert.equal(rows[1]!.error?.code, 'URL_NOT_WEB');
});

test('plain output: stderr says a blob: URL was scored as the URL it wraps, and which inputs the userinfo-deception rule fired on; stdout is score<TAB>url as before', () => {
  // before: nothing on stderr for either; http://paypal.com@evil.tk/ scored 0.598914, as http://evil.tk/ (shipped n-gram model)
  const inputs = ['blob:https://evil.tk/1234-abcd', 'http://paypal.com:hunter2@evil.tk/', 'http://evil.tk/', 'https://john.smith@bitbucket.org/'];
  const r = runBytes(['score', 'url', ...inputs], Buffer.alloc(0));
  assert.equal(r.code, 0, r.err);
  const lines = r.out.toString().trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(lines.map((l) => l[1]), inputs);
  assert.ok(lines.every((l) => /^\d\.\d{6}$/.test(l[0]!)));
  assert.equal(lines[1]![0], lines[2]![0], 'the score column is the model\'s score');
  assert.match(r.err, /^nml: 1 blob: URL \(input 1\) scored as the web URL it wraps, not as written \(blob:https:\/\/evil\.tk\/1234-abcd as https:\/\/evil\.tk\/1234-abcd; --json's detail\.scored names the form scored\)$/m);
  assert.match(r.err, /^nml: 1 input \(input 2\) names a host before @ that is not where it leads \(userinfo deception: "paypal\.com" before @, leading to evil\.tk\); the score is the model's, which never reads userinfo \(--json: detail\.deception\)$/m);
  assert.doesNotMatch(r.err, /hunter2/);
  const json = runBytes(['score', 'url', '--json', inputs[0]!, inputs[1]!], Buffer.alloc(0));
  assert.equal(json.err, '', '--json says these in its results');
  const rows = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { explanation: { summary: string; detail: { deception?: { named: string } } } });
  assert.equal(rows[1]!.explanation.detail.deception?.named, 'paypal.com');
  assert.match(rows[1]!.explanation.summary, /userinfo deception/);
});

test('a log line naming several deceptive URLs: stderr counts each URL, --json lists each in deceptions', () => {
  // before: the line counted once and --json named only one (detail.deception), the other nowhere
  const line = 'GET http://paypal.com:hunter2@evil.tk/a http://google.com@bad.tk/b 200';
  const r = runBytes(['score', 'url', line, 'http://apple.com@x.tk/'], Buffer.alloc(0));
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /^nml: 2 inputs \(inputs 1, 2\) name a host before @ that is not where they lead \(userinfo deception: "paypal\.com" before @, leading to evil\.tk; 3 URLs in all, --json's deceptions lists a log line's each\); the score is the model's, which never reads userinfo \(--json: detail\.deception\)$/m);
  assert.doesNotMatch(r.err, /hunter2/);
  const json = runBytes(['score', 'url', '--json', line], Buffer.alloc(0));
  const [row] = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { deceptions?: { url: string; named: string }[]; explanation: { detail: { deception?: { named: string } } } });
  assert.deepEqual(row!.deceptions?.map((d) => [d.url, d.named]), [['evil.tk/a', 'paypal.com'], ['bad.tk/b', 'google.com']]);
  assert.ok(row!.explanation.detail.deception !== undefined, 'the single field as before');
  assert.doesNotMatch(json.out.toString().replaceAll(JSON.stringify(line), ''), /hunter2/);
});

test('plain output: stderr says which inputs lead to an IDN homograph of a popular domain; --json names it in detail.deception', () => {
  // before: nothing said xn--pypal-4ve.com (pаypal.com, a Cyrillic а) imitates paypal.com; the score is the model's as before
  const inputs = ['http://xn--pypal-4ve.com/login', 'http://paypal.com/', 'http://m\u00fcnchen.de/'];
  const r = runBytes(['score', 'url', ...inputs], Buffer.alloc(0));
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.toString().trim().split('\n').map((l) => l.split('\t')[1]), inputs);
  assert.match(r.err, /^nml: 1 input \(input 1\) leads to a host that imitates a popular domain with look-alike letters \(IDN homograph: xn--pypal-4ve\.com, shown as "p\u0430ypal\.com", looks like paypal\.com\); the score is the model's, which reads the punycode \(--json: detail\.deception\)$/m);
  assert.doesNotMatch(r.err, /userinfo/);
  const json = runBytes(['score', 'url', '--json', inputs[0]!], Buffer.alloc(0));
  assert.equal(json.err, '', '--json says it in its result');
  const [row] = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { explanation: { summary: string; detail: { deception?: unknown } } });
  assert.deepEqual(row!.explanation.detail.deception, { rule: 'idn-homograph', host: 'xn--pypal-4ve.com', shown: 'p\u0430ypal.com', looksLike: 'paypal.com' });
  assert.match(row!.explanation.summary, /IDN homograph/);
});

test('an empty host (http:///x, blob:https:///x) is no web URL: 0 in its place and stderr says so, --json URL_NOT_WEB', () => {
  // before: both scored as the host x
  const inputs = ['http:///x', 'blob:https:///x'];
  const r = runBytes(['score', 'url', ...inputs], Buffer.alloc(0));
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.toString(), '0.000000\thttp:///x\n0.000000\tblob:https:///x\n');
  assert.match(r.err, /2 inputs that are no web URL \(inputs 1, 2\) scored 0/);
  assert.doesNotMatch(r.err, /blob: URL \(/, 'no "scored as the URL it wraps" note for a blob: URL not scored');
  const json = runBytes(['score', 'url', '--json', ...inputs], Buffer.alloc(0));
  const rows = json.out.toString().trim().split('\n').map((l) => JSON.parse(l) as { error?: { code: string; message: string } });
  assert.deepEqual(rows.map((x) => x.error?.code), ['URL_NOT_WEB', 'URL_NOT_WEB']);
  assert.match(rows[1]!.error!.message, /"blob:https:\/\/\/x" has an empty host/);
});

test('--model given the model\'s file instead of its directory says so and names the directory (exit 2)', () => {
  const file = join(REPO_ROOT, 'models/url/ngram/model.json');
  const r = runCliSync(['score', 'url', '--model', file, 'http://a.com/']);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`url model: ${file} is a file of a model, not its directory; give the directory, ${join(REPO_ROOT, 'models/url/ngram')}, which holds model.json and weights.bin`));
});

test('gzip on stdin is refused, saying to decompress it, not scored as one binary log line (exit 2)', () => {
  // before: one output line of escaped bytes, scored 0, and "1 input with a space and no URL" on stderr
  const r = runBytes(['score', 'url'], gzipSync('http://a.com/\nhttp://b.com/\n'));
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out.length, 0);
  assert.match(r.err, /score url: cannot read stdin: it is gzip-compressed \(it starts with gzip's bytes 1f 8b\), and URLs are read as text, one a line; decompress it first \(zcat urls\.txt\.gz \| nml score url\)/);
});

test('--config brings url.model (unless --model) and url.threshold (--json\'s threshold), as live scoring reads them', () => {
  // before, score url read no config: it scored with the shipped model and gave the model's threshold
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-cfg-'));
  try {
    const cfg = join(dir, 'nml.json');
    writeFileSync(cfg, JSON.stringify({ url: { model: join(REPO_ROOT, 'models/url/bob'), threshold: 0.5 } }));
    const url = 'http://paypal.com.secure-login.verify-account.xyz/webscr';
    const row = (args: string[]) => JSON.parse(runBytes(['score', 'url', '--json', ...args, url], Buffer.alloc(0)).out.toString()) as { score: number; threshold: number };
    const viaConfig = row(['--config', cfg]);
    const bob = row(['--model', join(REPO_ROOT, 'models/url/bob')]);
    const shipped = row([]);
    assert.equal(viaConfig.score, bob.score, 'url.model: the Bag-of-Bytes model');
    assert.notEqual(viaConfig.score, shipped.score);
    assert.equal(viaConfig.threshold, 0.5, 'url.threshold');
    assert.equal(bob.threshold, row(['--model', join(REPO_ROOT, 'models/url/bob')]).threshold);
    assert.notEqual(bob.threshold, 0.5, "without --config the model's own");
    // --model wins over url.model
    assert.equal(row(['--config', cfg, '--model', join(REPO_ROOT, 'models/url/ngram')]).score, shipped.score);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('url.tlsNames in --config: false, a pasted zeek ssl or squid CONNECT line names no URL (stderr note, --json URL_NOT_FOUND, an argument refused); true scores the name', () => {
  // before, score url read no config and always scored the names
  const ssl = ['1521925200.123456', 'CHhAvVGS1DHFjwGM9', '10.47.1.20', '52344', '151.101.1.69', '443', 'TLSv12', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'secp256r1', 'update.googleapis.com', 'F', '-', 'h2', 'T', 'CsxknGIi', '-', '-', '-', '-'].join('\t');
  const connect = '1704189602.456     12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT Login-Verify-Portal.info:443 - HIER_DIRECT/203.0.113.81 -';
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-tls-'));
  try {
    const off = join(dir, 'off.json');
    const on = join(dir, 'on.json');
    writeFileSync(off, JSON.stringify({ url: { tlsNames: false } }));
    writeFileSync(on, JSON.stringify({ url: { tlsNames: true } }));
    const stdin = Buffer.from(`${ssl}\n${connect}\n`);
    const r = runBytes(['score', 'url', '--config', off], stdin);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.toString().trim().split('\n').map((l) => l.split('\t')[0]), ['0.000000', '0.000000']);
    assert.match(r.err, /2 inputs with a space and no URL \(inputs 1, 2\) scored 0/);
    const json = runBytes(['score', 'url', '--json', '--config', off], stdin).out.toString().trim().split('\n').map((l) => JSON.parse(l) as { error?: { code: string; message: string } });
    assert.deepEqual(json.map((x) => x.error?.code), ['URL_NOT_FOUND', 'URL_NOT_FOUND']);
    assert.match(json[0]!.error!.message, /url\.tlsNames is false/);
    const arg = runBytes(['score', 'url', '--config', off, connect], Buffer.alloc(0));
    assert.equal(arg.code, 2);
    assert.match(arg.err, /argument 1 holds a space and no URL .*as url\.tlsNames is false in the config .*set url\.tlsNames to true to score it/);
    for (const args of [['--config', on], []]) {
      const scored = runBytes(['score', 'url', '--json', ...args], stdin).out.toString().trim().split('\n').map((l) => JSON.parse(l) as { scored?: string });
      assert.deepEqual(scored.map((x) => x.scored), ['update.googleapis.com/', 'login-verify-portal.info/'], args.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
