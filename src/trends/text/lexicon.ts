/**
 * Curated lists for entity extraction: attack terms (by attack type), threat actors and organisations,
 * countries (English and Japanese names → ISO 3166 alpha-2) and sectors. Small on purpose: each entry
 * is a name that appears in incident reports (HACKMAGEDDON, CASIE) and matters to a defender.
 */

export const ATTACK_TYPES = ['ddos', 'account_takeover', 'targeted', 'web_attack', 'ransomware', 'malware'] as const;
export type AttackType = (typeof ATTACK_TYPES)[number];

export const ATTACK_TYPE_LABELS: Record<AttackType, string> = {
  ddos: 'DDoS',
  account_takeover: 'Account takeover',
  targeted: 'Targeted attack / APT',
  web_attack: 'SQL injection and web attacks',
  ransomware: 'Ransomware',
  malware: 'Malware',
};

/** Phrases (lowercase, words separated by one space) that name an attack of each type. */
export const ATTACK_TERMS: Record<AttackType, string[]> = {
  ddos: ['ddos', 'denial of service', 'denial-of-service', 'dos attack', 'botnet', 'traffic flood', 'syn flood', 'amplification attack', 'takes down website', 'knocked offline', 'noname057', 'killnet', 'anonymous sudan', 'ddos攻撃', 'サービス妨害'],
  account_takeover: ['account takeover', 'account hijacking', 'hijacked account', 'credential stuffing', 'phishing', 'stolen credentials', 'compromised account', 'sim swap', 'business email compromise', 'session hijacking', 'brute force', 'password spraying', 'drainer', 'フィッシング', '乗っ取り', '不正ログイン'],
  targeted: ['targeted attack', 'apt', 'advanced persistent threat', 'cyber espionage', 'espionage', 'state-sponsored', 'nation-state', 'spear-phishing', 'spear phishing', 'lazarus', 'apt28', 'apt29', 'fancy bear', 'cozy bear', 'volt typhoon', 'salt typhoon', 'mustard tempest', 'kimsuky', '標的型攻撃', 'スパイ'],
  web_attack: ['sql injection', 'sqli', 'sql-injection', 'cross-site scripting', 'xss', 'web shell', 'webshell', 'defacement', 'defaced', 'remote code execution', 'rce', 'path traversal', 'injection', 'magecart', 'skimmer', 'zero-day', 'vulnerability', 'exploit', 'cve', 'moveit', 'sqlインジェクション', '改ざん', '脆弱性'],
  ransomware: ['ransomware', 'ransom', 'encrypted files', 'lockbit', 'alphv', 'blackcat', 'cl0p', 'clop', 'black basta', 'akira', 'play ransomware', 'royal', 'rhysida', 'medusa', 'ransomhub', 'qilin', 'extortion', 'double extortion', 'ランサムウェア', '身代金'],
  malware: ['malware', 'trojan', 'infostealer', 'stealer', 'backdoor', 'spyware', 'rat', 'worm', 'loader', 'botnet malware', 'supply chain attack', 'malicious package', 'keylogger', 'emotet', 'qakbot', 'redline', 'マルウェア', 'ウイルス', 'トロイの木馬'],
};

/** Threat actors and often-targeted organisations, as written (matched case-insensitively). */
export const ORGANISATIONS = [
  'Anonymous', 'Anonymous Sudan', 'NoName057(16)', 'Killnet', 'Lazarus', 'APT28', 'APT29', 'Sandworm', 'Volt Typhoon', 'Salt Typhoon', 'Kimsuky', 'Scattered Spider',
  'LockBit', 'ALPHV', 'BlackCat', 'Cl0p', 'Black Basta', 'Akira', 'Rhysida', 'Medusa', 'RansomHub', 'Qilin', 'Play', 'Royal', 'ShinyHunters', 'IntelBroker', 'Lapsus$',
  'Microsoft', 'Google', 'Apple', 'Amazon', 'Meta', 'Cisco', 'Fortinet', 'Citrix', 'Ivanti', 'Progress Software', 'MOVEit', 'VMware', 'Okta', 'Cloudflare', 'CrowdStrike',
  'Oracle', 'SAP', 'Atlassian', 'GitHub', 'OpenAI', 'Telegram', 'X', 'Twitter', 'TikTok', 'Binance', 'Coinbase', 'CISA', 'FBI', 'NCSC', 'Europol', 'NATO', 'JPCERT/CC', 'NISC',
];

/** Country names (and a few adjectives) → ISO 3166-1 alpha-2. */
export const COUNTRIES: Record<string, string> = {
  'united states': 'US', usa: 'US', 'u.s.': 'US', american: 'US', 'united kingdom': 'GB', uk: 'GB', britain: 'GB', british: 'GB', russia: 'RU', russian: 'RU',
  ukraine: 'UA', ukrainian: 'UA', china: 'CN', chinese: 'CN', japan: 'JP', japanese: 'JP', 'north korea': 'KP', 'south korea': 'KR', korea: 'KR', iran: 'IR', iranian: 'IR',
  israel: 'IL', israeli: 'IL', palestine: 'PS', india: 'IN', indian: 'IN', pakistan: 'PK', germany: 'DE', german: 'DE', france: 'FR', french: 'FR', italy: 'IT', italian: 'IT',
  spain: 'ES', poland: 'PL', polish: 'PL', netherlands: 'NL', dutch: 'NL', belgium: 'BE', sweden: 'SE', swedish: 'SE', finland: 'FI', norway: 'NO', denmark: 'DK',
  lithuania: 'LT', latvia: 'LV', estonia: 'EE', czech: 'CZ', romania: 'RO', moldova: 'MD', switzerland: 'CH', austria: 'AT', canada: 'CA', canadian: 'CA', mexico: 'MX',
  brazil: 'BR', argentina: 'AR', colombia: 'CO', australia: 'AU', australian: 'AU', 'new zealand': 'NZ', taiwan: 'TW', taiwanese: 'TW', vietnam: 'VN', indonesia: 'ID',
  philippines: 'PH', thailand: 'TH', malaysia: 'MY', singapore: 'SG', turkey: 'TR', 'saudi arabia': 'SA', egypt: 'EG', nigeria: 'NG', 'south africa': 'ZA', kenya: 'KE',
  cuba: 'CU', sudan: 'SD', bangladesh: 'BD', '日本': 'JP', '米国': 'US', 'アメリカ': 'US', '中国': 'CN', 'ロシア': 'RU', 'ウクライナ': 'UA', '北朝鮮': 'KP', '韓国': 'KR', '台湾': 'TW', 'イラン': 'IR',
};

/** Sector words → a sector name close to HACKMAGEDDON's target classes. */
export const SECTORS: Record<string, string> = {
  government: 'public administration', ministry: 'public administration', municipality: 'public administration', parliament: 'public administration', city: 'public administration',
  hospital: 'health', healthcare: 'health', health: 'health', clinic: 'health', pharmaceutical: 'health', bank: 'finance', banks: 'finance', banking: 'finance', insurance: 'finance',
  financial: 'finance', fintech: 'fintech', crypto: 'fintech', exchange: 'fintech', defi: 'fintech', blockchain: 'fintech', university: 'education', school: 'education',
  education: 'education', energy: 'energy', oil: 'energy', gas: 'energy', utility: 'energy', power: 'energy', airline: 'transportation', airport: 'transportation', railway: 'transportation',
  port: 'transportation', logistics: 'transportation', telecom: 'telecommunications', telecommunications: 'telecommunications', isp: 'telecommunications', retail: 'retail',
  'e-commerce': 'retail', manufacturing: 'manufacturing', automotive: 'manufacturing', military: 'defence', defense: 'defence', defence: 'defence', media: 'media', news: 'media',
  gaming: 'entertainment', '政府': 'public administration', '病院': 'health', '銀行': 'finance', '大学': 'education', '自治体': 'public administration',
};
