/** The synthetic generator's port knowledge: the real tools' ports by default, neutral ones on request, nothing else changed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSynthetic, P2P_PORTS, WORM_PORTS } from './synth.js';

const ports = (hosts: ReturnType<typeof generateSynthetic>, tool: string): Set<number> => new Set(hosts.filter((h) => h.tool === tool).flatMap((h) => h.syns.map((s) => s.dport)));

describe('synthetic SYN generator', () => {
  it('uses the real worm and P2P ports by default, and the neutral ones when asked', () => {
    const real = generateSynthetic(5, 4);
    assert.deepEqual(generateSynthetic(5, 4, undefined, 'real'), real, "'real' is the default");
    const neutral = generateSynthetic(5, 4, undefined, 'neutral');
    for (const p of ports(real, 'worm')) assert.ok(WORM_PORTS.real.includes(p), `worm port ${p}`);
    for (const p of ports(neutral, 'worm')) assert.ok(WORM_PORTS.neutral.includes(p), `neutral worm port ${p}`);
    const known = (hs: typeof real, k: 'real' | 'neutral'): number => [...ports(hs, 'benign-p2p')].filter((p) => P2P_PORTS[k].includes(p)).length;
    assert.ok(known(real, 'real') > 0 && known(neutral, 'real') === 0 && known(neutral, 'neutral') > 0);
    // every other profile is drawn the same way
    const others = (hs: typeof real) => hs.filter((h) => h.tool !== 'worm' && h.tool !== 'benign-p2p').map((h) => h.syns.length);
    assert.deepEqual(others(neutral), others(real));
  });
});
