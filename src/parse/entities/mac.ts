import type { Entity } from '../../core/index.js';
import { addEntity } from './collect.js';

function isHex(c: number): boolean {
  const l = c | 32;
  return (c >= 48 && c <= 57) || (l >= 97 && l <= 102);
}

/** `pairs` hex pairs from a, each followed by `sep` except the last. */
function isPairs(codes: Uint16Array, a: number, pairs: number, sep: number): boolean {
  for (let k = 0; k < pairs; k++) {
    const p = a + k * 3;
    if (!isHex(codes[p]!) || !isHex(codes[p + 1]!)) return false;
    if (k < pairs - 1 && codes[p + 2] !== sep) return false;
  }
  return true;
}

function addMac(out: Entity[], mac: string): void {
  // The all-zero address names no device (loopback frames in iptables logs carry it).
  if (mac !== '00:00:00:00:00:00') addEntity(out, 'mac', mac);
}

/**
 * Adds the MAC address(es) written in [a, b) (code units in `codes`, text in `s`): `aa:bb:cc:dd:ee:ff`,
 * `aa-bb-...`, Cisco `aabb.ccdd.eeff`, and iptables' `MAC=` field (destination, source and
 * ethertype: 14 pairs). Returns whether it was one.
 */
export function addMacs(codes: Uint16Array, s: string, a: number, b: number, out: Entity[]): boolean {
  const len = b - a;
  if (len === 17) {
    const sep = codes[a + 2];
    if ((sep !== 58 && sep !== 45) || !isPairs(codes, a, 6, sep)) return false;
    const text = s.slice(a, b).toLowerCase();
    addMac(out, sep === 58 ? text : text.replaceAll('-', ':'));
    return true;
  }
  if (len === 41) {
    if (!isPairs(codes, a, 14, 58)) return false;
    addMac(out, s.slice(a, a + 17).toLowerCase());
    addMac(out, s.slice(a + 18, a + 35).toLowerCase());
    return true;
  }
  if (len === 14 && codes[a + 4] === 46 && codes[a + 9] === 46) {
    let hex = '';
    for (let i = a; i < b; i++) {
      if (i === a + 4 || i === a + 9) continue;
      if (!isHex(codes[i]!)) return false;
      hex += s[i];
    }
    hex = hex.toLowerCase();
    addMac(out, `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}`);
    return true;
  }
  return false;
}
