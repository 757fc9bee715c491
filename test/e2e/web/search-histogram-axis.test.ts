/**
 * The search histogram's count axis: a count is a whole number, so its ticks are too. A search of one
 * match (or none) labelled the axis 0, 0.5, 1 (an operator's walk through the demo): half a match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, apiGet, sendSyslog, skipReason, loggedInUi, until, untilInPage } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const MARKER = `histaxis${process.pid}`;

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await sendSyslog(ui.srv.tcpPort, [`<38>1 ${new Date().toISOString()} web-01 sshd 1 - - ${MARKER} one line`]);
  await until(async () => (await apiGet<{ count: number }>(ui.srv, `/api/count?q=${MARKER}`)).body.count === 1, 'the line stored');
  // the axis is drawn on a canvas: its labels are read from the 2D context's fillText calls, with the
  // alignment they were drawn in (uPlot centres the time axis's labels under their ticks)
  await page.addInitScript(`(() => {
    const fill = CanvasRenderingContext2D.prototype.fillText;
    window.__drawn = [];
    CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
      window.__drawn.push({ text: String(text), align: this.textAlign });
      return fill.call(this, text, ...rest);
    };
  })()`);
});

/**
 * The count-axis labels drawn for `q` over the last 15 minutes. The time axis's labels are told apart
 * by their centred alignment, not by their text: within 15 minutes of midnight the time axis labels
 * the new day '12-07', which a filter on the colon of '00:05' took for a count (CI failed so at 00:0x).
 */
async function countLabels(q: string): Promise<string[]> {
  const page = ui.page;
  await page.goto(`${ui.srv.base}/search?from=-15m&q=${encodeURIComponent(q)}`);
  const histogram = page.getByRole('region', { name: 'Matches over time' });
  await histogram.waitFor();
  await untilInPage(page, 'window.__drawn.length > 0 && new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
  await histogram.screenshot({ path: join(ARTIFACTS, `search-histogram-axis-${q === MARKER ? 'one' : 'none'}.png`) });
  const drawn = await page.evaluate<{ text: string; align: string }[]>('window.__drawn.splice(0)');
  assert.ok(drawn.some((d) => d.align === 'center' && d.text.includes(':')), `the time axis drawn centred: ${JSON.stringify(drawn)}`);
  return [...new Set(drawn.filter((d) => d.align !== 'center').map((d) => d.text))];
}

test('a search of one match labels its count axis in whole numbers', { skip }, async () => {
  const labels = await countLabels(MARKER);
  assert.ok(labels.includes('1'), `a tick at 1: ${labels.join(', ')}`);
  assert.deepEqual(labels.filter((t) => !/^\d+k?$/.test(t)), [], 'no fractional count');
});

test('a search of no match labels its count axis in whole numbers', { skip }, async () => {
  const labels = await countLabels(`${MARKER}nothing`);
  assert.deepEqual(labels.filter((t) => !/^\d+k?$/.test(t)), [], `no fractional count: ${labels.join(', ')}`);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
