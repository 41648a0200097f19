// The console in a real browser: log in through `kagg console`'s link, watch an APIService
// flip to unavailable when its backend stops (within the re-check period) and back, see the
// expiring certificate highlighted; a screenshot of each view goes to docs/console/.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { runConsole } from '../../src/cli/console.ts';
import { apiRequest } from '../support/apiserver.ts';
import { captureIO } from '../support/cli-io.ts';
import { toolOptions } from '../support/tools.ts';
import { eventually } from './aggregator-fixture.ts';
import { APISERVICE, EXPIRING, launchChromium, RESYNC_MS, startConsoleStack } from './console-fixture.ts';

// Screenshots for the README: written to docs/console/ with UPDATE_SCREENSHOTS=1 (like
// UPDATE_GOLDEN), else into the test's temp dir so a test run leaves the tree clean.
const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'console');

async function loginLink(kubeconfig: string): Promise<string> {
  const io = captureIO();
  assert.equal(await runConsole(['--kubeconfig', kubeconfig], io), 0, io.err());
  return io.out().trim();
}

function row(page: Page, available: string) {
  return page.locator(`tr[data-name="${APISERVICE}"][data-available="${available}"]`);
}

test('console: login link, live APIService availability, expiring certificate, keyboard, narrow window', toolOptions('chromium'), async (t) => {
  const stack = await startConsoleStack();
  t.after(() => stack.close());
  const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? DOCS : stack.dir;
  const link = await loginLink(stack.server.kubeconfig);
  assert.match(link, /^https:\/\/127\.0\.0\.1:\d+\/console\/#token=[\w.-]+$/);

  const browser = await launchChromium(stack.dir);
  t.after(() => browser.close());
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  await page.goto(link);
  // The token leaves the address bar at once.
  await page.waitForURL(/\/console\/#\/aggregation$/, { timeout: 10_000 });
  await page.locator('#who', { hasText: 'system:serviceaccount:kube-system:kagg-console' }).waitFor({ timeout: 10_000 });
  await row(page, 'True').waitFor({ timeout: 15_000 });

  // Stop the backend: the watch brings Available=False within a few re-check periods.
  await stack.backend.stop();
  const stoppedAt = Date.now();
  await row(page, 'False').waitFor({ timeout: 10_000 });
  const flipMs = Date.now() - stoppedAt;
  assert.ok(flipMs < 10 * RESYNC_MS + 2_000, `flipped in ${flipMs} ms`);
  const reason = await row(page, 'False').locator('td.reason').textContent();
  assert.ok(reason && reason.length > 0, 'the reason is shown');
  await page.locator('.status', { hasText: '1 unavailable' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'aggregation-unavailable.png') });

  await stack.backend.start();
  await row(page, 'True').waitFor({ timeout: 10_000 });
  // The sparkline recorded both transitions.
  assert.equal(await row(page, 'True').locator('.sparkline .spark-down').count(), 1);
  assert.equal(await row(page, 'True').locator('.sparkline .spark-up').count(), 2);

  // One call traced through kagg to the backend, with the headers kagg adds.
  await row(page, 'True').getByRole('button', { name: `Trace a request to ${APISERVICE}` }).click();
  await page.locator('.trace .result[data-status="200"]').waitFor({ timeout: 10_000 });
  const added = await page.locator('.headers.out').textContent();
  assert.match(added ?? '', /X-Remote-User: system:serviceaccount:kube-system:kagg-console/);
  assert.match(added ?? '', /X-Remote-Group: system:serviceaccounts/);
  await page.screenshot({ path: join(SHOTS, 'aggregation.png'), fullPage: true });

  // Contrast: text against its background, WCAG AA (4.5:1) for the views' text.
  // A string, not a function: tsx's transpiled helpers do not exist in the page.
  const contrasts = await page.evaluate<Array<{ what: string; ratio: number }>>(`(() => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
    const background = (el) => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    return Array.from(document.querySelectorAll('h1, h2, .tabs a, .who, .status, caption, th, td, .badge, .hop, .headers code, .muted, button')).map((el) => {
      const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
      const b = lum(background(el));
      return { what: el.tagName.toLowerCase() + '.' + el.className, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
  })()`);
  assert.ok(contrasts.length > 20);
  for (const c of contrasts) assert.ok(c.ratio >= 4.5, `${c.what}: contrast ${c.ratio.toFixed(2)}`);

  // Keyboard: arrow keys move between the tabs.
  await page.locator('#tab-aggregation').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForURL(/#\/certificates$/);
  const expiring = page.locator(`.node[data-file="${EXPIRING}.crt"]`);
  await expiring.waitFor({ timeout: 10_000 });
  assert.equal(await expiring.getAttribute('data-expiry'), 'expiring');
  assert.match((await page.locator('.alert').textContent()) ?? '', new RegExp(`1 certificate expired or expiring within 30 days: ${EXPIRING}`));
  assert.equal(await page.locator('.node[data-expiry="expiring"], .node[data-expiry="expired"]').count(), 1);
  // The expiring certificate is selected first; another is chosen with Tab and Enter.
  await page.locator(`.cert-detail[data-file="${EXPIRING}.crt"]`).waitFor();
  assert.match((await page.locator('.cert-detail .renew').textContent()) ?? '', new RegExp(`^kagg certs renew ${EXPIRING} --cert-dir `));
  await page.screenshot({ path: join(SHOTS, 'certificates.png'), fullPage: true });
  const apiserver = page.locator('.node[data-file="apiserver.crt"]');
  await apiserver.focus();
  await page.keyboard.press('Enter');
  const detail = page.locator('.cert-detail[data-file="apiserver.crt"]');
  await detail.waitFor();
  const text = (await detail.textContent()) ?? '';
  assert.match(text, /DNS:kubernetes\.default\.svc/);
  assert.match(text, /IP:127\.0\.0\.1/);
  assert.match(text, /serverAuth/);
  assert.match(text, /IssuerCN = kubernetes/);

  // Doctor: the online checks run with the console's token; a stopped backend is a finding with its fix.
  await stack.backend.stop();
  await eventually('Available=False', 10_000, async () => {
    const r = await apiRequest(stack.server, `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`, { cert: stack.server.pki.admin });
    const conditions = (r.json().status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    return conditions.some((c) => c.type === 'Available' && c.status === 'False') ? true : undefined;
  });
  await page.locator('#tab-doctor').click();
  await page.waitForURL(/#\/doctor$/);
  const finding = page.locator('.finding', { hasText: APISERVICE }).first();
  await finding.waitFor({ timeout: 20_000 }).catch(async (err: unknown) => {
    throw new Error(`no finding about ${APISERVICE}; the page shows: ${await page.locator('main').textContent()}`, { cause: err });
  });
  assert.match((await finding.locator('.fix').textContent()) ?? '', /Fix: \S/);
  assert.match((await page.locator('.status').textContent()) ?? '', /\d+ errors, \d+ warnings, \d+ notes from [1-9]\d* online checks/);
  await page.screenshot({ path: join(SHOTS, 'doctor.png'), fullPage: true });
  await stack.backend.start();

  // Narrow window: nothing wider than the viewport but the scrollable table and graph.
  await page.setViewportSize({ width: 420, height: 800 });
  await page.goto(`${new URL(link).origin}/console/#/aggregation`);
  await row(page, 'True').waitFor({ timeout: 10_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than a 420px window`);
  await page.screenshot({ path: join(SHOTS, 'aggregation-narrow.png') });

  assert.deepEqual(violations, []);
});
