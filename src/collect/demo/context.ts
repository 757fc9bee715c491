/**
 * What every message family draws on while it writes one line: the seeded PRNG, the network,
 * the current timestamps, the line writer with its syslog header, recent DNS answers (so a
 * connection follows its lookup) and a queue of follow-up lines (a session's later steps,
 * interleaved with other traffic).
 */
import type { Rng } from './prng.js';
import type { Host, Network, Site } from './network.js';
import { MILLIS, Stamps } from './stamps.js';
import { LineWriter } from './line-writer.js';

/** Writes one whole line (without its newline) through `ctx.w`. */
export type Emit = (ctx: Ctx) => void;

/** A lookup a workstation made, waiting for the connection that follows it. */
export interface Flow {
  client: Host;
  site: Site;
  ip: string;
}

const PRI: string[] = Array.from({ length: 192 }, (_, i) => '<' + i + '>');
const FLOW_SLOTS = 256;
const FOLLOW_UP_SLOTS = 1024;

export class Ctx {
  readonly stamps = new Stamps();
  readonly w = new LineWriter();
  /** index of the line being written, from 0 */
  seq = 0;
  /** time of the line being written, ms since epoch */
  time = 0;
  /** whether the line being written gets an RFC 5424 header */
  rfc5424 = false;
  /** time of the first line; kernel uptimes count from it */
  start = 0;
  private kernelMs = -1;
  private kernelMicros = 0;
  private readonly flows: Flow[] = [];
  private flowNext = 0;
  /** a ring of queued follow-ups: `followHead` is the oldest, `followCount` how many */
  private readonly followUps: Array<Emit | undefined> = new Array<Emit | undefined>(FOLLOW_UP_SLOTS).fill(undefined);
  private followHead = 0;
  private followCount = 0;

  constructor(
    readonly rng: Rng,
    readonly net: Network,
  ) {}

  /**
   * Writes `<PRI>Mmm dd hh:mm:ss host app[pid]: ` (`host ` alone when `app` is empty, as appliances
   * send) or, for a 5424 line, `<PRI>1 2025-01-06T08:00:00.123Z host app pid msgid [origin ip=".."][meta sequenceId=".."] `.
   */
  header(pri: number, host: Host, app: string, pid: string | null, msgid: string): LineWriter {
    const s = this.stamps;
    const w = this.w;
    w.s(PRI[pri]!);
    if (!this.rfc5424) {
      w.s(s.rfc3164).s(' ').s(host.name).s(' ');
      if (app === '') return w;
      w.s(app);
      return pid === null ? w.s(': ') : w.s('[').s(pid).s(']: ');
    }
    w.s('1 ').s(s.isoSecond).s(s.ms).s('Z ').s(host.name).s(' ').s(app || '-').s(' ').s(pid ?? '-').s(' ').s(msgid);
    return w.s(' [origin ip="').s(host.ip).s('"][meta sequenceId="').n(this.seq + 1).s('"] ');
  }

  /** Writes a kernel's `[  uptime.micros] ` prefix for `host` at the current time. */
  kernelStamp(host: Host): LineWriter {
    const since = this.time - this.start;
    // microseconds climb within a millisecond so one host's kernel clock never runs backwards
    if (since !== this.kernelMs) {
      this.kernelMs = since;
      this.kernelMicros = Math.floor(this.rng() * 200);
    } else this.kernelMicros = Math.min(999, this.kernelMicros + 1 + Math.floor(this.rng() * 40));
    const secs = host.uptimeBase + Math.floor(since / 1000);
    return this.w.s('[').padded(secs, 5).s('.').s(MILLIS[since % 1000]!).s(MILLIS[this.kernelMicros]!).s('] ');
  }

  /** Remembers a lookup; the slots are reused, so a Flow read from `recentFlow` is valid until the next call. */
  rememberFlow(client: Host, site: Site, ip: string): void {
    const slot = this.flows[this.flowNext];
    if (slot === undefined) this.flows.push({ client, site, ip });
    else {
      slot.client = client;
      slot.site = site;
      slot.ip = ip;
    }
    this.flowNext = (this.flowNext + 1) % FLOW_SLOTS;
  }

  /** A recent lookup to connect to, or null before any lookup happened. */
  recentFlow(): Flow | null {
    const n = this.flows.length;
    return n === 0 ? null : this.flows[Math.floor(this.rng() * n)]!;
  }

  /** Queues lines that continue a story; false (and nothing queued) when the queue is full. */
  later(...emits: Emit[]): boolean {
    if (this.followCount + emits.length > FOLLOW_UP_SLOTS) return false;
    for (const e of emits) {
      this.followUps[(this.followHead + this.followCount) % FOLLOW_UP_SLOTS] = e;
      this.followCount++;
    }
    return true;
  }

  pendingCount(): number {
    return this.followCount;
  }

  /** Takes the oldest queued follow-up, or null. */
  takeFollowUp(): Emit | null {
    if (this.followCount === 0) return null;
    const e = this.followUps[this.followHead]!;
    this.followUps[this.followHead] = undefined;
    this.followHead = (this.followHead + 1) % FOLLOW_UP_SLOTS;
    this.followCount--;
    return e;
  }
}
