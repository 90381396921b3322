// PROVES (issue 4, "done means", in real headless Chromium against `mandala serve`): two camps
//         edit the same field while apart; after a sync both consoles show the same shown value
//         and the same open conflict in Records, and the open concurrent_write on the conflict
//         timeline, whose events (both writes, by name) open on click. An edit in one console
//         settles it, and both consoles then show it settled. On Evidence, a report made in
//         console A is listed, verifies valid, compares against a later one, exports as a JSON
//         file whose body_hash is the listed one, and fails as INVALID (body_hash_mismatch) once
//         that file is tampered with; node B lists the replicated report as not its own and
//         verifies it valid; a node lacking the events says it cannot verify (never invalid).
//         No console makes a request beyond its node or throws. Screenshots in test-artifacts/.
// CATCHES: conflicts one console shows and the other does not, a settle that does not reach the
//          other console, timeline entries with no events behind them, reports that do not
//          replicate or verify, exports that are not the report, "cannot verify" shown as invalid.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole, type ConsolePage } from '../support/console-page';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const OPEN_WRITE = '[data-testid="conflict-entry"][data-kind="concurrent_write"][data-status="open"]';
const SETTLED_WRITE = '[data-testid="conflict-entry"][data-kind="concurrent_write"][data-status="settled"]';
const STATUS_CONFLICT = '[data-testid="field-conflict"][data-field="status"]';
const STATUS_VALUE = '[data-testid="field-row"][data-field="status"] [data-testid="field-value"]';

describe.runIf(hasChromium() || process.env['CI'])('audit console end to end (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-audit-e2e-'));
  const [north, south, east] = ['north', 'south', 'east'].map((n) => join(root, n)) as [string, string, string];
  const running: Served[] = [];
  let browser: Browser;
  let a: ConsolePage;
  let b: ConsolePage;
  let exported = '';

  /** One two-way sync between two folders while neither is served (as in the CLI tests). */
  async function syncFolders(from: string, to: string): Promise<void> {
    const server = await serve(['--data', from, '--port', '0', '--no-discover']);
    const r = await mandalaAsync(['sync', '--peer', `127.0.0.1:${server.port}`, '--data', to]);
    await server.stop();
    expect(r.code, r.stderr).toBe(0);
  }

  async function showRecord(c: ConsolePage, recordId: string): Promise<void> {
    await c.open('records');
    await c.page.click(`[data-testid="record-row"][data-record="${recordId}"]`);
    await c.page.waitForSelector(`[data-testid="record-detail"][data-record="${recordId}"]`);
  }

  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    mkdirSync(artifacts, { recursive: true });
    mandala(['init', '--data', north, '--name', 'camp-north']);
    mandala(['init', '--data', south, '--name', 'camp-south']);
    mandala(['record', 'create', 'DL-7', 'delivery', '--data', north]);
    mandala(['record', 'set', 'DL-7', 'status', 'loading', '--data', north]);
    mandala(['record', 'set', 'DL-7', 'driver', 'Achieng', '--data', north]);
    mandala(['record', 'note', 'DL-7', 'loaded at the depot', '--data', north]);
    await syncFolders(north, south);
    // Apart: both camps change the status they both saw.
    mandala(['record', 'set', 'DL-7', 'status', 'en_route', '--data', north]);
    mandala(['record', 'set', 'DL-7', 'status', 'delayed', '--data', south]);
    await syncFolders(north, south);

    // Both served, north keeping in sync with south: later edits travel on their own.
    const servedSouth = await serve(['--data', south, '--port', '0', '--no-discover']);
    running.push(servedSouth);
    running.push(await serve(['--data', north, '--port', '0', '--no-discover', '--peer', `127.0.0.1:${servedSouth.port}`]));
    browser = await launchChromium();
    a = await openConsole(browser, running[1]!.url);
    b = await openConsole(browser, servedSouth.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of running) await s.stop();
  });

  it('both_consoles_show_the_same_shown_value_and_the_same_open_conflict_in_records', async () => {
    const seen: { shown: string; writes: string[] }[] = [];
    for (const c of [a, b]) {
      await showRecord(c, 'DL-7');
      await c.page.waitForSelector(STATUS_CONFLICT, { timeout: 30_000 });
      const writes = c.page.locator(`${STATUS_CONFLICT} [data-testid="conflict-write"]`);
      expect(await writes.count()).toBe(2);
      const shown = await c.text(STATUS_VALUE);
      const winner = await c.text(`${STATUS_CONFLICT} [data-testid="conflict-write"][data-winner="true"] .competing-value`);
      expect(winner, 'the value marked "shown" is the one displayed').toBe(shown);
      expect(await c.count('[data-testid="record-row"][data-record="DL-7"] [data-testid="conflict-badge"]')).toBe(1);
      // A field nobody disagreed on carries no conflict.
      expect(await c.count('[data-testid="field-conflict"][data-field="driver"]')).toBe(0);
      seen.push({ shown, writes: (await writes.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')) });
    }
    expect(seen[0]!.shown).toBe(seen[1]!.shown);
    expect(['en_route', 'delayed']).toContain(seen[0]!.shown);
    for (const { writes } of seen) {
      expect(writes.join(' | ')).toMatch(/en_route.*camp-north/);
      expect(writes.join(' | ')).toMatch(/delayed.*camp-south/);
    }
    await a.page.screenshot({ path: join(artifacts, 'console-records-conflict.png') });
  });

  it('both_timelines_show_the_open_concurrent_write_and_clicking_it_shows_both_events', async () => {
    for (const [c, via] of [[a, 'timeline'], [b, 'list']] as const) {
      await c.open('conflicts');
      await c.page.waitForSelector(OPEN_WRITE, { timeout: 30_000 });
      expect(await c.count('[data-testid="conflict-timeline"] [data-testid="timeline-mark"][data-kind="concurrent_write"][data-status="open"]')).toBe(1);
      expect(await c.text(OPEN_WRITE)).toMatch(/DL-7\.status/);
      if (via === 'timeline') await c.page.click('[data-testid="timeline-mark"][data-kind="concurrent_write"][data-status="open"]');
      else await c.page.click(OPEN_WRITE);
      await c.waitForCount('[data-testid="conflict-events"] [data-testid="conflict-event"]', (n) => n === 2, 'both events of the conflict');
      const events = (await c.page.locator('[data-testid="conflict-event"]').allInnerTexts()).join('\n');
      expect(events).toContain('camp-north');
      expect(events).toContain('camp-south');
      expect(events).toContain('field.set');
      expect(events).toMatch(/"en_route"/);
      expect(events).toMatch(/"delayed"/);
      expect(await c.count('[data-testid="conflict-event"] [data-testid="event-role"]')).toBe(2);
    }
    await a.page.screenshot({ path: join(artifacts, 'console-conflicts.png') });

    // Filters and zoom go to the node and come back with the entry still matching.
    await a.page.selectOption('[data-testid="filter-author"]', { label: 'camp-south' });
    await a.page.click('[data-testid="kind-chip"][data-kind="concurrent_write"]');
    await a.waitForCount(OPEN_WRITE, (n) => n === 1, 'the entry under author and kind filters');
    expect(await a.text('[data-testid="conflicts-subtitle"]')).toMatch(/1 match/);
    const plot = (await a.page.locator('.timeline-plot').boundingBox())!;
    await a.page.mouse.move(plot.x + plot.width * 0.2, plot.y + 10);
    await a.page.mouse.down();
    await a.page.mouse.move(plot.x + plot.width * 0.8, plot.y + 10, { steps: 6 });
    await a.page.mouse.up();
    await a.page.waitForSelector('[data-testid="zoom-state"]');
    await a.waitForCount('[data-testid="timeline-mark"][data-status="open"]', (n) => n === 1, 'the mark inside the zoomed range');
    await a.page.click('[data-testid="zoom-reset"]');
    await a.waitForCount('[data-testid="zoom-state"]', (n) => n === 0, 'the zoom reset');
    await a.page.selectOption('[data-testid="filter-author"]', '');
    await a.page.click('[data-testid="kind-chip"][data-kind="concurrent_write"]');
  });

  it('an_edit_in_one_console_settles_the_conflict_in_both', async () => {
    // B stays on its timeline, with the open entry selected: it must update by itself.
    expect(await b.count(OPEN_WRITE)).toBe(1);
    await showRecord(a, 'DL-7');
    // The coordinator keeps the value that was not shown: one click, no retyping.
    const loser = a.page.locator(`${STATUS_CONFLICT} [data-testid="conflict-write"][data-winner="false"]`);
    const kept = await loser.locator('.competing-value').innerText();
    expect(kept).not.toBe(await a.text(STATUS_VALUE));
    await loser.locator('[data-testid="keep-value"]').click();
    await waitFor(async () => (await a.count(STATUS_CONFLICT)) === 0 && (await a.text(STATUS_VALUE)) === kept, 'the field settled in console A', 30_000, 100);
    expect(await a.count('[data-testid="conflict-badge"]')).toBe(0);
    // Notes say who wrote them and when.
    const meta = await a.page.locator('[data-testid="note-meta"]').allInnerTexts();
    expect(meta.length).toBeGreaterThan(0);
    for (const m of meta) expect(m).toMatch(/^camp-(north|south) · \S+/);

    await b.page.waitForSelector(SETTLED_WRITE, { timeout: 30_000 });
    expect(await b.count(OPEN_WRITE)).toBe(0);
    await showRecord(b, 'DL-7');
    await waitFor(async () => (await b.count(STATUS_CONFLICT)) === 0 && (await b.text(STATUS_VALUE)) === kept, 'the field settled in console B', 30_000, 100);
    expect(await b.count('[data-testid="conflict-badge"]')).toBe(0);

    for (const c of [a, b]) {
      await c.open('conflicts');
      await c.page.waitForSelector(SETTLED_WRITE, { timeout: 30_000 });
      expect(await c.count(OPEN_WRITE)).toBe(0);
      expect(await c.count('[data-testid="timeline-mark"][data-kind="concurrent_write"][data-status="settled"]')).toBe(1);
      await c.page.click(SETTLED_WRITE);
      // The two competing writes and the one that settled them.
      await c.waitForCount('[data-testid="conflict-event"]', (n) => n === 3, 'the settled entry with its three events');
      expect(await c.text('[data-testid="conflict-events"]')).toMatch(/settled it/);
    }
    await b.page.screenshot({ path: join(artifacts, 'console-conflicts-settled.png') });
  });

  it('a_report_made_in_console_a_verifies_compares_exports_and_fails_when_tampered', async () => {
    await a.open('evidence');
    await a.page.click('[data-testid="make-report"]');
    await a.waitForCount('[data-testid="report-row"]', (n) => n === 1, 'the first report listed');
    const first = a.page.locator('[data-testid="report-row"]').first();
    expect(await first.getAttribute('data-local')).toBe('true');
    expect(await first.innerText()).toMatch(/this node/);
    await a.page.waitForSelector('[data-testid="report-detail"] [data-testid="report-frontier"]');
    await a.page.click('[data-testid="verify-report"]');
    await a.page.waitForSelector('[data-testid="verify-result"][data-verdict="valid"][data-code="ok"]', { timeout: 30_000 });

    // More happens, then a second report: its input reaches further.
    await showRecord(a, 'DL-7');
    await a.page.locator('[data-testid="add-note-form"] textarea').fill('handed over at the gate');
    await a.page.click('[data-testid="add-note-form"] button[type="submit"]');
    await a.page.waitForSelector('[data-testid="add-note-form"] [data-testid="append-ok"]');
    await a.open('evidence');
    await a.page.click('[data-testid="make-report"]');
    await a.waitForCount('[data-testid="report-row"]', (n) => n === 2, 'the second report listed');
    await a.page.waitForSelector('[data-testid="report-detail"] [data-testid="report-frontier"]');
    await a.page.click('[data-testid="verify-report"]');
    await a.page.waitForSelector('[data-testid="verify-result"][data-verdict="valid"]', { timeout: 30_000 });
    await a.page.screenshot({ path: join(artifacts, 'console-evidence.png') });

    // Export the newest (the one open) and check it is the listed report.
    const newest = a.page.locator('[data-testid="report-row"]').first();
    const listedHash = (await newest.getAttribute('data-body-hash'))!;
    const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.click('[data-testid="export-report"]')]);
    expect(download.suggestedFilename()).toBe(`mandala-report-records-${listedHash.slice(0, 8)}.json`);
    exported = join(root, download.suggestedFilename());
    await download.saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8'));
    expect(file.body_hash).toBe(listedHash);
    expect(file.body.projection).toBe('records');

    // Compare the two: north's feed advanced, the output changed.
    for (const row of await a.page.locator('[data-testid="report-pick"]').all()) await row.check();
    await a.page.click('[data-testid="compare-reports"]');
    await a.page.waitForSelector('[data-testid="report-compare"]');
    expect(await a.page.getAttribute('[data-testid="report-compare"]', 'data-same-output')).toBe('false');
    expect(await a.count('[data-testid="compare-author"][data-change="advanced"]')).toBeGreaterThanOrEqual(1);
    expect(await a.text('[data-testid="compare-author"][data-change="advanced"]')).toContain('camp-north');
    expect(await a.page.getAttribute('[data-testid="compare-fact"][data-fact="Output hash"]', 'data-same')).toBe('false');
    await a.page.screenshot({ path: join(artifacts, 'console-evidence-compare.png') });

    // The exported file verifies as it is, and fails precisely once its body is edited.
    const input = a.page.locator('[data-testid="verify-file-input"]');
    await input.setInputFiles(exported);
    await a.page.waitForSelector('[data-testid="file-check"] [data-testid="verify-result"][data-verdict="valid"]', { timeout: 30_000 });
    file.body.input_frontier.vector[0][1] = 1;
    const tampered = join(root, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(file, null, 2));
    await input.setInputFiles(tampered);
    await a.page.waitForSelector('[data-testid="file-check"][data-file="tampered.json"] [data-testid="verify-result"][data-verdict="invalid"][data-code="body_hash_mismatch"]', {
      timeout: 30_000,
    });
    expect(await a.text('[data-testid="verify-result"]')).toMatch(/INVALID/);
    await a.page.screenshot({ path: join(artifacts, 'console-evidence-tampered.png') });
    // A file that is not JSON gets the code and words `mandala verify-report` gives it.
    const notJson = join(root, 'notes.json');
    writeFileSync(notJson, '{"body":');
    await input.setInputFiles(notJson);
    await a.page.locator('[data-testid="file-check"][data-file="notes.json"]', { hasText: 'malformed_report' }).waitFor({ timeout: 30_000 });
    expect(await a.text('[data-testid="file-check"]')).toMatch(/notes\.json is not JSON .*a report file is the JSON that `mandala report --out` or the console's Export writes/);
  });

  it('node_b_lists_the_replicated_reports_as_not_its_own_and_verifies_them_valid', async () => {
    await b.open('evidence');
    await b.waitForCount('[data-testid="report-row"]', (n) => n === 2, 'both reports replicated to south');
    for (const row of await b.page.locator('[data-testid="report-row"]').all()) {
      expect(await row.getAttribute('data-local')).toBe('false');
      const text = await row.innerText();
      expect(text).toContain('camp-north');
      expect(text).not.toMatch(/this node/);
    }
    await b.page.locator('[data-testid="report-row"]').first().click();
    await b.page.click('[data-testid="verify-report"]');
    await b.page.waitForSelector('[data-testid="verify-result"][data-verdict="valid"][data-code="ok"]', { timeout: 30_000 });
  });

  it('a_node_without_the_events_cannot_verify_the_file_and_never_calls_it_invalid', async () => {
    const servedEast = await serve(['--data', east, '--port', '0', '--no-discover', '--name', 'camp-east']);
    running.push(servedEast);
    const c = await openConsole(browser, servedEast.url);
    await c.open('evidence');
    await c.page.locator('[data-testid="verify-file-input"]').setInputFiles(exported);
    await c.page.waitForSelector('[data-testid="verify-result"][data-verdict="unverifiable"][data-code="events_missing"]', { timeout: 30_000 });
    expect(await c.count('[data-testid="verify-missing"] [data-testid="missing-range"]')).toBeGreaterThanOrEqual(1);
    expect(await c.text('[data-testid="verify-result"]')).not.toMatch(/INVALID/);
    await c.page.screenshot({ path: join(artifacts, 'console-evidence-unverifiable.png') });
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await c.page.close();
  });

  it('no_console_reached_beyond_its_node_or_threw', () => {
    for (const c of [a, b]) {
      expect(c.outsideRequests(), 'the console must work with no network beyond its node').toEqual([]);
      expect(c.pageErrors()).toEqual([]);
    }
  });
});

if (!hasChromium() && !process.env['CI']) {
  console.log(`[audit console e2e] skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`);
}
