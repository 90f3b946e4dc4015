// Drives the operator console in headless Chromium, as an operator would, and reports what
// happened as JSON on stdout:
//   node console-check.js studio BASE PASSWORD   log in; create a channel; see it on the home page
//                                                and airing; change its theme; delete it
//   node console-check.js xss BASE PASSWORD ID   read every page showing channel ID (whose title and
//                                                theme are an XSS corpus): nothing may run
'use strict';
const { chromium } = require('playwright-core');

const [scenario, base, password, channelId] = process.argv.slice(2);

async function login(page, report) {
  await page.goto(base + '/admin');
  await page.fill('input[name=name]', 'admin');
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  report.loggedIn = (await page.locator('nav.console-nav').count()) > 0;
}

async function api(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { headers: { Accept: 'application/json' } });
    return { status: r.status, body: r.ok ? await r.json() : null };
  }, base + path);
}

async function studio(page, report) {
  await login(page, report);
  await page.goto(base + '/admin/channels/new');
  await page.fill('input[name=id]', 'studio');
  await page.fill('input[name=title]', 'Studio Live');
  await page.fill('textarea[name=theme]', 'a lighthouse on a rocky island at night');
  await page.fill('input[name=lookaheadSeconds]', '15');
  const format = { width: '256', height: '144', fps: '24', segmentSeconds: '2', videoKbps: '300', audioKbps: '64' };
  for (const [key, value] of Object.entries(format)) {
    await page.fill('input[name="format.' + key + '"]', value);
  }
  const created = Date.now();
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  report.afterCreate = page.url();
  report.createdNotice = await page.locator('.notice').first().textContent().catch(() => null);

  await page.goto(base + '/');
  report.onHome = (await page.locator('text=Studio Live').count()) > 0;

  // airing: a clip of the channel (not its slate) is on air
  report.airingAfterSeconds = null;
  while (Date.now() - created < 120000) {
    const status = await api(page, '/api/channels/studio');
    if (status.body && status.body.nowPlaying && status.body.nowPlaying.clipId) {
      report.airingAfterSeconds = (Date.now() - created) / 1000;
      report.firstAiring = status.body.nowPlaying;
      break;
    }
    await page.waitForTimeout(500);
  }

  const editPage = await page.goto(base + '/admin/channels/studio');
  report.editPageStatus = editPage.status();
  await page.fill('textarea[name=theme]', 'a red fox by a misty river');
  report.editedAt = new Date().toISOString();
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  report.afterEdit = page.url();

  // the next shots asked of the director follow the new theme
  report.jobsAfterEdit = [];
  const edited = Date.now();
  while (Date.now() - edited < 120000) {
    const jobs = await api(page, '/api/jobs?channel=studio&limit=50');
    report.jobsAfterEdit = (jobs.body || []).filter((j) => j.createdAt > report.editedAt).map((j) => j.prompt);
    if (report.jobsAfterEdit.length >= 2) { break; }
    await page.waitForTimeout(500);
  }

  await page.goto(base + '/admin/jobs');
  report.jobsPageRows = await page.locator('#jobs tr').count();

  await page.goto(base + '/admin');
  page.on('dialog', (d) => { report.confirms.push(d.message()); d.accept(); });
  await page.locator('#channel-studio button.danger').click();
  await page.waitForSelector('#channel-studio', { state: 'detached', timeout: 15000 }).catch(() => {});
  report.cardGone = (await page.locator('#channel-studio').count()) === 0;
  report.afterDelete = (await api(page, '/api/channels/studio')).status;
  await page.goto(base + '/');
  report.onHomeAfterDelete = (await page.locator('text=Studio Live').count()) > 0;
}

async function xss(page, report) {
  page.on('dialog', (d) => { report.dialogs.push(d.type() + ': ' + d.message()); d.dismiss(); });
  const pages = ['/', '/watch/' + channelId];
  for (const path of pages) {
    await page.goto(base + path);
    await page.waitForTimeout(1000);
    report.pages.push(await inspect(page, path));
  }
  await login(page, report);
  for (const path of ['/admin', '/admin/channels/' + channelId, '/admin/library', '/admin/jobs', '/admin/audit']) {
    await page.goto(base + path);
    await page.waitForTimeout(500);
    report.pages.push(await inspect(page, path));
  }
}

async function inspect(page, path) {
  return page.evaluate((p) => ({
    path: p,
    text: document.body.innerText,
    // anything the corpus could have injected: inline scripts, handlers, frames, foreign images
    injected: Array.from(document.querySelectorAll('script:not([src]), iframe, object, embed, svg, img[src="x"], [onerror], [onload], [onclick]'))
      .map((e) => e.outerHTML.slice(0, 120)),
    pwned: window.__pwned || null,
  }), path);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  const report = { scenario, confirms: [], dialogs: [], pages: [], consoleErrors: [], cspViolations: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('console', (m) => {
      if (m.type() === 'error') {
        (m.text().includes('Content Security Policy') ? report.cspViolations : report.consoleErrors).push(m.text());
      }
    });
    page.on('pageerror', (e) => report.consoleErrors.push(String(e)));
    try {
      if (scenario === 'studio') { await studio(page, report); } else { await xss(page, report); }
    } catch (e) {
      report.fatal = String(e && e.stack || e);
      report.failedAt = page.url();
      report.failedPage = (await page.content().catch(() => '')).slice(0, 3000);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report) + '\n');
})().catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
