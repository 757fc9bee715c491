/**
 * The errors cell of the Trends page's sources table: the codes with their counts, and the last error's
 * message as text (it was only a tooltip, so the table said FEED_HTTP_STATUS×3 and not which URL answered
 * what). No imports: the web bundle uses it.
 */
export function sourceErrorText(errors: Record<string, number>, lastError: string | null | undefined): { codes: string; message: string } {
  const codes = Object.entries(errors)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return { codes, message: codes === '' ? '' : (lastError ?? '') };
}
