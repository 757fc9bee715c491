/** The synthetic generator: port knowledge (the real tools' ports by default, neutral ones on request, nothing else changed), stack knowledge, and the nmap -O probes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { synsFromBuffer } from './read.js';
import { generateSynthetic, IPV6_SHARE, P2P_PORTS, WORM_PORTS } from './synth.js';
import { toIpv6 } from './synth-stacks.js';

const ports = (hosts: ReturnType<typeof generateSynthetic>, tool: string): Set<number> => new Set(hosts.filter((h) => h.tool === tool).flatMap((h) => h.syns.map((s) => s.dport)));

describe('synthetic SYN generator', () => {
  it("gives every host's SYNs in time order, as a capture does (retransmissions included), so that order tells nothing of the label", () => {
    for (const h of generateSynthetic(1, 8)) {
      for (let i = 1; i < h.syns.length; i++) assert.ok(h.syns[i]!.t >= h.syns[i - 1]!.t, `${h.tool} ${h.ip}: SYN ${i} before SYN ${i - 1}`);
    }
  });

  it("keeps Windows XP's stack to the worms by default, and shares it with the benign profiles when asked", () => {
    const xp = (h: ReturnType<typeof generateSynthetic>[number]): boolean => h.syns[0]!.opts === 'MNNS' && h.syns[0]!.win === 64240;
    const real = generateSynthetic(1001, 8);
    const shared = generateSynthetic(1001, 8, undefined, 'real', 'shared');
    assert.equal(real.filter((h) => h.label === 0 && xp(h)).length, 0);
    assert.ok(real.some((h) => h.tool === 'worm' && xp(h)));
    const benignXp = shared.filter((h) => h.label === 0 && xp(h));
    assert.ok(benignXp.length >= 5, `${benignXp.length} benign hosts on the XP stack`);
    assert.ok(benignXp.every((h) => ['benign-browsing', 'benign-busy-client', 'benign-p2p'].includes(h.tool)), [...new Set(benignXp.map((h) => h.tool))].join());
    // the same profiles in the same numbers (one seeded stream: the hosts after a changed stack are other draws)
    const tools = (hs: typeof real): string[] => hs.map((h) => h.tool);
    assert.deepEqual(tools(shared), tools(real));
  });

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

  it('worm hosts try up to three backdoor ports in turn, as the real 2004 probes do, and cover the list between them', () => {
    for (const k of ['real', 'neutral'] as const) {
      const worms = generateSynthetic(1, 8, undefined, k).filter((h) => h.tool === 'worm');
      const per = worms.map((h) => [...new Set(h.syns.map((s) => s.dport))]);
      assert.ok(per.every((ps) => ps.length >= 1 && ps.length <= 3 && ps.every((p) => WORM_PORTS[k].includes(p))), JSON.stringify(per));
      assert.ok(per.some((ps) => ps.length > 1), 'some hosts try several ports');
      // eight hosts reach at least seven of the eleven ports (one port each reached five)
      assert.ok(new Set(per.flat()).size >= 7, JSON.stringify(per));
      // in turn: the n-th connection goes to the n-th port
      const multi = worms.find((h) => new Set(h.syns.map((s) => s.dport)).size > 1 && h.syns.length > 20)!;
      const byConn = [...new Map(multi.syns.map((s) => [s.sport, s.dport])).values()];
      assert.deepEqual(byConn.slice(0, 6), [0, 1, 2, 3, 4, 5].map((i) => byConn[i % new Set(byConn).size]));
    }
  });

  it('nmap -O hosts send the six sequence probes in order, the ECN, T3 and T5 probes, each with its own TTL', () => {
    const os = generateSynthetic(5, 4).filter((h) => h.tool === 'nmap-O');
    assert.equal(os.length, 4);
    for (const h of os) {
      const wins = h.syns.map((s) => s.win).join(',');
      assert.match(wins, /1,63,4,4,16,512,3,256,31337/, wins);
      const probes = h.syns.filter((s) => [1, 63, 16, 512].includes(s.win));
      assert.ok(new Set(probes.map((s) => s.ttl)).size > 1, 'random TTL per probe');
      assert.equal(h.label, 1);
    }
  });

  it('sends a share of the hosts of every profile but Mirai over IPv6, as the reader decodes them', () => {
    const hosts = generateSynthetic(7, 10);
    const v6 = hosts.filter((h) => h.syns[0]!.v === 6);
    assert.ok(Math.abs(v6.length / hosts.length - IPV6_SHARE) < 0.08, `${v6.length} of ${hosts.length} over IPv6`);
    assert.ok(v6.every((h) => h.tool !== 'mirai' && h.syns.every((s) => s.v === 6 && s.ipid === 0 && s.src.includes(':'))));
    assert.ok(new Set(v6.map((h) => h.tool)).size >= 8, 'benign and malicious profiles alike');
    // a converted SYN written as a packet and read back is the same SYN
    const s = toIpv6(hosts.find((h) => h.syns[0]!.v === 4 && h.syns[0]!.mss > 0)!.syns[0]!);
    const back = synsFromBuffer(writePcap([{ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) }], { linktype: LINKTYPE.ETHERNET })).syns[0]!;
    for (const k of ['v', 'src', 'dst', 'src4', 'dst4', 'ipid', 'ttl', 'win', 'seq', 'mss', 'ws', 'opts', 'len'] as const) assert.equal(back[k], s[k], k);
  });
});
