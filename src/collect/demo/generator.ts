/**
 * The demo and benchmark log generator: a seeded, deterministic stream of syslog lines (RFC 3164
 * with PRI, a fraction in RFC 5424 with structured data) from a small enterprise network, with
 * attack storylines woven in and benchmark needles planted on an exact schedule.
 */
import { AppError } from '../../core/index.js';
import { mulberry32, weightedIndex } from './prng.js';
import { buildNetwork } from './network.js';
import { Ctx, type Emit } from './context.js';
import { DEFAULT_NEEDLES, NeedlePlanter, validateNeedles, type NeedleSpec } from './needles.js';
import { Storylines } from './storylines.js';
import { sshdFamily } from './families/sshd.js';
import { firewall } from './families/firewall.js';
import { dns } from './families/dns.js';
import { dhcp } from './families/dhcp.js';
import { web } from './families/web.js';
import { panThreat, panTraffic } from './families/panos.js';
import { cron, kernel, systemd } from './families/noise.js';

export interface GeneratorOptions {
  /** default 1; the same seed and options give the same lines */
  seed?: number;
  /** time of the first line, ms since epoch; default 2025-01-06T08:00:00Z */
  start?: number;
  /** synthetic clock speed; default 100,000 (a busy site, and a 10M-line corpus spans 100 minutes) */
  linesPerMinute?: number;
  /** a live clock (e.g. Date.now): lines are stamped with it instead of the synthetic clock */
  now?: () => number;
  /** default DEFAULT_NEEDLES; `[]` plants none */
  needles?: readonly NeedleSpec[];
  /** share of lines with an RFC 5424 header; default 0.1 */
  rfc5424Fraction?: number;
}

export interface GeneratedLine {
  line: string;
  /** ms since epoch, non-decreasing */
  time: number;
}

export interface PlantedNeedle {
  text: string;
  every: number;
  /** lines carrying `text` so far: exactly the lines a search for it must find */
  count: number;
}

export interface Generator {
  next(): GeneratedLine;
  /** `n` more lines as strings, appended to `out` when given */
  fill(n: number, out?: string[]): string[];
  /** `n` more lines as bytes, each ended by a newline (the fast path for writing a corpus) */
  fillBytes(n: number): Buffer;
  /** lines generated so far */
  readonly count: number;
  /** time of the latest line (before the first, of the first) */
  readonly time: number;
  /** time of the first line */
  readonly startTime: number;
  planted(): PlantedNeedle[];
}

export const DEFAULT_START = Date.UTC(2025, 0, 6, 8, 0, 0);
const FOLLOW_UP_CHANCE = 0.35;
const NEWLINE = 10;

export function createGenerator(opts: GeneratorOptions = {}): Generator {
  const seed = opts.seed ?? 1;
  const linesPerMinute = opts.linesPerMinute ?? 100_000;
  const fraction = opts.rfc5424Fraction ?? 0.1;
  const needleSpecs = opts.needles ?? DEFAULT_NEEDLES;
  if (!(linesPerMinute > 0)) throw new AppError('DEMO_OPTIONS_INVALID', 'bad_request', `demo generator: linesPerMinute must be positive, got ${linesPerMinute}`);
  if (!(fraction >= 0 && fraction <= 1)) throw new AppError('DEMO_OPTIONS_INVALID', 'bad_request', `demo generator: rfc5424Fraction must be within 0..1, got ${fraction}`);
  validateNeedles(needleSpecs);

  const net = buildNetwork(mulberry32(seed), needleSpecs.map((n) => n.text));
  const rng = mulberry32(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ 0x2545f491);
  const ctx = new Ctx(rng, net);
  const w = ctx.w;
  const needles = new NeedlePlanter(needleSpecs);
  const stories = new Storylines();
  // the mix of a small office's log stream: lookups and firewall lines dominate, attacks are a trickle
  const mix: Array<[Emit, number]> = [
    [dns, 24], [firewall, 20], [web, 16], [panTraffic, 12], [dhcp, 4], [sshdFamily, 3], [cron, 3], [systemd, 3],
    [kernel, 2], [panThreat, 0.8], [(c) => stories.emit(c), 2.5],
  ];
  const families = mix.map(([emit]) => emit);
  const pickFamily = weightedIndex(mix.map(([, weight]) => weight));
  const now = opts.now;
  const start = opts.start ?? (now ? now() : DEFAULT_START);
  const msPerLine = 60_000 / linesPerMinute;
  ctx.start = start;
  let count = 0;
  let time = start;

  /** Writes the next line at `w.pos` (no newline). */
  function writeLine(): void {
    ctx.seq = count;
    time = now === undefined ? start + Math.floor(count * msPerLine) : Math.max(time, now());
    ctx.time = time;
    ctx.stamps.set(time);
    ctx.rfc5424 = fraction > 0 && rng() < fraction;
    w.reserveLine();
    if (count === needles.nextAt) needles.plant(ctx);
    else if (ctx.pendingCount() > 0 && rng() < FOLLOW_UP_CHANCE) ctx.takeFollowUp()!(ctx);
    else families[pickFamily(rng)]!(ctx);
    count++;
  }

  function nextText(): string {
    w.pos = 0;
    writeLine();
    return w.text(0);
  }

  return {
    next: () => {
      const line = nextText();
      return { line, time };
    },
    fill(n, out = []) {
      for (let i = 0; i < n; i++) out.push(nextText());
      return out;
    },
    fillBytes(n) {
      w.pos = 0;
      for (let i = 0; i < n; i++) {
        writeLine();
        w.buf[w.pos++] = NEWLINE;
      }
      return Buffer.from(w.buf.subarray(0, w.pos));
    },
    get count() {
      return count;
    },
    get time() {
      return time;
    },
    startTime: start,
    planted: () => needleSpecs.map((s, i) => ({ text: s.text, every: s.every, count: needles.planted[i]! })),
  };
}
