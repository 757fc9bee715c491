/**
 * The Alerts list's head: its title over the list's state (ListState) and, while a refresh waits, "order
 * held", then the filters: an entity's chip, the status buttons with their counts, the Detector, Min score
 * and Sort menus (ListMenus), Triaged and Assigned. Each label sits over its menu and the held line under
 * the title, so the head keeps one line at 1440 px with five-digit counts (alerts-head-counts e2e).
 */
import { formatInt } from '../../lib/format.ts';
import type { FindingStatus } from '../../lib/types.ts';
import { StatusFilterControl, type StatusFilter } from './Triage.tsx';
import { EntityFilterChip } from './cells.tsx';
import { AssignedControl } from './Assignee.tsx';
import { ListState } from './ListState.tsx';
import { TriagedSinceControl } from './TriagedSince.tsx';
import { ListMenus } from './ListMenus.tsx';
import { REFRESH_MS } from './list-text.ts';

export interface ListHeadProps {
  load: 'loading' | 'ok' | 'absent' | 'error';
  /** when the rows shown were last read for this filter (null: none are) */
  updatedAt: number | null;
  now: number;
  refreshError: string | null;
  /** how many new findings wait while the order is held (null: it is not held) */
  held: number | null;
  entity: string;
  filter: StatusFilter;
  counts: Readonly<Record<FindingStatus, number>> | null;
  detector: string;
  minScore: string;
  sortKey: string;
  triagedSince: string;
  assignee: string;
  /** a change of filter, into the address */
  set(patch: Record<string, string | null>): void;
}

export function ListHead(p: ListHeadProps) {
  return (
    <div className="panel-head alerts-head">
      <div className="alerts-title">
        <h2 id="alerts-title">Findings</h2>
        <ListState load={p.load} updatedAt={p.updatedAt} now={p.now} refreshError={p.refreshError} refreshMs={REFRESH_MS} />
        {p.held !== null && (
          <span className="faint alerts-held" role="status">
            order held while you work on the list{p.held > 0 && ` · ${formatInt(p.held)} new waiting`}
          </span>
        )}
      </div>
      <span className="spacer" />
      <EntityFilterChip entity={p.entity} onClear={() => p.set({ entity: null })} />
      <StatusFilterControl value={p.filter} counts={p.counts} onChange={(key) => p.set({ status: key })} />
      {/* at 900 px and under the filters start a line of their own (alerts-narrow.css) */}
      <span className="alerts-filters-break" aria-hidden="true" />
      <ListMenus detector={p.detector} minScore={p.minScore} sortKey={p.sortKey} set={p.set} />
      <TriagedSinceControl value={p.triagedSince} onChange={(v) => p.set({ triagedSince: v })} />
      <AssignedControl value={p.assignee} onChange={(v) => p.set({ assignee: v })} />
    </div>
  );
}

/**
 * The table's column names, the first a box that ticks every finding shown. At 601–900 px the head is a grid
 * as the rows are, "Entity" over "Why" (alerts-narrow.css): the classes name each column's place.
 */
export function ListColumns({ allShown, someTicked, onToggleAll }: { allShown: boolean; someTicked: boolean; onToggleAll(): void }) {
  return (
    <thead>
      <tr>
        <th scope="col" className="c-select">
          <input
            id="alerts-select-all"
            type="checkbox"
            aria-label="Select every finding shown"
            checked={allShown}
            ref={(el) => {
              if (el !== null) el.indeterminate = someTicked && !allShown;
            }}
            onChange={onToggleAll}
          />
        </th>
        <th scope="col" className="c-score">
          Score
        </th>
        <th scope="col" className="c-status">
          Status
        </th>
        <th scope="col" className="hide-narrow">
          Detector
        </th>
        <th scope="col" className="c-entity">
          Entity
        </th>
        <th scope="col" className="c-why-head">
          Why
        </th>
        <th scope="col" className="hide-narrow hide-medium">
          First seen (UTC)
        </th>
        <th scope="col" className="c-last">
          Last seen
        </th>
        <th scope="col" className="num hide-narrow" title="sightings of this finding's entity scored at or above its threshold (a URL that names another host before @: at any score); for syn-flood and syn-wave, the sources summed">
          Count
        </th>
        <th scope="col">
          <span className="sr-only">Evidence</span>
        </th>
      </tr>
    </thead>
  );
}
