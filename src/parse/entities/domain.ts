/** The local part of an e-mail address in codes[a, b): letters, digits and `._%+-`, no dot at either end. */
export function isEmailLocal(codes: Uint16Array, a: number, b: number): boolean {
  if (b <= a || b - a > 64 || codes[a] === 46 || codes[b - 1] === 46) return false;
  for (let i = a; i < b; i++) {
    const c = codes[i]!;
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45 || c === 43 || c === 37)) {
      return false;
    }
  }
  return true;
}
