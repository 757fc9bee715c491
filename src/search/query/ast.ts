/**
 * The query's syntax tree once words and fields are resolved: every leaf already holds the exact
 * index strings it stands for, so the compiler only decides how to combine them.
 */

/** One index term (unquoted), or every term starting with it. */
export interface TermAlt {
  term: string;
  prefix: boolean;
}

export type Node =
  /** answered exactly by the index: any of the alternatives */
  | { kind: 'terms'; alts: TermAlt[] }
  /** consecutive words of the line; with `prefix` the last word is a prefix */
  | { kind: 'phrase'; tokens: string[]; prefix: boolean; whole?: boolean }
  /** `text` already case-folded (see verify.ts foldCase) */
  | { kind: 'substr'; text: string }
  | { kind: 'and'; args: Node[] }
  | { kind: 'or'; args: Node[] }
  | { kind: 'not'; arg: Node }
  /** the empty query */
  | { kind: 'all' };

export function termNode(term: string, prefix = false): Node {
  return { kind: 'terms', alts: [{ term, prefix }] };
}

/** n-ary and/or, flattened, so `a b c` is one node and the compiler sees siblings together. */
export function joinNodes(kind: 'and' | 'or', args: Node[]): Node {
  const flat: Node[] = [];
  for (const a of args) {
    if (a.kind === kind) flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind, args: flat };
}
