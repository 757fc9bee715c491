/** One log line with the query's matches marked and every entity a link that searches for it. */
import { memo, useMemo, type MouseEvent } from 'react';
import { segmentLine } from '../../lib/highlight.ts';
import { entityQuery, type HighlightTerm } from '../../lib/query-terms.ts';
import type { ApiEntity } from '../../lib/types.ts';

export const CLIP = 2000;

interface Props {
  line: string;
  terms: readonly HighlightTerm[];
  entities: readonly ApiEntity[];
  onEntity(e: ApiEntity, add: boolean): void;
  full?: boolean;
}

export const LogLine = memo(function LogLine({ line, terms, entities, onEntity, full = false }: Props) {
  const shown = full || line.length <= CLIP ? line : line.slice(0, CLIP);
  const pieces = useMemo(() => segmentLine(shown, terms, entities), [shown, terms, entities]);
  return (
    <span className="logline">
      {pieces.map((p, i) => {
        const runs = p.runs.map((r, j) => (r.mark ? <mark key={j}>{r.text}</mark> : r.text));
        if (p.entity === null) return <span key={i}>{runs}</span>;
        const e = p.entity;
        const query = entityQuery(e);
        const click = (ev: MouseEvent<HTMLAnchorElement>) => {
          if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
          ev.preventDefault();
          ev.stopPropagation();
          onEntity(e, ev.altKey);
        };
        return (
          <a
            key={i}
            className={`entity entity-${e.kind}`}
            href={`/search?q=${encodeURIComponent(query)}`}
            data-entity={e.kind}
            aria-label={`Search for ${e.kind} ${e.value}`}
            title={`Search for ${query} (Alt+click: add to the query)`}
            onClick={click}
          >
            {runs}
          </a>
        );
      })}
      {shown.length < line.length && <span className="faint"> … {line.length - shown.length} more characters</span>}
    </span>
  );
});
