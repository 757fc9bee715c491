/**
 * What the compiler hands a leaf: plain data (it crosses worker threads). `fts` nodes are exact;
 * `phrase` and `substr` carry a candidate FTS expression (a superset) and are confirmed per line
 * with verifyText.
 */
import { ftsAnd, ftsNot, ftsOr } from './fts.js';

export interface PhrasePred {
  op: 'phrase';
  /** consecutive words of the line (lowercase), as wordTokens splits it */
  tokens: string[];
  /** the last word is a prefix (`web-0*`) */
  prefix: boolean;
  /** the words must make up a whole dotted or hyphenated word of the line (a bare `web-01`, not `"web 01"`) */
  whole?: boolean;
  /** the words ANDed */
  candidates: string;
}

export interface SubstrPred {
  op: 'substr';
  /** case-folded (foldCase); a line matches when foldCase(line) includes it */
  text: string;
  /** null: nothing in the index constrains it, the leaf must scan */
  candidates: string | null;
}

export type Pred =
  | { op: 'fts'; expr: string }
  | PhrasePred
  | SubstrPred
  | { op: 'and' | 'or'; args: Pred[] }
  | { op: 'not'; arg: Pred }
  | { op: 'all' };

export interface LeafPlan {
  root: Pred;
  /** set iff root is one exact FTS expression: the fast path, no per-line verification */
  fastFts: string | null;
}

/**
 * An FTS expression every line matching pred also matches, for the leaf to narrow its scan;
 * null when the index cannot narrow it (a complement, or a substring with no whole word).
 */
export function candidateFts(pred: Pred): string | null {
  switch (pred.op) {
    case 'fts':
      return pred.expr;
    case 'phrase':
    case 'substr':
      return pred.candidates;
    case 'all':
    case 'not':
      return null;
    case 'or': {
      const parts: string[] = [];
      for (const a of pred.args) {
        const c = candidateFts(a);
        if (c === null) return null;
        parts.push(c);
      }
      return ftsOr(parts);
    }
    case 'and': {
      const pos: string[] = [];
      const neg: string[] = [];
      for (const a of pred.args) {
        // an exact negation can be subtracted; a negated phrase cannot (some lines holding its words lack it)
        if (a.op === 'not' && a.arg.op === 'fts') neg.push(a.arg.expr);
        const c = candidateFts(a);
        if (c !== null) pos.push(c);
      }
      if (pos.length === 0) return null;
      return neg.length === 0 ? ftsAnd(pos) : ftsNot(ftsAnd(pos), ftsOr(neg));
    }
  }
}
