/** Scope of impact: other hosts that reached the same destinations, rare and blocklisted ones weighing most. */
import { useState } from 'react';
import type { PivotSourcesResponse, ScopeResponse } from '../../../../src/serve/api.ts';
import { formatUtc } from '../../lib/format.ts';
import { Link } from '../../components/Link.tsx';
import { HolderNames } from './NodePanel.tsx';

/** shared destinations a row lists before its "more" */
const DESTS_SHOWN = 3;

/**
 * Below this many other hosts, "too common" (reached by more than 100 hosts) can never apply, so a
 * popular site weighs as much as a rare one: said, not left to the scores (a review with three clients
 * saw github.com and 8.8.8.8 give two hosts 76.5 each).
 */
const FEW_HOSTS = 20;

/**
 * What the scope table says when no blocklist is loaded (null when one is): its column of zeros read as
 * "none of these hosts hit one" on the demo, whose blocklist folder does not exist.
 */
export function noBlocklistText(b: PivotSourcesResponse['blocklists']): string | null {
  if (b.counts.ips + b.counts.networks + b.counts.domains > 0) return null;
  const where = b.dir ?? "the server's blocklist folder (<data>/blocklists)";
  const why = b.error !== null ? `${where} could not be read (${b.error})` : b.missing === true ? `${where} does not exist` : `${where} holds no entry`;
  return `No blocklist is loaded: ${why}. The blocklisted column cannot count, and no host is ranked first for one. Put blocklist files (plain, IPsum, Maltrail) there: they load on change.`;
}

/**
 * `entityHref`: the page that pivots from an entity over the range shown. The hosts, the shared destinations
 * and the users are links to it: an operator walk found them written out (the destinations cut short by an
 * ellipsis, the rest in a tooltip only) with no way to follow one, and the host a button that a middle-click
 * could not open beside the graph.
 */
export function ScopeTable({ scope, noBlocklist, entityHref }: { scope: ScopeResponse; noBlocklist: string | null; entityHref(entity: string): string }) {
  // the hosts whose every listed destination is shown
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = (host: string) =>
    setOpen((o) => {
      const n = new Set(o);
      if (!n.delete(host)) n.add(host);
      return n;
    });
  return (
    <section className="panel scope-panel" aria-label="Scope of impact">
      <div className="panel-head">
        <h2>Scope of impact</h2>
        <span className="spacer" />
        <span className="faint" title="destinations reached by more than 100 hosts tell nothing and are left out; past a read budget the commonest of the rest are not read">
          {scope.destinations} destination{scope.destinations === 1 ? '' : 's'} · {scope.common} too common{scope.skipped > 0 ? ` · ${scope.skipped} not read` : ''}
          {scope.totalHosts > scope.hosts.length ? ` · the top ${scope.hosts.length} of ${scope.totalHosts} hosts` : ''}
        </span>
      </div>
      {scope.totalHosts > 0 && scope.totalHosts < FEW_HOSTS && (
        <p className="notice few-hosts" role="note">
          Only {scope.totalHosts} other {scope.totalHosts === 1 ? 'host shares' : 'hosts share'} destinations with this one: too few to tell a rare destination from a popular one (a
          site every host visits counts here as much as one only these reached). Read the shared destinations before taking the scores as spread.
        </p>
      )}
      {noBlocklist !== null && scope.hosts.length > 0 && (
        <p className="notice no-blocklist" role="note">
          {noBlocklist}
        </p>
      )}
      {(scope.unexamined > 0 || scope.readFrom !== undefined || scope.timedOut === true) && (
        <p className="notice partial-read" role="note">
          {scope.readFrom !== undefined ? `This host reached too many destinations for one question: those from ${formatUtc(scope.readFrom)} on were read. ` : ''}
          {scope.unexamined > 0 ? `${scope.unexamined} destinations were not examined (blocklisted and the most reached ones go first${scope.timedOut === true ? '; the question stopped at its time limit' : ''}). ` : scope.timedOut === true ? 'The question stopped at its time limit. ' : ''}
          Narrow the time range to see the rest.
        </p>
      )}
      <p className="panel-body faint scope-how">
        Other hosts that reached this host&apos;s destinations, those sharing many and rare ones first. A shared destination adds log₂(1 + 100 ÷ the hosts that
        reached it, this one included) to the score: 5.7 when only this host and one other did, 1 when 100 did; destinations more than 100 hosts reached are left out. Sharing a popular site
        is not being hit: read the destinations they share. Hosts that reached a blocklisted destination of this host come first, whatever their score.
      </p>
      {scope.hosts.length === 0 ? (
        <p className="panel-body faint">No other host reached the same destinations.</p>
      ) : (
        // a frame of its own: its six columns made the page 780 px wide at 420 px (an operator's walk on a phone)
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th>host</th>
                <th>user</th>
                <th className="num" title="destinations of this host it reached too">shared</th>
                <th className="num" title="of them, on a blocklist">blocklisted</th>
                <th>rarest shared (hosts that reached it)</th>
                <th className="num" title="Σ log₂(1 + 100 ÷ hosts that reached each shared destination)">score</th>
              </tr>
            </thead>
            <tbody>
              {scope.hosts.map((h) => (
                <tr
                  key={h.entity}
                  className={h.sharedBlocklisted > 0 ? 'hot' : undefined}
                  title={h.sharedBlocklisted > 0 ? 'first: it reached a blocklisted destination of this host too' : undefined}
                >
                  <td className="mono">
                    <Link href={entityHref(h.entity)} title={`pivot from ${h.entity}; shared: ${h.destinations.map((d) => d.entity).join(', ')}`}>
                      {h.entity.replace(/^ip:/, '')}
                    </Link>
                  </td>
                  <td>{h.identityOmitted ? <span className="faint" title="Only the first hosts' users are looked up in one answer; open this host to see its own">not looked up</span> : h.identity === null ? '' : <HolderNames identity={h.identity} kind="user" href={entityHref} />}</td>
                  <td className="num">{h.shared}</td>
                  <td className="num">
                    {noBlocklist !== null ? (
                      <span className="faint" title="no blocklist is loaded">
                        –
                      </span>
                    ) : h.sharedBlocklisted > 0 ? (
                      <strong title="ranked first for it">{h.sharedBlocklisted}</strong>
                    ) : (
                      h.sharedBlocklisted
                    )}
                  </td>
                  <td className="mono scope-dests">
                    {(open.has(h.entity) ? h.destinations : h.destinations.slice(0, DESTS_SHOWN)).map((d, i) => (
                      <span key={d.entity}>
                        {i > 0 && ', '}
                        <Link href={entityHref(d.entity)} title={`${d.entity}: ${d.sources === 1 ? 'only this host reached it' : `${d.sources} hosts reached it`}${d.blocklisted ? ', on a blocklist' : ''}`}>
                          {d.entity.replace(/^(ip|domain):/, '')}
                        </Link>{' '}
                        ({d.sources}){d.blocklisted ? ' ⚑' : ''}
                      </span>
                    ))}
                    {h.destinations.length > DESTS_SHOWN && (
                      <>
                        {' '}
                        <button type="button" className="link-button scope-more" aria-expanded={open.has(h.entity)} onClick={() => toggle(h.entity)}>
                          {open.has(h.entity) ? 'fewer' : `+${h.shared - DESTS_SHOWN} more`}
                        </button>
                      </>
                    )}
                    {/* the answer lists a host's rarest shared destinations only */}
                    {h.shared > h.destinations.length && (open.has(h.entity) || h.destinations.length <= DESTS_SHOWN) && (
                      <span className="faint" title="the answer lists each host's rarest shared destinations only; pivot from the host for all of its own">
                        {' '}
                        and {h.shared - h.destinations.length} more not listed
                      </span>
                    )}
                  </td>
                  <td className="num">{h.score.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
