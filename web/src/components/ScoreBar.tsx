/** A probability in [0, 1] as a number and a bar, coloured by how alarming it is. */
export function ScoreBar({ score, label }: { score: number; label?: string }) {
  const pct = Math.max(0, Math.min(1, score)) * 100;
  const heat = score >= 0.8 ? 'hot' : score >= 0.5 ? 'warm' : '';
  return (
    <div className="score" aria-label={`${label ?? 'score'} ${score.toFixed(3)}`}>
      <span className="num mono">{score.toFixed(3)}</span>
      <div className={`bar ${heat}`} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
