// Browser test of `footprint serve`, run by tests/cli/browser.rs (cargo test) against a server it
// started. Playwright core drives Debian's Chromium; no browser is downloaded.
//
// env: FOOTPRINT_URL (http://127.0.0.1:PORT/), PLAYWRIGHT_DIR (folder with node_modules/),
//      CHROMIUM (default /usr/bin/chromium), SHOTS (folder for the screenshots).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, 'node_modules', 'playwright-core'));

const base = process.env.FOOTPRINT_URL;
const shots = process.env.SHOTS || os.tmpdir();
const origin = new URL(base).origin;

function check(cond, message) {
  if (!cond) throw new Error('FAILED: ' + message);
  console.log('ok - ' + message);
}

async function newPage(browser, viewport, problems) {
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  const context = page;
  page.on('console', (m) => {
    // The deliberate unknown place answers 404 (JSON with suggestions); Chromium logs every
    // failed fetch as "Failed to load resource". That one is expected; any other is not.
    const expected = /Barcleona/.test(m.location().url || '') && /status of 404/.test(m.text());
    if (m.type() === 'error' && !expected) problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Every request must go to this server (or be a data: URL of a chart).
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort();
  });
  return { context, page };
}

async function rankingLabels(page) {
  await page.waitForSelector('#compare-result:not([hidden]) #ranking tbody tr');
  return page.$$eval('#ranking tbody th', (ths) => ths.map((t) => t.textContent));
}

function expectTrainCoachFlight(labels, how) {
  check(labels.some((l) => l === 'Train'), `${how}: the ranking has the train (${labels.join(', ')})`);
  check(labels.some((l) => l === 'Coach'), `${how}: the ranking has the coach`);
  check(labels.some((l) => l.startsWith('Flight')), `${how}: the ranking has the flight`);
}

async function chartShown(page, how) {
  const ok = await page.$eval('#compare-chart', (img) => img.complete && img.naturalWidth > 100);
  check(ok, `${how}: the bar chart is drawn`);
  const map = await page.$eval('#compare-map', (img) => img.complete && img.naturalWidth > 100);
  check(map, `${how}: the route map is drawn`);
}

async function withMouse(browser, problems) {
  const { context, page } = await newPage(browser, { width: 1280, height: 900 }, problems);
  await page.goto(base);
  await page.fill('#from', '');
  await page.type('#from', 'Ensch', { delay: 30 });
  const option = page.locator('#from-list [role=option]', { hasText: 'Enschede' }).first();
  await option.waitFor();
  await option.click();
  check((await page.inputValue('#from')).startsWith('Enschede'), 'mouse: picking a suggestion fills From');
  await page.type('#to', 'Barcelona', { delay: 20 });
  await page.click('button[type=submit] >> text=Compare');
  expectTrainCoachFlight(await rankingLabels(page), 'mouse');
  await chartShown(page, 'mouse');
  const how = await page.$$eval('#how details', (d) => d.length);
  check(how >= 3, `"how was this computed" has one entry per option (${how})`);
  const hoursText = await page.$$eval('#ranking tbody td:last-child', (t) => t.map((x) => x.textContent));
  check(hoursText.every((h) => /\d+ h/.test(h)), `door-to-door hours for every option (${hoursText.join(', ')})`);
  await page.screenshot({ path: path.join(shots, 'compare-desktop.png'), fullPage: true });

  // An unknown place shows the suggestions, and one click fixes it.
  await page.fill('#to', 'Barcleona');
  await page.click('button[type=submit] >> text=Compare');
  const sugg = page.locator('#compare-status button', { hasText: 'Barcelona (ES)' });
  await sugg.waitFor();
  check(true, 'unknown place: the suggestions are shown');
  await sugg.click();
  check((await page.inputValue('#to')) === 'Barcelona (ES)', 'clicking a suggestion fills the field');

  // Partner matrix (all ECIU partner cities) and the meeting planner.
  await page.click('button >> text=Show matrix');
  await page.waitForSelector('#matrix-result table.heat tbody tr');
  const rows = await page.$$eval('#matrix-result table.heat tbody tr', (r) => r.length);
  check(rows >= 10, `the partner matrix has a row per partner city (${rows})`);
  const csvHref = await page.getAttribute('#matrix-csv', 'href');
  const csv = await (await page.request.get(new URL(csvHref, base).href)).text();
  check(csv.split('\n')[0].startsWith('From,From id,To'), 'the matrix CSV downloads');
  await page.screenshot({ path: path.join(shots, 'matrix-desktop.png'), fullPage: false });
  await page.fill('#meet-participants', 'Enschede; 5\nHengelo; 1\nBarcelona; 1');
  await page.fill('#meet-candidates', 'Enschede\nBarcelona\nLyon');
  await page.click('button >> text=Rank hosts');
  await page.waitForSelector('#meet-ranking tbody tr');
  const hosts = await page.$$eval('#meet-ranking tbody th', (t) => t.map((x) => x.textContent));
  check(hosts.join(',') === 'Enschede,Lyon,Barcelona', `the meeting planner ranks the hosts (${hosts.join(', ')})`);
  await page.locator('#meet').screenshot({ path: path.join(shots, 'meet-desktop.png') });

  // Scenario playground (the server has an inventory): mode shift of short flights + reduce.
  await page.waitForSelector('#scenario:not([hidden])');
  await page.check('#sc-shift');
  await page.check('#sc-reduce');
  await page.click('button >> text=Apply');
  await page.waitForSelector('#scenario-result:not([hidden]) #scenario-charts img');
  const summary = await page.textContent('#scenario-summary');
  check(/saving [\d,.]+ t/.test(summary), `the playground shows the saving (${summary.slice(0, 120)}…)`);
  const imgs = await page.$$eval('#scenario-charts img', (i) => i.filter((x) => x.complete && x.naturalWidth > 100).length);
  check(imgs >= 2, `the playground draws the by-mode bars and the waterfall (${imgs} charts)`);
  const href = await page.getAttribute('#sc-download', 'href');
  const sc = JSON.parse(decodeURIComponent(href.split(',').slice(1).join(',')));
  check(sc.interventions.length === 2 && sc.interventions[0].type === 'mode_shift', 'the scenario JSON downloads');
  await page.locator('#scenario').screenshot({ path: path.join(shots, 'scenario-desktop.png') });
  await context.close();
}

async function withKeyboard(browser, problems) {
  const { context, page } = await newPage(browser, { width: 390, height: 844 }, problems);
  await page.goto(base);
  // Tab from the top of the page to the From field: skip link, then the section links.
  await page.keyboard.press('Tab');
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'from' && guard++ < 20) {
    await page.keyboard.press('Tab');
  }
  check((await page.evaluate(() => document.activeElement.id)) === 'from', 'keyboard: Tab reaches From');
  await page.keyboard.type('Ensch', { delay: 40 });
  await page.waitForSelector('#from-list [role=option]');
  await page.keyboard.press('ArrowDown');
  const active = await page.getAttribute('#from', 'aria-activedescendant');
  check(!!active, 'keyboard: ArrowDown highlights a suggestion (aria-activedescendant)');
  await page.keyboard.press('Enter');
  check((await page.inputValue('#from')).startsWith('Enschede'), 'keyboard: Enter picks Enschede');
  await page.keyboard.press('Tab');
  check((await page.evaluate(() => document.activeElement.id)) === 'to', 'keyboard: Tab moves to To');
  await page.keyboard.type('Barcelona', { delay: 20 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  expectTrainCoachFlight(await rankingLabels(page), 'keyboard');
  await chartShown(page, 'keyboard');
  await page.screenshot({ path: path.join(shots, 'compare-phone.png'), fullPage: true });
  const overflow = await page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
      .map((e) => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''));
    return { px: document.documentElement.scrollWidth - window.innerWidth, wide: wide.slice(0, 8), iw: window.innerWidth, cw: document.documentElement.clientWidth };
  });
  // Every element box within the phone's width (a wide table would stick out here; the
  // document's scrollWidth is reported too, for information).
  check(overflow.wide.length === 0, `phone width: every element fits in ${overflow.iw} px (scrollWidth overflow ${overflow.px} px) ${overflow.wide.join(' ')}`);
  await context.close();
}

(async () => {
  // A fresh user-data-dir for every run (a persistent context is how Playwright takes one).
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-chromium-'));
  const b = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    await withMouse(b, problems);
    await withKeyboard(b, problems);
    check(problems.length === 0, `no console errors and no request to another host${problems.length ? ': ' + problems.join(' | ') : ''}`);
  } finally {
    await b.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
