/**
 * `nml score url [URL...]`: `score<TAB>url` per input in input order (stdin, one URL a line, when none are
 * given); `--json` for details. An input holding a space is a log line, scored by the highest of its URLs
 * (detect/url/score-inputs.ts).
 */
import type { Command } from 'commander';
import { isUtf8 } from 'node:buffer';
import { fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError, describeCause, errnoOf, pathFailureKind, startsGzip } from '../../core/index.js';
import { UrlDetector, blobInner, defaultModelDir, inputUrls, scoreInputs, type UrlDeception, type UserinfoDeception, type HomographDeception } from '../../detect/index.js';
import { loadConfig } from '../open.js';
import { outputClosed, writeOut } from '../output.js';

const BATCH = 1024;

/** An input with nothing to score: empty once whitespace and NUL bytes are trimmed (a NUL-only line scored 0.53). */
const blank = (u: string): boolean => /^[\s\0]*$/.test(u);

/** A control character (TAB, CR, NUL, …), which would break the `score<TAB>url` columns if echoed raw. */
const CONTROL = /[\x00-\x1f\x7f]/;
const escaped = (code: number): string => (code === 9 ? '\\t' : code === 13 ? '\\r' : code === 10 ? '\\n' : `\\x${code.toString(16).padStart(2, '0')}`);

/** The URL column: the input as given, its control characters written `\t`, `\r`, `\x00` (a backslash stays as it is). */
export function urlColumn(u: string): string {
  return CONTROL.test(u) ? u.replace(/[\x00-\x1f\x7f]/g, (c) => escaped(c.charCodeAt(0))) : u;
}

/** The same for the bytes of a line that is not valid UTF-8. */
function urlColumnBytes(b: Buffer): Buffer {
  if (!b.some((c) => c < 0x20 || c === 0x7f)) return b;
  const parts: Buffer[] = [];
  let from = 0;
  b.forEach((c, i) => {
    if (c >= 0x20 && c !== 0x7f) return;
    parts.push(b.subarray(from, i), Buffer.from(escaped(c)));
    from = i + 1;
  });
  parts.push(b.subarray(from));
  return Buffer.concat(parts);
}

/**
 * Inputs scored 0 for want of a URL, beside inputs that have one: they keep their line, and stderr names
 * the first five by their place. `what`: the sentence's words for `n` of them, after the count.
 */
class Unscored {
  private readonly first: number[] = [];
  private count = 0;
  constructor(private readonly what: (n: number, where: string) => string) {}
  /** input number `n`, from 1 */
  add(n: number): void {
    this.count++;
    if (this.first.length < 5) this.first.push(n);
  }
  report(): void {
    if (this.count === 0) return;
    const where = `${this.count === 1 ? 'input' : 'inputs'} ${this.first.join(', ')}${this.count > this.first.length ? ', …' : ''}`;
    process.stderr.write(`nml: ${this.count} ${this.what(this.count, where)}\n`);
  }
}

/**
 * The inputs of one run by their place: the empty ones (blank), the log lines that name no URL, and those
 * that are no web URL; and, for the plain output (--json says these in each result), the `blob:` URLs
 * scored as the URL they wrap and the URLs the deception rules (userinfo, IDN homograph) fired on.
 */
class Inputs {
  private seen = 0;
  readonly blank = new Unscored((n, where) => `empty ${n === 1 ? 'input' : 'inputs'} (${where}) scored 0: there was no URL to score`);
  readonly noUrl = new Unscored((n, where) => (n === 1 ? `input with a space and no URL (${where}) scored 0: read as a log line, it names no URL to score` : `inputs with a space and no URL (${where}) scored 0: read as log lines, they name no URL to score`));
  // a javascript:, data: or mailto: URL, or a bare path (detect/url/web-url.ts): the model's score of one said nothing
  readonly notWeb = new Unscored((n, where) => `${n === 1 ? 'input' : 'inputs'} that ${n === 1 ? 'is' : 'are'} no web URL (${where}) scored 0: a javascript:, data:, mailto: or about: URL, a blob: URL without a web origin (blob:null/…), a URL with an empty host (http:///x), or a path without a host, leads to no host to score (--json says why)`);
  // the score of `blob:https://host/x` is that of `https://host/x`: the column echoes the input, so stderr says which URL was scored
  readonly blob = new Unscored((n, where) => `blob: ${n === 1 ? 'URL' : 'URLs'} (${where}) scored as the web URL ${n === 1 ? 'it wraps' : 'they wrap'}, not as written (${n === 1 ? '' : 'the first, '}${this.blobExample}; --json's detail.scored names the form scored)`);
  /** the first blob: URL scored, as `blob:X as X` (60 characters at most each) */
  private blobExample = '';
  /** the first URL the userinfo-deception rule fired on, for the note's example */
  private example: UserinfoDeception | null = null;
  /** how many URLs the rule fired on, a log line's each (until 2026-12-05 a line counted once whatever it named) */
  private deceptiveUrls = 0;
  readonly deception = new Unscored(
    (n, where) =>
      `${n === 1 ? 'input' : 'inputs'} (${where}) ${n === 1 ? 'names' : 'name'} a host before @ that is not where ${n === 1 ? 'it leads' : 'they lead'} (userinfo deception: ${this.example === null ? '' : `${JSON.stringify(this.example.named)} before @, leading to ${this.example.host}`}${this.deceptiveUrls > n ? `; ${this.deceptiveUrls} URLs in all, --json's deceptions lists a log line's each` : ''}); the score is the model's, which never reads userinfo (--json: detail.deception)`,
  );
  /** the first URL the IDN-homograph rule fired on, for its note's example */
  private homographExample: HomographDeception | null = null;
  readonly homograph = new Unscored(
    (n, where) =>
      `${n === 1 ? 'input' : 'inputs'} (${where}) ${n === 1 ? 'leads' : 'lead'} to a host that imitates a popular domain with look-alike letters (IDN homograph: ${this.homographExample === null ? '' : `${this.homographExample.host}, shown as ${JSON.stringify(this.homographExample.shown)}, looks like ${this.homographExample.looksLike}`}); the score is the model's, which reads the punycode (--json: detail.deception)`,
  );

  /**
   * a batch's inputs as given, and its results' error codes (undefined where scored); `deceptions`: the
   * deception rules' findings of each result (a log line's every URL's), for the plain output (null: --json, which says these itself)
   */
  note(inputs: readonly string[], errors: readonly (string | undefined)[], deceptions: readonly (readonly UrlDeception[])[] | null = null): void {
    inputs.forEach((u, i) => {
      this.seen++;
      if (blank(u)) this.blank.add(this.seen);
      else if (errors[i] === 'URL_NOT_FOUND') this.noUrl.add(this.seen);
      else if (errors[i] === 'URL_NOT_WEB') this.notWeb.add(this.seen);
      else if (errors[i] === undefined && deceptions !== null) {
        const inner = blobInner(u);
        if (inner !== null) {
          const short = (x: string): string => (x.length > 60 ? `${x.slice(0, 60)}…` : x);
          if (this.blobExample === '') this.blobExample = `${short(urlColumn(u.trim()))} as ${short(urlColumn(inner))}`;
          this.blob.add(this.seen);
        }
      }
      const all = deceptions?.[i] ?? [];
      const d = all.filter((x): x is UserinfoDeception => x.rule === 'userinfo-host');
      if (d.length > 0) {
        this.example ??= d[0]!;
        this.deceptiveUrls += d.length;
        this.deception.add(this.seen);
      }
      const h = all.find((x): x is HomographDeception => x.rule === 'idn-homograph');
      if (h !== undefined) {
        this.homographExample ??= h;
        this.homograph.add(this.seen);
      }
    });
  }

  report(): void {
    this.blank.report();
    this.noUrl.report();
    this.notWeb.report();
    this.blob.report();
    this.deception.report();
    this.homograph.report();
  }
}

/**
 * Blank lines read before the first URL, held until one comes (as runs of one text: `yes ''` holds one
 * entry): then they are scored in their place as ever, and when none comes stdin held no URL at all,
 * which is refused rather than answered with a score of nothing.
 */
class LeadingBlanks {
  private readonly runs: { text: string; n: number }[] = [];
  urlSeen = false;

  /** Holds `lines` when all are blank and no URL came yet; false when they are to be scored now. */
  hold(lines: readonly string[]): boolean {
    if (this.urlSeen) return false;
    if (lines.some((l) => !blank(l))) {
      this.urlSeen = true;
      return false;
    }
    for (const l of lines) {
      const last = this.runs.at(-1);
      if (last !== undefined && last.text === l) last.n++;
      else this.runs.push({ text: l, n: 1 });
    }
    return true;
  }

  /** The held lines in batches of at most BATCH, in order. */
  *batches(): Generator<string[]> {
    let batch: string[] = [];
    for (const r of this.runs) {
      for (let i = 0; i < r.n; i++) {
        batch.push(r.text);
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
    this.runs.length = 0;
  }
}

const LF = Buffer.from('\n');

/** What the config says of live scoring that `score url` follows: `url.tlsNames`, and `url.threshold` (null: the model's) for --json's threshold. */
interface LiveSettings {
  tlsNames: boolean;
  threshold: number | null;
}

/**
 * Scores a batch and writes its lines. `raw`: the stdin bytes of the lines that are not valid UTF-8, by
 * index: their line echoes those bytes (a script joining output to input by text finds them), though the
 * model scored them decoded, each bad byte as U+FFFD. A blank input is scored as the empty string, a log
 * line by the highest of its URLs (scoreInputs; 0 when it names none; its TLS server name and CONNECT
 * host among them as `live.tlsNames`, url.tlsNames, says), and control characters are escaped in the URL
 * column (`urlColumn`), which is the input as given, a log line's whole line too.
 */
async function emit(d: UrlDetector, urls: string[], json: boolean, inputs: Inputs, live: LiveSettings, raw: Map<number, Buffer> | null = null): Promise<void> {
  // the reader has gone (`| head -1`): nothing more is written, so nothing more is scored
  if (urls.length === 0 || outputClosed()) {
    inputs.note(urls, []);
    return;
  }
  const scored = urls.some(blank) ? urls.map((u) => (blank(u) ? '' : u)) : urls;
  const results = await scoreInputs(d, scored, json, live.tlsNames);
  // plain output only: --json says these in each result (detail.scored, detail.deception)
  inputs.note(urls, results.map((r) => r.error?.code), json ? null : results.map((r) => r.deceptions ?? (r.deception === undefined ? [] : [r.deception])));
  if (json) {
    // the subject is the input as given, also where a blank one was scored as ''; the threshold lets a
    // script tell flagged from not without the model card (a score at or above it is flagged)
    await writeOut(results.map((r, i) => JSON.stringify({ ...r, subject: urls[i]!, threshold: live.threshold ?? d.threshold })).join('\n') + '\n');
    return;
  }
  const s = results.map((r) => (r.score ?? 0).toFixed(6));
  if (raw === null) {
    await writeOut(urls.map((u, i) => `${s[i]!}\t${urlColumn(u)}`).join('\n') + '\n');
    return;
  }
  const parts: Buffer[] = [];
  let text = '';
  urls.forEach((u, i) => {
    const bytes = raw.get(i);
    if (bytes === undefined) text += `${s[i]!}\t${urlColumn(u)}\n`;
    else {
      parts.push(Buffer.from(`${text}${s[i]!}\t`), urlColumnBytes(bytes), LF);
      text = '';
    }
  });
  parts.push(Buffer.from(text));
  // writeOut, not a bare write: after the reader has gone (EPIPE) a write never drains, and this waited for ever
  await writeOut(Buffer.concat(parts));
}

/**
 * Reads stdin as lines split on LF only (a lone CR stays in its line; one CR before the LF is dropped)
 * and hands them on in batches of BATCH, each decoded as UTF-8, with the bytes of those that are not
 * valid UTF-8 (see `emit`). Holds no more than a batch and the line being read.
 */
async function stdinBatches(each: (lines: string[], raw: Map<number, Buffer> | null) => Promise<void>): Promise<void> {
  let batch: string[] = [];
  let raw: Map<number, Buffer> | null = null;
  const line = (bytes: Buffer): void => {
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, -1);
    const text = bytes.toString('utf8');
    // only a line that decoded to a U+FFFD can be invalid UTF-8 (isUtf8 then tells it from a real one)
    if (text.includes('\ufffd') && !isUtf8(bytes)) (raw ??= new Map()).set(batch.length, Buffer.from(bytes));
    batch.push(text);
  };
  const handOn = async (): Promise<void> => {
    const [b, r] = [batch, raw];
    batch = [];
    raw = null;
    await each(b, r);
  };
  /** the pieces of a line that began in an earlier chunk */
  let open: Buffer[] = [];
  // a folder as stdin (`nml score url < /tmp`) read as nothing: "no URLs given" hid the mistake
  let folder = false;
  try {
    folder = fstatSync(0).isDirectory();
  } catch {
    // no stat for this stdin (closed): reading it says what there is
  }
  if (folder) throw stdinInvalid('it is a folder (nml score url < DIR); give a file of URLs, one a line (nml score url < urls.txt)');
  let first = true;
  for await (const chunk of readStdin()) {
    // gzip piped in whole (`nml score url < urls.txt.gz`) was read as one line of binary, scored 0 as a log line naming no URL
    if (first && startsGzip(chunk)) throw stdinInvalid('it is gzip-compressed (it starts with gzip\'s bytes 1f 8b), and URLs are read as text, one a line; decompress it first (zcat urls.txt.gz | nml score url)');
    first = false;
    let from = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      from = nl + 1;
      if (open.length === 0) line(piece);
      else {
        open.push(piece);
        line(Buffer.concat(open));
        open = [];
      }
      if (batch.length >= BATCH) await handOn();
      // leaving the loop closes stdin: the writer before us (`yes | nml score url | head -1`) ends too
      if (outputClosed()) return;
    }
    if (from < chunk.length) open.push(chunk.subarray(from));
  }
  if (outputClosed()) return;
  // the last line, without an LF
  if (open.length > 0) line(Buffer.concat(open));
  await handOn();
}

/** `cause`: the read's error; stdin a folder is the command line's mistake, a failing device is not */
function stdinInvalid(why: string, cause?: unknown): AppError {
  return new AppError('URL_STDIN_INVALID', pathFailureKind(cause), `score url: cannot read stdin: ${why}`, undefined, cause);
}

/** stdin's chunks; a read that fails (EISDIR, EIO) is a clear error, not an end of input. */
async function* readStdin(): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    throw stdinReadFailed(e);
  }
}

/** A read of stdin that failed, in words (`input/output error`), not node's `EIO: i/o error, read`. */
export function stdinReadFailed(e: unknown): AppError {
  const code = errnoOf(e);
  return stdinInvalid(code === 'EISDIR' ? 'it is a folder; give a file of URLs, one a line (nml score url < urls.txt)' : `${describeCause(e)}; check the command or file that feeds it`, e);
}

/**
 * URL arguments hold no CR or LF. Refused rather than escaped: every output line echoes its input as it
 * was given (scripts join the two by text), a URL has no line break (browsers drop them), and an
 * argument with many lines is most often a file passed as one (`"$(cat urls.txt)"`), which stdin reads.
 * An argument holding a space is a log line, and must name a URL (a TLS server name or CONNECT host
 * only when `tlsNames`, url.tlsNames).
 */
function checkArguments(urls: readonly string[], tlsNames: boolean): void {
  const shown = (u: string): string => JSON.stringify(u.length > 60 ? `${u.slice(0, 60)}…` : u);
  const i = urls.findIndex((u) => /[\r\n]/.test(u));
  if (i >= 0) throw new AppError('URL_ARGUMENT_INVALID', 'bad_request', `score url: argument ${i + 1} holds a line break (${shown(urls[i]!)}), and each input gets one output line; give one URL an argument, or many one a line on stdin (nml score url < urls.txt)`, { argument: i + 1 });
  // an argument with a space is a log line, scored by its URLs; one naming none is refused: a URL holds
  // no space (it is written %20), and `nml score url 'not a url'` scored 0.947, a verdict on a sentence
  const j = urls.findIndex((u) => inputUrls(u, tlsNames)?.length === 0);
  if (j < 0) return;
  const what = `score url: argument ${j + 1} holds a space and no URL (${shown(urls[j]!)}): a URL has none (a space in one is written %20), and read as a log line it names no URL`;
  if (!tlsNames && inputUrls(urls[j]!, true)?.length !== 0) {
    throw new AppError('URL_ARGUMENT_INVALID', 'bad_request', `${what}: its TLS server name or CONNECT host is not read, as url.tlsNames is false in the config (live scoring skips it too); set url.tlsNames to true to score it, or pass a URL`, { argument: j + 1 });
  }
  throw new AppError('URL_ARGUMENT_INVALID', 'bad_request', `${what} (http://, https://, or a log record nml reads); quote each URL as one argument, or pass a log line that holds one`, { argument: j + 1 });
}

export function addScoreUrl(score: Command): void {
  score
    .command('url')
    .description('score URLs: one `score<TAB>url` line per input, in order (score in [0, 1], higher is more likely malicious)')
    .argument('[urls...]', 'URLs to score, one an argument (an argument holding a line break is refused: one output line per input). An input holding a space (a pasted squid or proxy log line, say) is read as a log line: its URLs are found as live scoring finds them, and its score is the highest of theirs (a line naming none is scored 0, and stderr says which; an argument naming none is refused). An input that is no web URL (a javascript:, data:, mailto:, tel: or about: URL, or a path without a host such as /login.php) is not scored: 0 in its place, and stderr says which (--json: the error URL_NOT_WEB). A blob: URL is scored as the web URL after blob: (blob:https://host/… as https://host/…; stderr says so, --json\'s explanation names the form scored, detail.scored); one without a web origin (blob:null/…), or a URL with an empty host (http:///x), is no web URL. A URL that names another host before @ (http://paypal.com@evil.tk/) keeps the model\'s score, which never reads userinfo; the userinfo-deception rule says so (stderr; --json: in the explanation\'s summary and detail.deception, its password part written :…). So does a URL whose host shows as a look-alike of a popular domain (http://xn--pypal-4ve.com/, pаypal.com with a Cyrillic а): the IDN-homograph rule (stderr; --json: detail.deception, rule idn-homograph). None reads one URL per line from stdin (a stdin with no URL, empty or blank lines only, is refused; a line of only whitespace or NUL bytes is blank, scored 0; lines end at LF, a CR before it is dropped; a line that is not valid UTF-8 is scored with U+FFFD for its bad bytes and echoed as it was read). The url column echoes the input with its control characters escaped: TAB as \\t, CR as \\r, others as \\xHH (\\x00 for NUL); a backslash is written as it is')
    .option('--model <dir>', 'model directory (default: url.model of --config, else the shipped models/url/ngram; models/url/bob is the Bag-of-Bytes model)')
    .option('--config <file>', 'JSON configuration file, read as live scoring reads it: url.model (the model, unless --model), url.threshold (--json\'s threshold, else the model\'s), and url.tlsNames (default true: a pasted log line\'s TLS server name, as Suricata EVE tls or Zeek ssl.log give it, or Squid CONNECT host is scored; false: such a line names no URL)')
    .option('--json', 'one JSON object per input: score and explanation (characters weighted, most suspicious substrings); its subject is the input decoded as UTF-8 (bad bytes as U+FFFD); threshold is url.threshold of --config, else the model\'s (a score at or above it is flagged, as live findings are); a log line adds item (the line), scored (its URL that gave the score) and urls (each of its URLs with its score, when more than one), or the error URL_NOT_FOUND; an input that is no web URL has the error URL_NOT_WEB')
    .action(async (urls: string[], flags: { model?: string; json?: boolean; config?: string }) => {
      // the config's url settings, so that a score here is the one live scoring would give and flag
      const url = loadConfig({ ...(flags.config === undefined ? {} : { config: flags.config }) }, {}, false).url;
      const live: LiveSettings = { tlsNames: url.tlsNames, threshold: url.threshold };
      checkArguments(urls, live.tlsNames);
      const model = flags.model ?? url.model;
      const d = UrlDetector.load(model === null ? defaultModelDir() : resolve(model));
      const json = flags.json === true;
      const inputs = new Inputs();
      if (urls.length > 0) {
        for (let i = 0; i < urls.length && !outputClosed(); i += BATCH) await emit(d, urls.slice(i, i + BATCH), json, inputs, live);
        await d.close();
        inputs.report();
        return;
      }
      const leading = new LeadingBlanks();
      await stdinBatches(async (lines, raw) => {
        if (leading.hold(lines)) return;
        for (const held of leading.batches()) await emit(d, held, json, inputs, live);
        await emit(d, lines, json, inputs, live, raw);
      });
      await d.close();
      // nothing was written: an empty stdin (or one of blank lines only) is a mistake, not a score
      if (!leading.urlSeen && !outputClosed()) {
        throw new AppError('URL_NO_INPUT', 'bad_request', 'score url: no URLs given: pass URLs as arguments or one per line on stdin (nml score url < urls.txt)');
      }
      inputs.report();
    });
}
