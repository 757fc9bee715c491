/** The baselines every table reports beside the CNN: SYN count, distinct destination ports, and fingerprint rules. */
import type { SynPacket } from './types.js';

/** Which tool a single SYN's fingerprint names, or null. */
export function fingerprint(s: SynPacket): 'zmap' | 'masscan' | 'mirai' | 'nmap-sS' | null {
  if (s.ipid === 54321 && (s.win === 65535 || s.ttl > 200)) return 'zmap';
  if (s.v === 4 && s.seq === s.dst4) return 'mirai';
  if (s.v === 4 && s.ipid === ((s.dst4 ^ s.dport ^ s.seq) & 0xffff) >>> 0) return 'masscan';
  if ((s.win === 1024 || s.win === 2048 || s.win === 3072 || s.win === 4096) && s.opts === 'M') return 'nmap-sS';
  return null;
}

export interface BaselineScores {
  count: number;
  ports: number;
  /** fraction of the SYNs a rule matched, in [0, 1] */
  rules: number;
}

export function baselineScores(syns: readonly SynPacket[]): BaselineScores {
  const ports = new Set<number>();
  let hit = 0;
  for (const s of syns) {
    ports.add(s.dport);
    if (fingerprint(s) !== null) hit++;
  }
  return { count: syns.length, ports: ports.size, rules: syns.length === 0 ? 0 : hit / syns.length };
}

/** Thresholds for the baselines' accuracy, precision and recall (ROC-AUC and TPR at 1% FPR need none). */
export const BASELINE_THRESHOLDS = { count: 50, ports: 20, rules: 0.5 } as const;
