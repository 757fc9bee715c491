/**
 * A streaming parser of classic pcap (µs and ns, either byte order) and pcapng (SHB, IDB, EPB, SPB,
 * OPB; several sections and interfaces, per-interface if_tsresol and if_tsoffset): push chunks, get
 * frames. A file cut short counts one `truncated_file` skip; a packet whose interface is unknown, or
 * whose time falls before 1970 or past what a Date holds, counts one `bad_header` skip; bytes that
 * cannot be a capture throw PCAP_* errors naming the byte offset.
 */
import { AppError, shellWord, startsGzip } from '../../core/index.js';
import { countSkip, type ReadStats } from './types.js';

/** Called once per captured frame: the frame is b[off, end), captured at t µs since the epoch on `linktype`. */
export type FrameHandler = (linktype: number, b: Buffer, off: number, end: number, t: number) => void;

/** Largest record or block we accept (a corrupt length beyond this is an error, not an allocation). */
const MAX_RECORD = 16 * 1024 * 1024;

/** The latest packet time we pass on (µs): the latest a JS Date holds (8.64e15 ms). */
const MAX_TIME_US = 8.64e18;

interface Iface {
  linktype: number;
  snaplen: number;
  /** timestamp units per second */
  perSec: number;
  /** seconds added to every timestamp */
  offsetSec: number;
}

export class CaptureParser {
  private pending: Buffer = Buffer.alloc(0);
  /** bytes consumed before `pending` (for error offsets) */
  private base = 0;
  private kind: 'unknown' | 'pcap' | 'pcapng' = 'unknown';
  private le = true;
  private nano = false;
  private linktype = 0;
  private ifaces: Iface[] = [];
  private lastT = 0;

  constructor(
    private readonly onFrame: FrameHandler,
    readonly stats: ReadStats,
    private readonly name = 'capture',
  ) {}

  push(chunk: Buffer): void {
    const b = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let off = 0;
    if (this.kind === 'unknown') {
      if (b.length < 4) {
        this.pending = b;
        return;
      }
      off = this.detect(b);
      if (off < 0) {
        this.pending = b;
        return;
      }
    }
    off = this.kind === 'pcap' ? this.records(b, off) : this.blocks(b, off);
    this.base += off;
    this.pending = off >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(off));
  }

  /** No more input: a partial record or block left over is counted as `truncated_file`. */
  end(): void {
    if (this.kind === 'unknown') {
      if (this.pending.length === 0) throw this.error('PCAP_EMPTY', 'is empty');
      if (this.pending.length < 4) throw this.error('PCAP_TRUNCATED', 'is too short to be a capture', this.pending.length);
      // a pcap magic number, but the file ends inside its 24-byte header: nothing in it can be read
      throw this.error('PCAP_TRUNCATED', 'ends inside its pcap file header', this.pending.length);
    }
    if (this.base === 0 && this.pending.length > 0) throw this.error('PCAP_TRUNCATED', 'ends inside its first pcapng block', this.pending.length);
    if (this.pending.length > 0) {
      countSkip(this.stats, 'truncated_file');
      this.stats.truncatedAt = this.base;
    }
    this.pending = Buffer.alloc(0);
  }

  /**
   * A record or block whose length cannot be: the file is damaged at `at`. The packets before it read
   * whole, but the error threw them away with no word of it ("expected a pcap or pcapng file" of a
   * capture whose first 4,179 packets were fine): say how many, when the last was, and the tcpdump
   * command that keeps them (tcpdump -c stops before the damage and writes what it read).
   */
  private corrupt(what: string, at: number): AppError {
    const n = this.stats.records;
    if (n === 0) return this.error('PCAP_CORRUPT', what, at);
    const last = this.lastT > 0 && this.lastT <= MAX_TIME_US ? ` (the last at ${new Date(Math.floor(this.lastT / 1000)).toISOString().replace('T', ' ').slice(0, 23)} UTC)` : '';
    const keep = this.name === 'standard input' ? `tcpdump -r - -c ${n} -w good.pcap in the pipe` : `tcpdump -r ${shellWord(this.name)} -c ${n} -w good.pcap`;
    return new AppError(
      'PCAP_CORRUPT',
      'bad_request',
      `${this.name} ${what} at byte ${at}: the file is damaged there; the ${n.toLocaleString('en-US')} packets before it read whole${last}. To score them, keep them in a capture of their own: ${keep}, then score good.pcap`,
      { offset: at, records: n },
    );
  }

  private error(code: string, what: string, at?: number): AppError {
    const where = at === undefined ? '' : ` at byte ${at}`;
    return new AppError(code, 'bad_request', `${this.name} ${what}${where}; expected a pcap or pcapng file`, at === undefined ? undefined : { offset: at });
  }

  /**
   * A file that starts with no capture's magic number: its first four bytes as a hex dump shows them (in
   * file order, not read as a number, which made a text file's bytes look like a magic number of its own),
   * and as text when they are printable, beside the ones a capture starts with.
   */
  private badMagic(b: Buffer): AppError {
    const head = b.subarray(0, 4);
    const hex = [...head].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    const text = head.every((x) => x >= 0x20 && x < 0x7f) ? ` ("${head.toString('latin1')}")` : '';
    if (startsGzip(head)) {
      // a compressed capture (x.pcapng.gz) is common; the reader reads files synchronously, so it is decompressed in a pipe, not here
      const undo = this.name === 'standard input' ? 'put zcat before it in the pipe (... | zcat | nml score syn -)' : `decompress it first: zcat ${this.name} | nml score syn - (or gunzip it and give the capture)`;
      return new AppError('PCAP_BAD_MAGIC', 'bad_request', `${this.name} is gzip-compressed (it starts with the bytes ${hex}), not a capture as it is; ${undo}`, { offset: 0, found: hex, format: 'gzip' });
    }
    return new AppError(
      'PCAP_BAD_MAGIC',
      'bad_request',
      `${this.name} is not a capture: it starts with the bytes ${hex}${text}; expected a pcap or pcapng magic number: a1 b2 c3 d4 or d4 c3 b2 a1 for pcap (a1 b2 3c 4d or 4d 3c b2 a1 with nanosecond times), 0a 0d 0d 0a for pcapng`,
      { offset: 0, found: hex },
    );
  }

  /** Returns the offset after the file header, or -1 when more bytes are needed. */
  private detect(b: Buffer): number {
    const m = b.readUInt32LE(0);
    if (m === 0x0a0d0d0a) {
      this.kind = 'pcapng';
      this.stats.format = 'pcapng';
      return 0;
    }
    const ms: Record<number, [boolean, boolean]> = { 0xa1b2c3d4: [true, false], 0xd4c3b2a1: [false, false], 0xa1b23c4d: [true, true], 0x4d3cb2a1: [false, true] };
    const hit = ms[m];
    if (hit === undefined) throw this.badMagic(b);
    if (b.length < 24) return -1;
    this.kind = 'pcap';
    this.stats.format = 'pcap';
    [this.le, this.nano] = hit;
    this.linktype = (this.le ? b.readUInt32LE(20) : b.readUInt32BE(20)) & 0xffff;
    return 24;
  }

  private records(b: Buffer, off: number): number {
    const le = this.le;
    const div = this.nano ? 1000 : 1;
    while (b.length - off >= 16) {
      const sec = le ? b.readUInt32LE(off) : b.readUInt32BE(off);
      const frac = le ? b.readUInt32LE(off + 4) : b.readUInt32BE(off + 4);
      const incl = le ? b.readUInt32LE(off + 8) : b.readUInt32BE(off + 8);
      if (incl > MAX_RECORD) throw this.corrupt(`has a record claiming ${incl} bytes`, this.base + off);
      if (b.length - off - 16 < incl) break;
      this.stats.records++;
      const at = off + 16;
      this.lastT = sec * 1e6 + frac / div;
      this.onFrame(this.linktype, b, at, at + incl, this.lastT);
      off = at + incl;
    }
    return off;
  }

  private u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  private u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  private blocks(b: Buffer, off: number): number {
    while (b.length - off >= 12) {
      const typeLe = b.readUInt32LE(off);
      if (typeLe === 0x0a0d0d0a) {
        // section header: its byte-order magic decides how to read everything up to the next one
        const bom = b.readUInt32LE(off + 8);
        if (bom === 0x1a2b3c4d) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else throw this.corrupt('has a pcapng section header with a bad byte-order magic', this.base + off);
        this.ifaces = [];
      }
      const type = this.u32(b, off);
      const len = this.u32(b, off + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_RECORD) throw this.corrupt(`has a pcapng block of bad length ${len}`, this.base + off);
      if (b.length - off < len) break;
      if (this.u32(b, off + len - 4) !== len) throw this.corrupt('has a pcapng block whose trailing length does not match', this.base + off);
      this.block(type, b, off, len);
      off += len;
    }
    return off;
  }

  private block(type: number, b: Buffer, off: number, len: number): void {
    const bodyEnd = off + len - 4;
    if (type === 1) {
      if (len < 20) throw this.corrupt('has a pcapng interface block that is too short', this.base + off);
      const iface: Iface = { linktype: this.u16(b, off + 8), snaplen: this.u32(b, off + 12), perSec: 1e6, offsetSec: 0 };
      for (let at = off + 16; at + 4 <= bodyEnd; ) {
        const code = this.u16(b, at);
        const olen = this.u16(b, at + 2);
        if (code === 0 || at + 4 + olen > bodyEnd) break;
        if (code === 9 && olen >= 1) {
          const r = b[at + 4]!;
          iface.perSec = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
        } else if (code === 14 && olen >= 8) {
          // a signed 64-bit count of seconds (a sensor whose clock ran ahead writes a negative one)
          iface.offsetSec = Number(this.le ? b.readBigInt64LE(at + 4) : b.readBigInt64BE(at + 4));
        }
        at += 4 + ((olen + 3) & ~3);
      }
      this.ifaces.push(iface);
      return;
    }
    let ifId: number;
    let tsHigh = 0;
    let tsLow = 0;
    let cap: number;
    let data: number;
    if (type === 6 || type === 2) {
      if (len < 32) throw this.corrupt('has a pcapng packet block that is too short', this.base + off);
      ifId = type === 6 ? this.u32(b, off + 8) : this.u16(b, off + 8);
      tsHigh = this.u32(b, off + 12);
      tsLow = this.u32(b, off + 16);
      cap = this.u32(b, off + 20);
      data = off + 28;
    } else if (type === 3) {
      if (len < 16) throw this.corrupt('has a pcapng simple packet block that is too short', this.base + off);
      ifId = 0;
      cap = this.u32(b, off + 8);
      data = off + 12;
    } else return; // statistics, name resolution, custom and unknown blocks carry no packets
    this.stats.records++;
    const iface = this.ifaces[ifId];
    if (iface === undefined) {
      countSkip(this.stats, 'bad_header');
      return;
    }
    if (type === 3 && iface.snaplen > 0) cap = Math.min(cap, iface.snaplen);
    if (data + cap > bodyEnd) {
      if (type !== 3) {
        this.stats.records--; // counted above, and not read whole
        throw this.corrupt(`has a pcapng packet of ${cap} bytes in a block of ${len}`, this.base + off);
      }
      cap = bodyEnd - data;
    }
    let t: number;
    if (type === 3) t = this.lastT; // simple packet blocks carry no time: the previous packet's
    else {
      const units = tsHigh * 4294967296 + tsLow;
      t = iface.perSec === 1e6 ? units : (units / iface.perSec) * 1e6;
      t += iface.offsetSec * 1e6;
      // a time before 1970 or past what a Date holds (a resolution or offset that makes no sense) is a bad header
      if (!(t >= 0 && t <= MAX_TIME_US)) {
        countSkip(this.stats, 'bad_header');
        return;
      }
      this.lastT = t;
    }
    this.onFrame(iface.linktype, b, data, data + cap, t);
  }
}
