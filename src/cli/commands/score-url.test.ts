/** `nml score url` from stdin: one line out per LF-ended line in, in order, echoing the line's bytes; a model with non-finite weights is refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCliSync } from '../testing.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** `nml <args>` with `input` bytes on stdin; stdout as bytes. */
function runBytes(args: string[], input: Buffer): { code: number; out: Buffer; err: string } {
  const entry = join(REPO_ROOT, FROM_SOURCE ? 'src/cli/entry.ts' : 'dist/src/cli/entry.js');
  const r = spawnSync(process.execPath, [...(FROM_SOURCE ? ['--import', 'tsx'] : []), entry, ...args], { input, cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
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
    const entry = join(REPO_ROOT, FROM_SOURCE ? 'src/cli/entry.ts' : 'dist/src/cli/entry.js');
    const node = [process.execPath, ...(FROM_SOURCE ? ['--import', 'tsx'] : []), entry].map((a) => `'${a}'`).join(' ');
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
  const entry = join(REPO_ROOT, FROM_SOURCE ? 'src/cli/entry.ts' : 'dist/src/cli/entry.js');
  const node = [process.execPath, ...(FROM_SOURCE ? ['--import', 'tsx'] : []), entry].map((a) => `'${a}'`).join(' ');
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

test('a URL argument holding a space is refused: a URL has none (not a verdict on a sentence)', () => {
  const r = runCliSync(['score', 'url', 'not a url']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /argument 1 holds a space \("not a url"\), and a URL has none/);
  // leading or trailing blanks of a pasted URL are not its own: still scored
  const ok = runCliSync(['score', 'url', ' http://ok.example/a ']);
  assert.equal(ok.code, 0, ok.err);
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
  const lines = [Buffer.from('\thttp://a.com/x'), Buffer.from('http://b.com/\tx\ry'), Buffer.from([0, 0]), Buffer.from([1, ...Buffer.from('http://c.com/'), 0xff, 9, 0x7f]), Buffer.from('http://back.com/a\\tb')];
  const r = runBytes(['score', 'url'], Buffer.concat(lines.map((l) => Buffer.concat([l, Buffer.from('\n')]))));
  assert.equal(r.code, 0, r.err);
  const out = splitBytes(r.out, 10);
  assert.equal(out.pop()!.length, 0);
  assert.equal(out.length, lines.length, 'one line out per line in');
  for (const o of out) assert.equal(o.filter((b) => b === 9).length, 1, `one TAB, between the columns: ${JSON.stringify(o.toString())}`);
  const urls = out.map((o) => o.subarray(o.indexOf(9) + 1));
  assert.deepEqual(urls.map((u) => u.toString('latin1')), ['\\thttp://a.com/x', 'http://b.com/\\tx\\ry', '\\x00\\x00', '\\x01http://c.com/\xff\\t\\x7f', 'http://back.com/a\\tb']);
  assert.equal(out[2]!.toString(), '0.000000\t\\x00\\x00', 'a NUL-only line scores as the empty URL');
  assert.match(r.err, /1 empty input \(input 3\)/);
  // NUL bytes alone are no URL; --json keeps the input as its subject
  const nul = runBytes(['score', 'url'], Buffer.from([0, 10, 0, 0, 10]));
  assert.equal(nul.code, 2, nul.err);
  assert.match(nul.err, /no URLs given/);
  const json = runBytes(['score', 'url', '--json'], Buffer.from('\0\nhttp://a.com/\n'));
  assert.deepEqual(JSON.parse(json.out.toString().split('\n')[0]!), { subject: '\0', error: { code: 'URL_EMPTY', message: 'url: empty string; give a URL' } });
});

test('a folder as stdin is an error (exit 2), not "no URLs given"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-dir-'));
  try {
    const entry = join(REPO_ROOT, FROM_SOURCE ? 'src/cli/entry.ts' : 'dist/src/cli/entry.js');
    const node = [process.execPath, ...(FROM_SOURCE ? ['--import', 'tsx'] : []), entry].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${node} score url < '${dir}'`], { cwd: REPO_ROOT, timeout: 120_000 });
    assert.equal(r.status, 2, r.stderr.toString());
    assert.equal(r.stdout.toString(), '');
    assert.match(r.stderr.toString(), /score url: cannot read stdin: it is a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
