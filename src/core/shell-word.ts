/** A word as a POSIX shell reads it back: as it is when it holds nothing the shell treats apart, else in single quotes. */
export function shellWord(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
}
