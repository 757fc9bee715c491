/** `nml ingest`: a file that fails part way says how many of its lines were stored before the fault. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, runCli, runCliSync } from '../testing.js';
import { progressTotal } from './ingest.js';

test('a .gz cut short: exit 2 with the zlib error, after saying how many lines were stored and stay stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const text = Array.from({ length: 200_000 }, (_, i) => `host${i % 97} sshd[${i}]: accepted password for user${i % 13}`).join('\n') + '\n';
    const gz = gzipSync(text);
    const cut = join(dir, 'cut.log.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await runCli(['ingest', '--data', join(dir, 'd'), '--no-progress', cut]);
    assert.equal(r.code, 2, r.err);
    const m = /ingest stopped after (\d+) lines were stored; they stay in the store/.exec(r.err);
    assert.ok(m !== null, r.err);
    assert.ok(Number(m[1]) > 0 && Number(m[1]) < 200_000, r.err);
    assert.match(r.err, /cannot read .*cut\.log\.gz: unexpected end of file/);
    const count = await runCli(['count', '--data', join(dir, 'd'), '']);
    assert.equal(count.code, 0, count.err);
    assert.equal(Number(count.out.trim()), Number(m[1]), 'the count said is what the store holds');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("'-' (stdin) beside files is refused before anything is read", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'one line\n');
    const r = await runCli(['ingest', '--data', join(dir, 'd'), '--no-progress', f, '-']);
    assert.equal(r.code, 2);
    assert.match(r.err, /'-' \(stdin\) cannot be mixed with files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing file, or a directory, among the inputs fails before the store opens: no data directory is left behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const good = join(dir, 'a.log');
    writeFileSync(good, 'one line\n');
    const data = join(dir, 'd');
    const missing = runCliSync(['ingest', '--data', data, '--no-progress', good, join(dir, 'typo.log')]);
    assert.equal(missing.code, 2, missing.err);
    assert.equal(missing.err, `nml: cannot open ${join(dir, 'typo.log')}: no such file (ENOENT); check the path (a relative one is read from the folder nml runs in)\n`);
    assert.equal(existsSync(data), false, 'no empty store created for a typo');
    const underFile = runCliSync(['ingest', '--data', data, '--no-progress', join(good, 'x.log')]);
    assert.equal(underFile.code, 2, underFile.err);
    assert.equal(underFile.err, `nml: cannot open ${join(good, 'x.log')}: a part of the path is a file, not a folder (ENOTDIR); check the path (a relative one is read from the folder nml runs in)\n`);
    mkdirSync(join(dir, 'logs'));
    const folder = runCliSync(['ingest', '--data', data, '--no-progress', join(dir, 'logs')]);
    assert.equal(folder.code, 2, folder.err);
    assert.match(folder.err, /^nml: \/.*logs is a directory, not a file; give the files in it \(e\.g\. .*logs\/\*\.log\)/);
    assert.equal(existsSync(data), false);
    // a store already there opens as ever, and a missing file leaves it as it was
    assert.equal(runCliSync(['ingest', '--data', data, '--no-progress', good]).code, 0);
    assert.equal(runCliSync(['ingest', '--data', data, '--no-progress', join(dir, 'typo.log')]).code, 2);
    assert.equal(runCliSync(['count', '--data', data, '']).out.trim(), '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines over 1 MiB are stored cut, counted as truncated (not dropped, not a failure), and the summary names each file with how many and the first line number', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const huge = 'x'.repeat(1024 * 1024 + 10);
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, ['one', '', 'three', `four ${huge}`, 'five', `six ${huge}`].join('\n') + '\n');
    writeFileSync(b, 'fine\nalso fine\n');
    const r = await runCli(['ingest', '--data', join(dir, 'd'), '--no-progress', a, b]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /ingested 7 lines in [\d.]+ s \(\d+ lines\/s\), 2 truncated \(stored cut to their first 1 MiB\)\n/);
    assert.doesNotMatch(r.err, /dropped:/, 'a cut line is stored, not dropped');
    assert.match(r.err, /a\.log: 2 lines are longer than 1 MiB \(the first at line 4\); stored cut to the first 1 MiB/);
    assert.doesNotMatch(r.err, /b\.log:/, 'a file without such lines is not named');
    const found = await runCli(['count', '--data', join(dir, 'd'), 'four']);
    assert.equal(found.out.trim(), '1', "the cut line's head is stored and found");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines whose bytes are not UTF-8: stored with U+FFFD, counted in the summary, each file named with its first such line and what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const a = join(dir, 'latin1.log');
    const b = join(dir, 'utf8.log');
    writeFileSync(a, Buffer.from('ok\ncaf\xe9 ouvert\nfine\nna\xefve\n', 'latin1'));
    writeFileSync(b, 'caf\u00e9 \ufffd\n');
    const r = await runCli(['ingest', '--data', join(dir, 'd'), '--no-progress', '--no-detect', a, b]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /ingested 5 lines in .*, 2 with bytes that are not UTF-8 \(stored with \ufffd in their place\)\n/);
    assert.match(r.err, /latin1\.log: 2 lines had bytes that are not UTF-8 \(the first at line 2\), stored with \ufffd in their place: convert the input to UTF-8 \(iconv -f latin1 -t utf-8/);
    assert.doesNotMatch(r.err, /utf8\.log:/, 'a real U+FFFD sent as UTF-8 is no fault');
    assert.equal((await runCli(['count', '--data', join(dir, 'd'), 'caf\ufffd'])).out.trim(), '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a line over 1 MiB on stdin: stored cut, said, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const r = runCliSync(['ingest', '--data', join(dir, 'd'), '--no-progress'], { input: `one\nhuge ${'y'.repeat(1024 * 1024 + 10)}\nthree\n` });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /ingested 3 lines .*, 1 truncated/);
    assert.match(r.err, /nml: stdin: 1 line is longer than 1 MiB; stored cut to the first 1 MiB/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the progress bar counts to the files\' sizes only when reading them counts those bytes: not for a .gz or a pipe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const plain = join(dir, 'a.log');
    const gz = join(dir, 'b.log.gz');
    const disguised = join(dir, 'c.log');
    writeFileSync(plain, 'one line\n');
    writeFileSync(gz, gzipSync('x\n'.repeat(10_000)));
    writeFileSync(disguised, gzipSync('y\n'));
    assert.equal(progressTotal([plain, join(dir, 'missing.log')]), 9);
    assert.equal(progressTotal([plain, gz]), null, 'a .gz: its lines are more bytes than the file');
    assert.equal(progressTotal([disguised]), null, 'gzip known by its magic bytes, as the reader knows it');
    assert.equal(progressTotal(['/dev/null']), null, 'a device has no size to count to');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an .xz or .zst file is refused by its first bytes, with the command that decompresses it, before anything is stored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const good = join(dir, 'a.log');
    writeFileSync(good, 'one line\n');
    // a real xz stream's first bytes (stored before as "ingested 2 lines" of binary)
    const xz = join(dir, 'auth.log.xz');
    writeFileSync(xz, Buffer.from('/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4AAYABJdADqYSs5OM3rTL2y7KlwcQoHgAAAAAA', 'base64'));
    const zst = join(dir, 'named-like-text.log');
    writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x09, 0x49, 0x00, 0x00]));
    const data = join(dir, 'd');
    for (const [file, name, undo] of [[xz, 'xz', 'xz -dc'], [zst, 'zstd', 'zstd -dc']] as const) {
      const r = runCliSync(['ingest', '--data', data, '--no-progress', good, file]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err, `nml: ${file} is ${name}-compressed; nml reads plain text and gzip: decompress it first (e.g. '${undo} ${file} | nml ingest'); nothing of it was stored\n`);
    }
    assert.equal(existsSync(data), false, 'refused before the store opened');
    // piped in, the same refusal: bad input (exit 2), said once
    const piped = runCliSync(['ingest', '--data', data, '--no-progress'], { input: readFileSync(xz) });
    assert.equal(piped.code, 2, piped.err);
    assert.match(piped.err, /^nml: the input is xz-compressed; .*xz -dc/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a capture or a systemd journal is refused by its first bytes as not text, saying what to do, before anything is stored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const pcap = join(REPO_ROOT, 'test', 'fixtures', 'syn', 'eth-us-le.pcap');
    const pcapng = join(REPO_ROOT, 'test', 'fixtures', 'syn', 'be.pcapng');
    const journal = join(dir, 'system.journal');
    writeFileSync(journal, Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(200, 1)]));
    const data = join(dir, 'd');
    for (const [file, name, hint] of [[pcap, 'pcap capture', `nml score syn ${pcap} reads captures`], [pcapng, 'pcap capture', 'nml score syn'], [journal, 'systemd journal', `journalctl --file ${journal} -o short-iso | nml ingest`]] as const) {
      const r = runCliSync(['ingest', '--data', data, '--no-progress', file]);
      assert.equal(r.code, 2, r.err);
      assert.ok(r.err.startsWith(`nml: ${file} is a ${name}, not text lines (told by its first bytes); nml ingest reads text logs`), r.err);
      assert.ok(r.err.includes(hint) && r.err.endsWith('nothing of it was stored\n'), r.err);
    }
    assert.equal(existsSync(data), false, 'refused before the store opened');
    const piped = runCliSync(['ingest', '--data', data, '--no-progress'], { input: readFileSync(pcap) });
    assert.equal(piped.code, 2, piped.err);
    assert.match(piped.err, /^nml: the input is a pcap capture, not text lines/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the URLs of the lines a load stores are scored as nml serve scores them: a finding for the phishing URL, its own log line, none with --no-detect', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-cli-'));
  try {
    const f = join(dir, 'proxy.log');
    const phish = 'paypal.com.secure-login.verify-account.xyz/webscr?cmd=login';
    writeFileSync(
      f,
      [
        `1733113199.865 40 10.20.1.42 TCP_MISS/200 800 GET http://${phish} alice HIER_DIRECT/203.0.113.80 text/html`,
        '1733113200.100 40 10.20.1.43 TCP_MISS/200 800 GET http://github.com/ - HIER_DIRECT/203.0.113.81 text/html',
        // seen again twice: still one finding, its count 3
        `1733113201.865 40 10.20.1.42 TCP_MISS/200 800 GET http://${phish} alice HIER_DIRECT/203.0.113.80 text/html`,
        `1733113202.865 40 10.20.1.44 TCP_MISS/200 800 GET http://${phish} bob HIER_DIRECT/203.0.113.80 text/html`,
      ].join('\n') + '\n',
    );
    const r = await runCli(['ingest', '--data', join(dir, 'd'), '--no-progress', f]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /nml: ingest: scored 2 distinct URLs of 4 found, 1 finding raised or seen again/);
    const list = await runCli(['findings', 'list', '--data', join(dir, 'd'), '--json']);
    assert.equal(list.code, 0, list.err);
    const rows = list.out.trim().split('\n').map((l) => JSON.parse(l) as { entity: string; firstSeen: number; count: number });
    assert.deepEqual(rows.map((x) => [x.entity, x.count]), [[`url:${phish}`, 3]]);
    assert.equal(rows[0]!.firstSeen, 1733113199865, "the finding is at its line's time");
    const line = await runCli(['search', '--data', join(dir, 'd'), '--from', '2024-01-01', 'app:nml-detect']);
    assert.match(line.out, /finding - detector=url score=1\.000 .*url=paypal\.com\.secure-login/);

    const off = await runCli(['ingest', '--data', join(dir, 'e'), '--no-progress', '--no-detect', f]);
    assert.equal(off.code, 0, off.err);
    assert.doesNotMatch(off.err, /scored/);
    assert.equal(existsSync(join(dir, 'e', 'findings.db')), false, 'no findings store made');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
