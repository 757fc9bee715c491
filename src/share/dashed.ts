/**
 * IPv4 addresses written with dashes inside host names: a cloud instance's or a DHCP client's name
 * (`ip-10-0-0-1.ec2.internal`, `host-192-168-1-20`, `10-0-0-1.example.com`) and a provider's reverse
 * name for a public address (`ec2-54-12-34-56.compute-1.amazonaws.com`, `static-203-0-113-9.isp.net`).
 * The extractor sees no address there, so the sweep looks for the shape: four numbers of at most 255,
 * dash-joined, not part of a longer dash-joined run of numbers (`1-10-0-0-1`, a date `2026-12-01-10`).
 * A private or otherwise internal one (RFC 1918, loopback, link-local, CGNAT, 0/8) is anonymized wherever
 * it stands; a public one only inside a host name (a label before it, `ec2-`, or a domain after it,
 * `.isp.net`), where it is the same address the rest of the export anonymizes: left clear, it would undo
 * Crypto-PAn for that address. A bare public-looking `1-2-3-4` in prose is kept (a count, a score).
 */

/** groups 1-4: the octets */
export const DASHED_RE = /(?<![0-9])(?<!(?:^|[^0-9A-Za-z])[0-9]+-)([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,3})-([0-9]{1,3})(?![0-9])(?!-[0-9])/g;

/** 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, 100.64/10 and 0/8: never a public host's address */
export function isInternalV4(o: readonly number[]): boolean {
  const [a, b] = o as [number, number];
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/** Whether the dashed address at `at`..`end` of `text` stands in a host name: a label before it, or a domain after it. */
export function inHostName(text: string, at: number, end: number): boolean {
  return (at >= 2 && text[at - 1] === '-' && /[A-Za-z0-9]/.test(text[at - 2]!)) || /^[.-][A-Za-z]/.test(text.slice(end, end + 2));
}

/**
 * The octets of the dashed address `m` (from DASHED_RE at `at` in `text`) when it is to be anonymized, else null.
 */
export function dashedAddress(m: RegExpExecArray | string[], text: string, at: number): number[] | null {
  const o = [m[1], m[2], m[3], m[4]].map(Number);
  if (o.some((x) => x > 255)) return null;
  return isInternalV4(o) || inHostName(text, at, at + m[0]!.length) ? o : null;
}
