/**
 * What a host sent its SYNs to, in the host panel: every port it tried, as runs (`1–1024, 3306`), and the
 * destination ports and addresses it sent most SYNs to, with counts, and how many distinct ones are not
 * listed. The board keeps 32 counters per host for each (a host spraying 60,000 ports keeps 32): past 32
 * distinct values a count is known within a range, shown so, and only counts known to be 2 or more are
 * listed. Each address links to Investigate (or, without that page, to a search of the logs).
 */
import type { ReactNode } from 'react';
import { formatInt } from '../../lib/format.ts';
import type { SynHostDetail } from '../../lib/types.ts';
import { Link } from '../../components/Link.tsx';
import { pivotHref } from '../../lib/pages.ts';

type Targets = SynHostDetail['targets'];

/** Counters the board keeps per host and kind (src/detect/syn/top-counts.ts TOP_KEPT). */
const KEPT = 32;

/** `12`, or `2–10` when the count may be up to `over` too high. */
const countText = (x: { syns: number; over: number }): string => (x.over === 0 ? formatInt(x.syns) : `${formatInt(x.syns - x.over)}–${formatInt(x.syns)}`);

/** `and 59,990 more ports` (`about` when the distinct count is estimated); null when none are left out. */
function moreText(n: number, word: 'port' | 'address', exact: boolean): string | null {
  if (n <= 0) return null;
  return `and ${exact ? '' : 'about '}${formatInt(n)} more ${n === 1 ? word : word === 'port' ? 'ports' : 'addresses'}`;
}

/** Where an address links: Investigate when the page exists, else a search of the logs. */
function addressLink(ip: string): { href: string; label: string } {
  const pivot = pivotHref('ip', ip);
  return pivot !== null ? { href: pivot, label: `Investigate ${ip}` } : { href: `/search?q=${encodeURIComponent(ip)}`, label: `Search logs for ${ip}` };
}

/** `22, 80–82, 1000–1299` and, past the runs listed, `and 12 more runs`. */
function runsText(t: Targets): string {
  const runs = t.portRuns.map((r) => (r.from === r.to ? String(r.from) : `${r.from}–${r.to}`)).join(', ');
  return t.morePortRuns > 0 ? `${runs} and ${formatInt(t.morePortRuns)} more run${t.morePortRuns === 1 ? '' : 's'}` : runs;
}

/** A list with nothing to list: every count was a range that says nothing (a spray of one SYN each). */
function NoneStands({ word }: { word: string }) {
  return (
    <tr>
      <td colSpan={2} className="faint">
        no {word} got more than one SYN for sure
      </td>
    </tr>
  );
}

/** One of the panel's two lists: a value and its SYNs per row, `more` (how many are not listed) under them. */
function TargetTable({ heading, word, rows, more }: { heading: string; word: string; rows: { key: string; cell: ReactNode; count: { syns: number; over: number } }[]; more: string | null }) {
  return (
    <table className="grid targets">
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col" className="num">
            SYNs
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <NoneStands word={word} />}
        {rows.map((r) => (
          <tr key={r.key}>
            <td className="mono">{r.cell}</td>
            <td className="num">{countText(r.count)}</td>
          </tr>
        ))}
      </tbody>
      {more !== null && (
        <tfoot>
          <tr>
            <td colSpan={2} className="faint">
              {more}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function HostTargets({ targets, ip }: { targets: Targets; ip: string }) {
  // past KEPT distinct values some counts are ranges and some values are not listed: the note says why
  const ranged = [...targets.ports, ...targets.dsts].some((x) => x.over > 0) || targets.ports.length < Math.min(10, targets.ports.length + targets.morePorts) || targets.dsts.length < Math.min(10, targets.dsts.length + targets.moreDsts);
  const morePorts = moreText(targets.morePorts, 'port', true);
  const moreDsts = moreText(targets.moreDsts, 'address', targets.dstsExact);
  return (
    <section className="host-targets" aria-label={`What ${ip} sent SYNs to`}>
      <h2>Sent SYNs to</h2>
      {targets.portRuns.length > 0 && (
        <p className="targets-runs">
          <span className="faint">ports </span>
          <span className="mono">{runsText(targets)}</span>
        </p>
      )}
      <div className="targets-lists">
        <TargetTable heading="Port" word="port" more={morePorts} rows={targets.ports.map((p) => ({ key: String(p.port), cell: p.port, count: p }))} />
        <TargetTable
          heading="Destination"
          word="address"
          more={moreDsts}
          rows={targets.dsts.map((d) => {
            const link = addressLink(d.ip);
            return {
              key: d.ip,
              cell: (
                <Link href={link.href} aria-label={link.label}>
                  {d.ip}
                </Link>
              ),
              count: d,
            };
          })}
        />
      </div>
      {ranged && (
        <p className="faint targets-note">
          A count shown as a range (2–10) is known only that far: past {KEPT} distinct ports or addresses the board keeps {KEPT} counters per host, not one for each, and
          lists only counts known to be 2 or more. A port or address that got more than a {KEPT}nd of the host&apos;s SYNs always has one.
        </p>
      )}
    </section>
  );
}
