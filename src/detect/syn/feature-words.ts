/**
 * The SYN model's inputs in an operator's words, for a finding's "what weighed most": the image's
 * columns, the window statistics and the fingerprint tokens. Findings said "mattered most: dport bit
 * 14, gap cv, seq^dst" (a UX review: model language); the explanation's detail keeps the names.
 */
const WORDS: Readonly<Record<string, string>> = {
  present: 'SYN count', gap: 'timing', window: 'TCP window size', 'log window': 'TCP window size', ttl: 'TTL',
  'ip id': 'IP ID', 'ip id step': 'IP ID', seq: 'sequence numbers', 'seq^dst': 'sequence numbers tied to the target',
  'seq step': 'sequence numbers', 'ipid^(dst^dport^seq)': 'IP ID tied to the target (masscan)', dport: 'destination ports',
  'new dport': 'ports tried', 'new dst': 'hosts tried', 'sport step': 'source ports', mss: 'TCP options', wscale: 'TCP options',
  sack: 'TCP options', timestamp: 'TCP options', 'option count': 'TCP options', length: 'packet length',
  'same dst': 'hosts tried', 'same dport': 'ports tried',
  'window fill': 'SYN count', 'window duration': 'timing', 'window rate': 'SYN rate', 'median gap': 'timing',
  'gap cv': 'timing regularity', 'gaps <10ms': 'timing', 'distinct dports': 'ports tried', 'distinct dsts': 'hosts tried',
  'host syns': 'SYN count', 'host dports': 'ports tried', 'host dsts': 'hosts tried', 'host duration': 'timing',
  'host rate': 'SYN rate', 'same window value': 'TCP window size', 'dport entropy': 'ports tried', 'dports <1024': 'ports tried',
};

/** One input's words: a column or statistic by the table above, a port or bit column by its field, a token as a fingerprint. */
export function featureWords(name: string, token = false): string {
  if (token) return `fingerprint ${name}`;
  if (name.startsWith('dport bit')) return 'destination ports';
  if (name.startsWith('gap bit')) return 'timing';
  if (name.startsWith('window bit')) return 'TCP window size';
  if (name.startsWith('seq bit')) return 'sequence numbers';
  return WORDS[name] ?? name;
}

/** The `n` inputs that weighed most, in words, each said once (the weights by magnitude). */
export function weighedMost(ex: { stats: readonly Weighted[]; fields: readonly Weighted[]; tokens: readonly Weighted[] }, n = 3): string {
  const all = [...ex.stats.map((x) => ({ x, token: false })), ...ex.fields.map((x) => ({ x, token: false })), ...ex.tokens.map((x) => ({ x, token: true }))];
  all.sort((a, b) => Math.abs(b.x.weight) - Math.abs(a.x.weight));
  const words: string[] = [];
  for (const { x, token } of all) {
    if (words.length >= n) break;
    const w = featureWords(x.name, token);
    if (!words.includes(w)) words.push(w);
  }
  return words.join(', ');
}

interface Weighted {
  name: string;
  weight: number;
}
