/** Incident categories by keyword rules (English and Japanese); each hit keeps the keyword's offsets. */

export const CATEGORIES = [
  'brute-force',
  'dos',
  'phishing',
  'ransomware',
  'malware',
  'web-attack',
  'vulnerability',
  'account-compromise',
  'data-breach',
  'defacement',
  'scan',
  'misuse',
  'loss-theft',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Order matters: the first rule that matches a text decides (more specific rules first). */
const RULES: [Category, RegExp][] = [
  ['ransomware', /ransom\w*|ランサム\S*|身代金/iu],
  ['brute-force', /brute[ -]?force|password spray\w*|credential stuffing|login attempts?|failed (?:password|logins?)|総当たり|ブルートフォース|パスワードリスト/iu],
  ['dos', /\bd?dos\b|denial[ -]of[ -]service|flood(?:ing)?\b|サービス妨害/iu],
  ['phishing', /phish\w*|spear[ -]?phish\w*|smishing|business e-?mail compromise|\bbec\b|フィッシング|標的型(?:攻撃)?メール|なりすましメール/iu],
  ['defacement', /defac\w*|改ざん/iu],
  ['malware', /malware|trojan|botnet|\bbot\b|worm\b|virus|spyware|backdoor|infostealer|stealer|\brat\b|\bc2\b|command[ -]and[ -]control|マルウェア|ウイルス|感染/iu],
  ['web-attack', /sql injection|\bsqli\b|cross[ -]site|\bxss\b|web shell|webshell|wp-login|wordpress|directory traversal|path traversal|\brce\b|remote code execution|SQLインジェクション|クロスサイト/iu],
  ['vulnerability', /vulnerab\w*|\bcve-\d{4}-\d+|exploit\w*|zero[ -]day|0-day|\b(?:un)?patch\w*|脆弱性/iu],
  ['account-compromise', /account takeover|compromised account|hijack\w*|stolen credentials|unauthori[sz]ed (?:access|login)|不正ログイン|不正アクセス|アカウント乗っ取り/iu],
  ['data-breach', /data breach|breach\w*|leak\w*|exposed|stolen data|exfiltrat\w*|personal (?:data|information)|records? of|情報漏え?洩?い?|漏えい|流出/iu],
  ['scan', /port ?scan\w*|scanning|reconnaissance|probe|スキャン/iu],
  ['loss-theft', /laptop stolen|stolen laptop|lost (?:laptop|device|usb)|theft|紛失|盗難/iu],
  ['misuse', /misuse|privilege abuse|insider|policy violation|内部不正/iu],
];

export interface CategoryHit {
  category: Category;
  start: number;
  end: number;
}

/** The category of a text and the keyword that decided it; null when no rule matches. */
export function classify(text: string): CategoryHit | null {
  for (const [category, re] of RULES) {
    const m = re.exec(text);
    if (m !== null) return { category, start: m.index, end: m.index + m[0].length };
  }
  return null;
}

/** Every category whose rule matches the text (for the structured similarity of long texts). */
export function allCategories(text: string): Category[] {
  return RULES.filter(([, re]) => re.test(text)).map(([c]) => c);
}
