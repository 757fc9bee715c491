/** One fold for matching text of the incident base: what is stored (`folded_title`, `folded_summary`) and what is searched. */

/**
 * Text as the incident base matches it, case and compatibility forms aside: NFKC (full-width `ＳＳＨ` is `SSH`, `ﬁ`
 * is `fi`), then upper and lower case, which folds what lower case alone keeps apart (`ß` and `SS` both `ss`),
 * the final `ς` as `σ` (JavaScript lowers a capital sigma by its place in a word), and `İ`'s lower `i̇` as `i`.
 * Accents stay (`ü` is not `u`). SQLite's `lower()` and `LIKE` fold ASCII letters only, so the base stores the fold.
 */
export function foldText(s: string): string {
  return s.normalize('NFKC').toUpperCase().toLowerCase().replace(/ς/g, 'σ').replace(/i\u0307/g, 'i').normalize('NFKC');
}
