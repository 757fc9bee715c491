/** Similar incidents, each with its score, why it ranks there and whether it is close: for an analysed report and for a stored incident. */
import { EmptyState } from '../../components/EmptyState.tsx';
import { SCORE_MEANING } from '../../../../src/assist/record-view.ts';
import type { SimilarItem, Suggestion } from './types.ts';

/**
 * No similar incident: an empty base is told how to fill it; a base that holds some shares no word with the
 * report (a note in another language than the base's shares none). Until 2026-12 both were "the base is empty or
 * shares nothing; import the corpora", which sent an operator to import into a base of thousands.
 */
function NothingSimilar({ searched }: { searched: number }) {
  if (searched === 0) {
    return (
      <EmptyState title="No similar incidents">
        The incident base is empty: import the corpora with <code>nml assist import</code>, or save reports here.
      </EmptyState>
    );
  }
  const held = searched === 1 ? 'The one incident in the base shares no word' : `None of the ${searched.toLocaleString('en-US')} incidents in the base shares a word`;
  return <EmptyState title="No similar incidents">{held} with this report (it is searched by its 64 rarest words; a report in another language than the base's shares none).</EmptyState>;
}

/** Each similar incident with its score, why it ranks there and whether it is close (the same judgement as the first action's). */
export function SimilarList({ items, judged, closeRule, searched }: { items: SimilarItem[]; judged: Suggestion['judged']; closeRule: string | undefined; searched: number }) {
  if (items.length === 0) return <NothingSimilar searched={searched} />;
  const verdict = new Map((judged ?? []).map((j) => [j.id, j]));
  return (
    <>
      {closeRule !== undefined && <p className="faint assist-close-rule">{closeRule}</p>}
      <ol className="assist-similar">
        {items.map((r) => {
          const j = verdict.get(r.id);
          return (
            <li key={r.id}>
              <div>
                <span className="num" title={SCORE_MEANING}>{r.score.toFixed(2)}</span> {r.title} <span className="faint mono">{r.id}</span>
                {j !== undefined && (j.close ? <span className="assist-close"> · close</span> : <span className="dim"> · not close: {j.why}</span>)}
              </div>
              <div className="dim">
                {r.why.matchedFields.length > 0 && <>fields: {r.why.matchedFields.map((m) => `${m.field}=${m.values.join('/')}`).join(', ')}; </>}
                {r.why.sharedTerms.length > 0 && <>words: {r.why.sharedTerms.slice(0, 8).join(' ')}; </>}
                {(r.why.templateTerms ?? []).length > 0 && <span className="faint">report-template words: {(r.why.templateTerms ?? []).slice(0, 8).join(' ')}; </span>}
                {r.why.vote !== null && (
                  <>
                    {r.why.vote.of}/{r.why.vote.k} nearest are {r.why.vote.label}
                  </>
                )}
              </div>
              {r.firstAction !== null && <div>Done then: {r.firstAction}</div>}
            </li>
          );
        })}
      </ol>
    </>
  );
}
