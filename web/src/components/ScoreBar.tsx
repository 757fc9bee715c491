/**
 * A probability in [0, 1] as a number and a bar, coloured by how alarming it is: red from the
 * detector's threshold when it is given (a host at 0.936 under a 0.95 threshold is no finding, and
 * must not look like one), else from 0.8; amber from 0.5 below that.
 */
export function ScoreBar({ score, label, threshold }: { score: number; label?: string; threshold?: number }) {
  const pct = Math.max(0, Math.min(1, score)) * 100;
  const hot = threshold ?? 0.8;
  const heat = score >= hot ? 'hot' : score >= Math.min(0.5, hot) ? 'warm' : '';
  return (
    <div className="score" aria-label={`${label ?? 'score'} ${score.toFixed(3)}`}>
      <span className="num mono">{score.toFixed(3)}</span>
      <div className={`bar ${heat}`} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
