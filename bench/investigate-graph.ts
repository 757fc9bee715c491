/**
 * Investigate's relation graph in the browser (standalone: `node --import tsx bench/investigate-graph.ts`):
 * a played pivot of 100 edges (a busy host: 60 flows, 40 names), then one expansion of one of its
 * neighbours (a resolver: names it answered, the hub's other neighbours that asked it, clients) to about
 * 400, 1,000 and 2,000 edges, each in a fresh page. Timed from the click on the node panel's Expand to the head line
 * naming the new count and a frame drawn after it (wall clock, from here); with INVESTIGATE_GRAPH_PROFILE=1
 * also the CDP sampling profiler over the expansion, its top self times by function (build the web bundle
 * with `vite build --minify false` for readable names).
 * Writes bench/results/<date>-investigate-graph.md and .json. Env: INVESTIGATE_GRAPH_SIZES (default
 * 400,1000,2000), INVESTIGATE_GRAPH_RUNS (default 3; the median is reported).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeMachine } from './machine.js';
import { median } from './timing.js';
import { repoRoot } from './root.js';
import { closeUi, logIn, openUi } from '../test/e2e/web/browser.js';
import { busyHostAnswer, BUSY_HUB, expandedOf } from '../test/e2e/web/pivot-busy.js';
import { openPlayedPivot } from '../test/e2e/web/pivot-answer.js';

const ROOT = repoRoot(import.meta.url);
const SIZES = (process.env.INVESTIGATE_GRAPH_SIZES ?? '400,1000,2000').split(',').map(Number);
const RUNS = Number(process.env.INVESTIGATE_GRAPH_RUNS ?? 3);
const PROFILE = process.env.INVESTIGATE_GRAPH_PROFILE === '1';
const NOW = Date.now();

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** Self time per function (ms), the largest first. */
function selfTimes(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top: number): { fn: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
    ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...ms].map(([fn, t]) => ({ fn, ms: Math.round(t) })).sort((a, b) => b.ms - a.ms).slice(0, top);
}

/** Time (ms) inside each of `names` (self and callees, a recursion counted once), and the whole profile's. */
function inclusiveTimes(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, names: readonly string[]): Record<string, number> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out: Record<string, number> = { total: 0 };
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    out.total! += dt;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = byId.get(at)!.callFrame.functionName;
      if (names.includes(fn) && !seen.has(fn)) {
        seen.add(fn);
        out[fn] = (out[fn] ?? 0) + dt;
      }
    }
  });
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]!);
  return out;
}

/** Of the samples inside `under`, time by the function it called that they were in (ms), the largest first. */
function calleesOf(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, under: string): { fn: string; ms: number }[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    let child: number | null = null;
    for (let at: number | undefined = id; at !== undefined; child = at, at = parent.get(at)) {
      if (byId.get(at)!.callFrame.functionName !== under) continue;
      const f = child === null ? byId.get(at)!.callFrame : byId.get(child)!.callFrame;
      const key = child === null ? '(self)' : `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`;
      ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      break;
    }
  });
  return [...ms].map(([fn, t]) => ({ fn, ms: Math.round(t) })).sort((a, b) => b.ms - a.ms).slice(0, 8);
}

/** Of the samples in `leaf` (its own time), time by the stack above it, 4 frames deep (ms), the largest first. */
function callersOf(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, leaf: string): { fn: string; ms: number }[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName !== leaf) return;
    const stack: string[] = [];
    for (let at = parent.get(id); at !== undefined && stack.length < 9; at = parent.get(at)) stack.push(`${byId.get(at)!.callFrame.functionName || '(anonymous)'}:${byId.get(at)!.callFrame.lineNumber + 1}`);
    const key = stack.join(' < ');
    ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...ms].map(([fn, t]) => ({ fn, ms: Math.round(t) })).sort((a, b) => b.ms - a.ms).slice(0, 6);
}

/** Functions of the page whose time (callees included) the profile reports. */
const WATCHED = ['syncElements', 'relationRows', 'layoutWhole', 'placeAll', 'fitReadable', 'mergePivot', 'elements', 'placeFresh', 'placeBeside', 'placeDisc', 'placeEdgeLabels', 'edgeLabelSpot', 'layoutWhole', 'showReadable', 'NodePanel', 'PivotGraph', 'flushMutationEffects', 'flushPassiveEffects', 'performWorkOnRoot', 'renderRootSync', 'batch', 'union', 'add', 'render', 'redraw'];

/** One expansion to `edges` edges in a fresh page: ms from the dbltap to the count shown and a frame after it. */
async function once(page: Page, base: string, edges: number): Promise<{ ms: number; cpuMs: number; drawn: { nodes: number; edges: number }; profile?: { fn: string; ms: number }[] }> {
  await page.unrouteAll();
  await page.goto(base + '/search');
  const { answer, total } = expandedOf(edges, NOW);
  await openPlayedPivot(page, BUSY_HUB, NOW, answer);
  const head = page.locator('section[aria-label="Relation graph"] .panel-head');
  await head.filter({ hasText: ' 100 relations' }).waitFor();
  // the main thread's CPU time (ThreadTime) beside the wall clock: the machine is shared, and the wall clock waits for it
  const metrics = await page.context().newCDPSession(page);
  await metrics.send('Performance.enable');
  const threadTime = async () => ((await metrics.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
  const cpu0 = await threadTime();
  const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp !== null) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // selected as a tap does, then the panel's Expand button clicked as an operator would (`void`: emit answers
  // the element, and Playwright serialising it with the whole Cytoscape instance took seconds, and at 2,000
  // edges the tab's memory)
  await page.evaluate(`void document.querySelector('.pivot-graph')._cyreg.cy.getElementById(${JSON.stringify(busyHostAnswer.expanded)}).emit('tap')`);
  const button = page.locator('.node-panel').getByRole('button', { name: 'Expand', exact: true });
  await page.locator('.node-panel h2').filter({ hasText: busyHostAnswer.expanded }).waitFor();
  const t0 = Date.now();
  await button.click();
  await head.filter({ hasText: ` ${total} relations` }).waitFor({ timeout: 120_000 });
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  const ms = Date.now() - t0;
  const cpuMs = Math.round((await threadTime()) - cpu0);
  await metrics.detach();
  let profile: { fn: string; ms: number }[] | undefined;
  if (cdp !== null) {
    const { profile: p } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    profile = selfTimes(p, 15);
    console.error(`  inclusive: ${JSON.stringify(inclusiveTimes(p, WATCHED))}`);
    for (const fn of (process.env.INVESTIGATE_GRAPH_CALLERS ?? '').split(',').filter((f) => f !== '')) console.error(`  callers of ${fn}: ${JSON.stringify(callersOf(p, fn))}`);
    for (const fn of (process.env.INVESTIGATE_GRAPH_UNDER ?? '').split(',').filter((f) => f !== '')) console.error(`  under ${fn}: ${JSON.stringify(calleesOf(p, fn))}`);
    await cdp.detach();
  }
  const drawn = await page.evaluate<{ nodes: number; edges: number }>(`(() => { const cy = document.querySelector('.pivot-graph')._cyreg.cy; return { nodes: cy.nodes().length, edges: cy.edges().length }; })()`);
  return { ms, cpuMs, drawn, ...(profile === undefined ? {} : { profile }) };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const problems: string[] = [];
  const { srv, browser, page } = await openUi(problems);
  const rows: { edges: number; ms: number; runs: number[]; cpuMs: number; cpuRuns: number[]; drawn: { nodes: number; edges: number }; profile?: { fn: string; ms: number }[] }[] = [];
  try {
    await logIn(page, srv, '/search');
    await page.getByLabel('Search query').waitFor();
    for (const edges of SIZES) {
      const runs: number[] = [];
      const cpuRuns: number[] = [];
      let last: Awaited<ReturnType<typeof once>> | null = null;
      for (let i = 0; i < RUNS; i++) {
        last = await once(page, srv.base, edges);
        runs.push(last.ms);
        cpuRuns.push(last.cpuMs);
        console.error(`investigate-graph: ${edges} edges: ${last.ms} ms, main thread CPU ${last.cpuMs} ms (drawn ${last.drawn.nodes} nodes, ${last.drawn.edges} edges)`);
        if (last.profile !== undefined) for (const p of last.profile) console.error(`  ${String(p.ms).padStart(6)} ms  ${p.fn}`);
      }
      rows.push({ edges, ms: median(runs), runs, cpuMs: median(cpuRuns), cpuRuns, drawn: last!.drawn, ...(last?.profile === undefined ? {} : { profile: last.profile }) });
    }
  } finally {
    await closeUi(browser, srv);
  }
  if (problems.length > 0) console.error(`investigate-graph: page problems: ${problems.join('; ')}`);
  const date = new Date().toISOString().slice(0, 10);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${date}-investigate-graph.json`), JSON.stringify({ machine, runs: RUNS, rows }, null, 2) + '\n');
  const md = [
    `# Investigate graph: one expansion from a 100-edge pivot (${date})`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.os}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}; headless Chromium (/usr/bin/chromium, --disable-gpu), 1280×860.`,
    '',
    '| edges after | nodes drawn | edges drawn | median ms (Expand clicked → count shown and a frame) | runs | median main-thread CPU ms | runs |',
    '| ---: | ---: | ---: | ---: | --- | ---: | --- |',
    ...rows.map((r) => `| ${r.edges} | ${r.drawn.nodes} | ${r.drawn.edges} | ${r.ms} | ${r.runs.join(', ')} | ${r.cpuMs} | ${r.cpuRuns.join(', ')} |`),
    '',
  ];
  writeFileSync(join(dir, `${date}-investigate-graph.md`), md.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
