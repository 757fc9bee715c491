/**
 * The Trends page's choice of attack types, kept in the URL (`?types=ddos,ransomware`) so a link shows
 * the same cards; absent, every type. Filter chips: none pressed shows all, pressing one shows it alone,
 * pressing more adds them. No imports: the web bundle uses it.
 */

/** The types `param` names that `available` has, in `available`'s order; empty (every type shown) when it names none of them. */
export function chosenTypes(param: string | null, available: readonly string[]): string[] {
  const named = new Set((param ?? '').split(',').map((t) => t.trim()));
  return available.filter((t) => named.has(t));
}

/** The `types` parameter after a click on `type`'s chip: null (the parameter removed, every type shown) when none or all are then chosen. */
export function toggledTypesParam(chosen: readonly string[], type: string, available: readonly string[]): string | null {
  const on = new Set(chosen);
  if (on.has(type)) on.delete(type);
  else on.add(type);
  const next = available.filter((t) => on.has(t));
  return next.length === 0 || next.length === available.length ? null : next.join(',');
}
