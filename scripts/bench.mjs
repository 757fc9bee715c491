// `npm run bench [-- AREA...]`: runs the benchmarks of each area, one process each, in this order.
// `log` is the log engine (compiled, dist/bench/run.js: ingest and search over 10M lines against
// ripgrep); `web` needs the store `log` leaves in bench/corpus/data-bulk. The others are standalone.
// `url` and `syn` run compiled, as the product runs (`nml` is dist/): under tsx the SYN extraction measured
// about 4× slower (1.5–1.8M against 6.8–7.3M SYNs/s, same run, 2026-11-29). The rest run from source with tsx. Each writes bench/results/<date>-<area>.{md,json}. Sizes and corpora are
// set by environment variables documented at the top of each bench file.
import { spawnSync } from 'node:child_process';

const AREAS = {
  log: ['dist/bench/run.js'],
  web: ['--import', 'tsx', 'bench/web.ts'],
  url: ['dist/bench/url.js'],
  syn: ['dist/bench/syn.js'],
  investigate: ['--import', 'tsx', 'bench/investigate.ts'],
  // the Investigate page in headless Chromium (the web bundle `npm run bench` builds): one expansion to 400–2,000 edges
  'investigate-graph': ['--import', 'tsx', 'bench/investigate-graph.ts'],
  assist: ['--import', 'tsx', 'bench/assist.ts'],
  trends: ['--import', 'tsx', 'bench/trends.ts'],
};

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(a in AREAS));
if (unknown.length > 0) {
  console.error(`bench: unknown area ${unknown.join(', ')}; choose from ${Object.keys(AREAS).join(', ')}`);
  process.exit(2);
}
const areas = asked.length > 0 ? asked : Object.keys(AREAS);
const failed = [];
for (const area of areas) {
  console.error(`bench: ${area}`);
  const r = spawnSync(process.execPath, AREAS[area], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(area);
}
if (failed.length > 0) {
  console.error(`bench: failed: ${failed.join(', ')}`);
  process.exit(1);
}
