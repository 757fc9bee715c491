/** Adapting the n-gram model to a network (adapt.ts, train.ts `adapt`): reading the file, choosing the rows, the model it gives. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import { refusing } from '../../core/testing/refused-fs.js';
import { adaptationRows, readAdaptUrls } from './adapt.js';
import { loadModel } from './model-io.js';
import { scorerFor, type UrlScorer } from './scorer.js';
import { FIXTURE_DATA_DIR } from './testing.js';
import { trainUrlModel } from './train.js';
import { Rng } from './rng.js';

function tempFile(text: string | Uint8Array): { file: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-adapt-'));
  const file = join(dir, 'urls.txt');
  writeFileSync(file, text);
  return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const isAdaptError = (e: unknown): boolean => e instanceof AppError && e.code === 'URL_ADAPT_INVALID';

describe('readAdaptUrls', () => {
  it('reads one URL per line without its scheme; blank lines, # comments and repeats are skipped, comments and repeats counted', () => {
    const t = tempFile('# proxy log, Monday\nhttps://intra.example.lan/app?id=1\n\n  http://www.intra.example.lan/app?id=1/  \r\nintra.example.lan/app?id=2\n"https://a.example/x"\n');
    try {
      const r = readAdaptUrls(t.file);
      assert.deepEqual(r.urls, ['intra.example.lan/app?id=1', 'intra.example.lan/app?id=2', 'a.example/x"']);
      assert.equal(r.skipped, 2, 'the comment and the repeat (scheme, www. and a trailing / do not make a URL new); blank lines are not counted');
    } finally {
      t.done();
    }
  });

  it('keeps at most max URLs, drawn by seed (the same seed, the same draw)', () => {
    const t = tempFile(Array.from({ length: 50 }, (_, i) => `h${i}.example/p`).join('\n'));
    try {
      const a = readAdaptUrls(t.file, 10, 4).urls;
      assert.equal(a.length, 10);
      assert.deepEqual(readAdaptUrls(t.file, 10, 4).urls, a);
      assert.notDeepEqual(readAdaptUrls(t.file, 10, 5).urls, a);
      assert.equal(readAdaptUrls(t.file, 100, 4).urls.length, 50);
    } finally {
      t.done();
    }
  });

  it('a missing file or one without a URL is a URL_ADAPT_INVALID error naming the file', () => {
    assert.throws(() => readAdaptUrls('/nonexistent/adapt-urls.txt'), (e: unknown) => isAdaptError(e) && /\/nonexistent\/adapt-urls\.txt/.test((e as Error).message));
    const t = tempFile('# nothing here\n\n   \n');
    try {
      assert.throws(() => readAdaptUrls(t.file), (e: unknown) => isAdaptError(e) && (e as Error).message.includes(t.file) && /no URL/.test((e as Error).message));
    } finally {
      t.done();
    }
  });

  it('a file that will not read says why in words and what to do, not node\'s "ENOENT: no such file or directory, open …"', () => {
    const t = tempFile('a.example/x\n');
    const said = (path: string, list: 'adapt' | 'benign' = 'adapt'): { code: string; kind: string; message: string } => {
      try {
        readAdaptUrls(path, 10, 1, list);
      } catch (e) {
        assert.ok(e instanceof AppError, String(e));
        return { code: e.code, kind: e.kind, message: e.message };
      }
      assert.fail(`${path} was read`);
    };
    try {
      const missing = join(t.file, '..', 'missing.txt');
      assert.deepEqual(said(missing), { code: 'URL_ADAPT_INVALID', kind: 'bad_request', message: `url adaptation: cannot read ${missing}: there is no such file; give --adapt-urls a text file of URLs, one per line` });
      const folder = join(t.file, '..', 'folder');
      mkdirSync(folder);
      assert.deepEqual(said(folder, 'benign'), {
        code: 'URL_BENIGN_INVALID',
        kind: 'bad_request',
        message: `confirmed benign URLs: cannot read ${folder}: it is a folder, and a list of URLs is one file; give --benign-urls a text file of URLs, one per line`,
      });
      assert.deepEqual(refusing('readFileSync', t.file, 'EACCES', () => said(t.file)), { code: 'URL_ADAPT_INVALID', kind: 'unavailable', message: `url adaptation: cannot read ${t.file}: permission denied; make it readable by the user nml runs as` });
    } finally {
      t.done();
    }
  });

  it('fuzz: any bytes give URLs or URL_ADAPT_INVALID, never another error', () => {
    const rng = new Rng(11);
    for (let k = 0; k < 200; k++) {
      const bytes = new Uint8Array(Math.floor(rng.next() * 400));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.next() < 0.1 ? 10 : Math.floor(rng.next() * 256);
      const t = tempFile(bytes);
      try {
        try {
          const r = readAdaptUrls(t.file, 20, k);
          assert.ok(r.urls.length > 0 && r.urls.length <= 20);
          for (const u of r.urls) assert.ok(u.length > 0 && !u.includes('\n'));
        } catch (e) {
          assert.ok(isAdaptError(e), String(e));
        }
      } finally {
        t.done();
      }
    }
  });
});

describe('adaptationRows', () => {
  it('keeps the URLs scored below the line, as benign rows of the source adapt with their host', () => {
    const scores: Record<string, number> = { 'a.example/x': 0.1, 'WWW.B.example:8080/y': 0.49, 'c.example/z': 0.5, 'd.example/': 0.97 };
    const scorer = { scoreBatch: (urls: readonly (string | Uint8Array)[]) => Float32Array.from(urls, (u) => scores[u as string]!) } as unknown as UrlScorer;
    const rows = adaptationRows(scorer, Object.keys(scores), 0.5);
    assert.deepEqual(rows, [
      { url: 'a.example/x', label: 0, source: 'adapt', host: 'a.example', type: 'adapt' },
      { url: 'WWW.B.example:8080/y', label: 0, source: 'adapt', host: 'b.example', type: 'adapt' },
    ]);
  });
});

describe('nml train url with adaptation (fixture)', () => {
  // a network's own style: ticket and report URLs of an intranet application, with session tokens
  const style = (i: number): string => `helpdesk.corp-intra.lan/otrs/index.pl?Action=AgentTicketZoom;TicketID=${1000 + i};SessionToken=${(i * 2654435761 >>> 0).toString(16)}`;

  it('trains the adaptation URLs below the line as benign: the network style scores lower, the card records it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-adapt-train-'));
    try {
      const t = tempFile(Array.from({ length: 120 }, (_, i) => style(i)).join('\n') + '\n# a comment\n');
      const base = join(dir, 'base');
      const adapted = join(dir, 'adapted');
      const common = { dataDir: FIXTURE_DATA_DIR, model: 'ngram' as const, epochs: 4, seed: 7, command: 'test', maxRows: 0 };
      trainUrlModel({ ...common, outDir: base });
      const r = trainUrlModel({ ...common, outDir: adapted, adapt: { file: t.file, below: 1 } });
      t.done();
      assert.deepEqual(r.adaptation, { file: t.file, urls: 120, skipped: 1, below: 1, rows: 120, validationHostRows: 0, hosts: 1 });
      const meta = JSON.parse(readFileSync(join(adapted, 'model.json'), 'utf8')) as { training: { adaptation?: unknown } };
      assert.deepEqual(meta.training.adaptation, r.adaptation);
      // URLs of the same style the adaptation never saw
      const unseen = Array.from({ length: 40 }, (_, i) => style(500 + i));
      const mean = (d: string): number => {
        const s = scorerFor('ngram', loadModel(d).tensors).scoreBatch(unseen);
        return s.reduce((a, b) => a + b, 0) / s.length;
      };
      const before = mean(base);
      const after = mean(adapted);
      assert.ok(after < before - 0.05, `the network's style scores lower after adaptation: ${before.toFixed(3)} -> ${after.toFixed(3)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adaptation is for the n-gram model; a bad file fails before any training', () => {
    const t = tempFile('a.example/x\n');
    try {
      assert.throws(() => trainUrlModel({ dataDir: FIXTURE_DATA_DIR, model: 'bob', epochs: 1, seed: 1, command: 'test', maxRows: 0, outDir: join(tmpdir(), 'nml-never-written'), adapt: { file: t.file } }), (e: unknown) => e instanceof AppError && e.code === 'URL_OPTIONS_INVALID' && /ngram/.test(e.message));
    } finally {
      t.done();
    }
    const c0 = process.cpuUsage();
    assert.throws(() => trainUrlModel({ dataDir: FIXTURE_DATA_DIR, model: 'ngram', epochs: 4, seed: 1, command: 'test', maxRows: 0, outDir: join(tmpdir(), 'nml-never-written'), adapt: { file: '/nonexistent/urls.txt' } }), isAdaptError);
    assert.ok(process.cpuUsage(c0).user < 2e6, 'the missing file is found before training');
  });

  it('--benign-urls: URLs a person confirmed benign train as benign whatever the model scored them, each repeat times', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-benign-train-'));
    // what a payroll vendor's sign-in looks like to a phishing model
    const vendor = (i: number): string => `secure-login.payroll-vendor.example/account/verify/signin.php?session=${(i * 2654435761 >>> 0).toString(16)}&update=${i}`;
    try {
      const t = tempFile(Array.from({ length: 30 }, (_, i) => `https://${vendor(i)}`).join('\n') + '\n');
      const common = { dataDir: FIXTURE_DATA_DIR, model: 'ngram' as const, epochs: 4, seed: 7, command: 'test', maxRows: 0 };
      const base = join(dir, 'base');
      const confirmed = join(dir, 'confirmed');
      trainUrlModel({ ...common, outDir: base });
      const r = trainUrlModel({ ...common, outDir: confirmed, benign: { file: t.file } });
      t.done();
      assert.deepEqual(r.confirmedBenign, { file: t.file, urls: 30, skipped: 0, repeat: 4, validationHostUrls: 0 });
      const meta = JSON.parse(readFileSync(join(confirmed, 'model.json'), 'utf8')) as { version: string; training: { confirmedBenign?: unknown } };
      assert.deepEqual(meta.training.confirmedBenign, r.confirmedBenign);
      assert.match(meta.version, /-adapted$/, 'a model trained with feedback says so in its findings');
      const unseen = Array.from({ length: 20 }, (_, i) => vendor(900 + i));
      const mean = (d: string): number => {
        const s = scorerFor('ngram', loadModel(d).tensors).scoreBatch(unseen);
        return s.reduce((a, b) => a + b, 0) / s.length;
      };
      const before = mean(base);
      assert.ok(before > 0.5, `the base model calls the vendor's sign-in malicious (${before.toFixed(3)}): adaptation (--adapt-urls) would never learn it`);
      const after = mean(confirmed);
      assert.ok(after < before - 0.2, `the vendor's other sign-in URLs score lower: ${before.toFixed(3)} -> ${after.toFixed(3)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--benign-urls is for the n-gram model; a bad file is its own error, before any training', () => {
    const t = tempFile('a.example/x\n');
    try {
      assert.throws(() => trainUrlModel({ dataDir: FIXTURE_DATA_DIR, model: 'bob', epochs: 1, seed: 1, command: 'test', maxRows: 0, outDir: join(tmpdir(), 'nml-never-written'), benign: { file: t.file } }), (e: unknown) => e instanceof AppError && e.code === 'URL_OPTIONS_INVALID' && /--benign-urls/.test(e.message));
    } finally {
      t.done();
    }
    assert.throws(
      () => trainUrlModel({ dataDir: FIXTURE_DATA_DIR, model: 'ngram', epochs: 4, seed: 1, command: 'test', maxRows: 0, outDir: join(tmpdir(), 'nml-never-written'), benign: { file: '/nonexistent/fp.txt' } }),
      (e: unknown) => e instanceof AppError && e.code === 'URL_BENIGN_INVALID' && /confirmed benign URLs: cannot read \/nonexistent\/fp\.txt/.test(e.message),
    );
  });
});
