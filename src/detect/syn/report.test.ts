import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScoredHost } from './evaluate.js';
import { ensembleHosts, foundAtOnePercent, foundInterval, packetSeedTable, scannerTable, seedTable } from './report.js';

function host(label: 0 | 1, cnnRun: number, i: number, noOptions = false): ScoredHost {
  return {
    capture: 'c',
    ip: `10.0.0.${i}`,
    label,
    category: label === 1 ? 'scan' : 'client',
    flood: false,
    packets: 1,
    cnn: cnnRun,
    cnnRun,
    count: i % 3,
    ports: 1,
    rules: 0,
    packetScores: [cnnRun],
    noOptions,
  };
}

/** 200 benign hosts scoring 0.000…0.199 (the two highest: 0.199 and 0.198) and malicious hosts with the given scores. */
function run(malicious: number[]): ScoredHost[] {
  return [...Array.from({ length: 200 }, (_, i) => host(0, i / 1000, i)), ...malicious.map((s, i) => host(1, s, 300 + i))];
}

describe('SYN report', () => {
  it('counts malicious hosts above the score that flags at most 1% of benign hosts', () => {
    // 1% of 200 benign = 2 may be flagged: the threshold is the third highest benign score, 0.197
    const hs = run([0.9, 0.198, 0.197, 0.1]);
    assert.equal(foundAtOnePercent(hs, 'cnnRun'), 2);
    assert.match(scannerTable(hs), /CNN \(shipped\) 2\/4/);
  });

  it("bootstraps the found count over hosts: a point where the classes do not overlap, a spread around the count where they do", () => {
    const apart = run([0.9, 0.8, 0.7]);
    assert.deepEqual(foundInterval(apart, 'cnnRun'), [3, 3]);
    // half the malicious hosts sit among the top benign scores: resamples move the line across them
    const mixed = run([0.9, 0.9, 0.9, 0.9, 0.199, 0.198, 0.197, 0.196]);
    const found = foundAtOnePercent(mixed, 'cnnRun');
    const [lo, hi] = foundInterval(mixed, 'cnnRun');
    assert.ok(lo <= found && found <= hi, `${lo}–${hi} around ${found}`);
    assert.ok(hi - lo >= 2, `${lo}–${hi}`);
    assert.deepEqual(foundInterval(mixed, 'cnnRun'), [lo, hi], 'seeded: the same every time');
  });

  it('reports every training seed and the median with its range', () => {
    const table = seedTable([
      { seed: 1, hosts: run([0.9, 0.8, 0.05]) },
      { seed: 2, hosts: run([0.9, 0.1, 0.05]) },
      { seed: 3, hosts: run([0.9, 0.8, 0.7]) },
    ]);
    const rows = table.split('\n');
    assert.match(rows[2]!, /^\| 1 \| .* \| 2 \|/);
    assert.match(rows[3]!, /^\| 2 \| .* \| 1 \|/);
    assert.match(rows[4]!, /^\| 3 \| 1\.000 \| 1\.000 \| 3 \|/);
    // found: 2, 1, 3 → median 2, range 1–3
    assert.match(rows[5]!, /\*\*median \(min–max\)\*\* \| .* \| 2 \(1–3\) \|/);
    // the ensemble averages each host over the runs: 0.9, 0.567, 0.267 all clear the benign line 0.197
    assert.match(rows[6]!, /^\| mean of the 3 runs' scores \(an ensemble; not shipped\) \| 1\.000 \| 1\.000 \| 3 \|/);
    assert.match(table, /Of 3 malicious hosts/);
    // 600 benign scores (each of 0.000…0.199 three times): 1% = 6 may be flagged, so the seventh highest, 0.197
    assert.match(table, /all 3 runs pooled: 0\.197 /);
  });

  it('an ensemble matches hosts by capture and address, whatever their order in each run', () => {
    const a = run([0.9, 0.1]);
    const b = [...run([0.5, 0.3])].reverse();
    const e = ensembleHosts([{ hosts: a }, { hosts: b }]);
    assert.equal(e.length, a.length);
    assert.deepEqual(e.slice(-2).map((h) => Math.round(h.cnnRun * 1000) / 1000), [0.7, 0.2]);
    assert.equal(e[5]!.cnnRun, 0.005);
  });

  it('also sets the 1% line on the benign hosts that send TCP options, and says how many do not', () => {
    // the three highest benign hosts (0.199, 0.198, 0.197) send no options: on the other 197, 1% = 1 may be flagged, so the line is 0.195
    const hs = run([0.9, 0.198, 0.197, 0.1]).map((h) => (h.label === 0 && h.cnnRun >= 0.197 ? { ...h, noOptions: true } : h));
    assert.equal(foundAtOnePercent(hs, 'cnnRun'), 2);
    const rows = seedTable([{ seed: 1, hosts: hs }]).split('\n');
    assert.match(rows[2]!, /^\| 1 \| [\d.]+ \| [\d.]+ \| 2 \| 3 \|/);
    assert.match(rows.join('\n'), /3 of the 200 benign hosts send SYNs without any TCP option/);
  });

  it('reports per-packet ROC-AUC per seed, also with the option-less benign hosts left out', () => {
    const h = (label: 0 | 1, scores: number[], noOptions = false): ScoredHost => ({ ...host(label, scores.reduce((a, b) => a + b, 0) / scores.length, 0, noOptions), packetScores: scores, packets: scores.length, count: scores.length });
    // a crafted benign host outscores every malicious packet; without it the ranking is perfect
    const hosts = [h(1, [0.9, 0.95, 0.8]), h(1, [0.7, 0.85]), h(0, [0.1, 0.2, 0.3]), h(0, [0.99, 0.99], true)];
    const rows = packetSeedTable([{ seed: 4, hosts }]).split('\n');
    const cells = rows[2]!.split('|').map((c) => c.trim());
    assert.equal(cells[1], '4');
    assert.ok(Number(cells[2]) < 1 && Number(cells[3]) < 1, rows[2]);
    assert.equal(cells[4], '1.000 / 1.000');
    assert.match(rows[3]!, /^\| \*\*median \(min–max\)\*\* \| /);
    assert.match(rows[4]!, /^\| SYN count \(no training\) \| so far /);
  });
});
