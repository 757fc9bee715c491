/**
 * The Alerts page's assign pickers and who may be assigned findings (`GET /api/findings/assignees`): the
 * names are read once and kept for the page's life, not at every opening; read again when a minute old
 * (the page's clock is the test's) or after a read that failed; and forgotten when a user is removed on
 * Account › Users, so the next picker never offers the user removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { USER, skipReason, loggedInUi, until } from './browser.js';
import { openAlertsOn, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const FINDINGS = [1, 2].map((id) => playedSynFinding(id, NOW - id * 60_000, { status: 'open', note: '', by: null, at: null, assignee: null, assignedAt: null }));
/** who the played server lets be assigned findings; carol goes when she is removed */
let assignees = ['carol', 'night-shift-lead', USER];
/** how many times the page asked for them */
let reads = 0;
/** the next read fails */
let failNext = false;
/** while set, reads are answered only once it settles (what the picker shows meanwhile) */
let held: Promise<void> | null = null;
/** Holds the reads until the function returned is called. */
function holdReads(): () => void {
  let release!: () => void;
  held = new Promise((r) => (release = r));
  return () => {
    held = null;
    release();
  };
}
/** the Users panel's played users (the page's own removal sends DELETE) */
const USERS = [USER, 'carol', 'night-shift-lead'].map((name) => ({ name, role: name === USER ? 'admin' : 'analyst', created: NOW - 86_400_000, updated: NOW - 86_400_000 }));

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.clock.install();
  await page.route(
    (u) => u.pathname === '/api/findings/assignees',
    async (r) => {
      reads += 1;
      if (held !== null) await held;
      if (failNext) {
        failNext = false;
        return r.fulfill({ status: 503, json: { error: { code: 'BUSY', message: 'busy' } } });
      }
      return r.fulfill({ json: { assignees } });
    },
  );
  await page.route(
    (u) => u.pathname === '/api/users' || u.pathname.startsWith('/api/users/'),
    (r) => {
      const name = decodeURIComponent(new URL(r.request().url()).pathname.split('/')[3] ?? '');
      if (r.request().method() === 'DELETE') {
        USERS.splice(USERS.findIndex((u) => u.name === name), 1);
        assignees = assignees.filter((a) => a !== name);
        return r.fulfill({ status: 204 });
      }
      return r.fulfill({ json: { users: USERS } });
    },
  );
  await openAlertsOn(page, FINDINGS);
});

const pickerOf = (id: number) => ui.page.locator(`tr[data-finding="${id}"]`).getByRole('button', { name: `Assign finding ${id}` });
const popOf = (id: number) => ui.page.locator(`tr[data-finding="${id}"]`).getByRole('group', { name: `Assign finding ${id}` });

/** Opens finding `id`'s picker until its names are shown; the names offered; closes it again. */
async function offered(id: number, waitFor = 'night-shift-lead'): Promise<string[]> {
  await pickerOf(id).click();
  await popOf(id).getByRole('button', { name: waitFor }).waitFor();
  const names = await popOf(id).getByRole('button').allTextContents();
  await ui.page.keyboard.press('Escape');
  await popOf(id).waitFor({ state: 'detached' });
  return names;
}

test('the names are read at the first opening and kept: other pickers and later openings ask nothing', { skip }, async () => {
  assert.equal(reads, 0, 'nothing read before a picker opens');
  assert.deepEqual(await offered(1), [`me (${USER})`, 'carol', 'night-shift-lead']);
  assert.equal(reads, 1);
  assert.deepEqual(await offered(2), [`me (${USER})`, 'carol', 'night-shift-lead']);
  assert.deepEqual(await offered(1), [`me (${USER})`, 'carol', 'night-shift-lead']);
  assert.equal(reads, 1, 'no second read within the minute');
});

test('a minute later the next opening reads them again; a read that failed is tried again at the next opening', { skip }, async () => {
  const page = ui.page;
  assignees = [...assignees, 'dave'];
  await page.clock.fastForward(61_000);
  // the names kept are shown at once while the new ones are read
  const release = holdReads();
  await pickerOf(1).click();
  await until(async () => reads === 2, 'the second read');
  assert.deepEqual(await popOf(1).getByRole('button').allTextContents(), [`me (${USER})`, 'carol', 'night-shift-lead']);
  release();
  await popOf(1).getByRole('button', { name: 'dave' }).waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(await offered(1, 'dave'), [`me (${USER})`, 'carol', 'night-shift-lead', 'dave']);
  assert.deepEqual(await offered(2, 'dave'), [`me (${USER})`, 'carol', 'night-shift-lead', 'dave']);
  assert.equal(reads, 2, 'fresh again');

  await page.clock.fastForward(61_000);
  failNext = true;
  await pickerOf(1).click();
  await until(async () => reads === 3, 'the failed read');
  await page.keyboard.press('Escape');
  assert.deepEqual(await offered(1, 'dave'), [`me (${USER})`, 'carol', 'night-shift-lead', 'dave']);
  assert.equal(reads, 4, 'the failure kept nothing fresh: read again');
});

test('a user removed on Account › Users is not offered by the next picker: the names are read anew, the old ones never shown', { skip }, async () => {
  const page = ui.page;
  await page.getByRole('button', { name: `User menu for ${USER}` }).click();
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('button', { name: 'Delete carol' }).click();
  await page.getByRole('button', { name: 'Yes, delete carol' }).click();
  await page.getByText('Deleted carol; their sessions have ended.').waitFor();
  const before = reads;
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Alerts' }).click();
  const release = holdReads();
  await pickerOf(1).click();
  await until(async () => reads === before + 1, 'the read after the removal');
  // while it is read: no names kept, so none of the old ones
  assert.deepEqual(await popOf(1).getByRole('button').allTextContents(), [`me (${USER})`]);
  assert.equal(await popOf(1).locator('.assign-pop-note').textContent(), 'reading the users…');
  release();
  await popOf(1).getByRole('button', { name: 'night-shift-lead' }).waitFor();
  assert.deepEqual(await popOf(1).getByRole('button').allTextContents(), [`me (${USER})`, 'night-shift-lead', 'dave']);
  assert.equal(reads, before + 1);
  await page.keyboard.press('Escape');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
