// Opens a clip page in headless Chromium as a viewer who found a shared link would, and reports
// what happened as JSON on stdout:
//   node clip-check.js BASE CLIP_ID OUT_DIR
// the video plays; the share tags as the browser reads them; the page's facts; the narration's
// caption track as the player loaded it; the GIF and WebP exports asked for with their links,
// downloaded into OUT_DIR and decoded by the browser; the MP4 download; the watch page's "this
// clip" link.
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const [base, clipId, outDir] = process.argv.slice(2);

async function played(page, report) {
  const started = Date.now();
  while (Date.now() - started < 60000) {
    const v = await page.evaluate(() => {
      const video = document.getElementById('video');
      return { currentTime: video.currentTime, readyState: video.readyState, videoWidth: video.videoWidth,
        error: video.error ? video.error.code : null };
    });
    report.video = v;
    if (v.currentTime > 0.5 || v.error) { return; }
    await page.waitForTimeout(200);
  }
}

// the player's caption track, once its cues are loaded (null: the page has none)
async function track(page) {
  if (await page.locator('#captions').count() === 0) { return null; }
  return page.waitForFunction(() => {
    const t = document.getElementById('video').textTracks[0];
    return t && t.cues && t.cues.length > 0
      ? { mode: t.mode, kind: t.kind, label: t.label, cues: Array.from(t.cues).map((c) => {
        // what the player shows: the cue parsed as WebVTT cue text, with any markup it made
        const shown = c.getCueAsHTML();
        return { start: c.startTime, end: c.endTime, text: shown.textContent, elements: shown.querySelectorAll('*').length };
      }) }
      : null;
  }, null, { timeout: 30000 }).then((h) => h.jsonValue()).catch(() => ({ loaded: false }));
}

async function downloaded(page, report) {
  const link = page.locator('#download-mp4');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 180000 }),
    link.click(),
  ]);
  const file = path.join(outDir, clipId + '.mp4');
  await download.saveAs(file);
  report.mp4 = { file, suggested: download.suggestedFilename(), href: await link.getAttribute('href') };
}

async function exported(page, format, report) {
  const link = page.locator('#export-' + format);
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 180000 }),
    link.click(),
  ]);
  const file = path.join(outDir, clipId + '.' + format);
  await download.saveAs(file);
  const decoded = await page.evaluate((url) => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => resolve({ error: true });
    img.src = url;
  }), base + '/clips/' + clipId + '/export.' + format);
  report.exports[format] = { file, suggested: download.suggestedFilename(), decoded,
    state: await page.locator('#export-state').textContent() };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const report = { exports: {}, consoleErrors: [] };
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    page.on('console', (m) => { if (m.type() === 'error') { report.consoleErrors.push(m.text()); } });
    page.on('pageerror', (e) => report.consoleErrors.push(String(e)));
    const answer = await page.goto(base + '/clips/' + clipId);
    report.status = answer.status();
    report.meta = await page.evaluate(() => {
      const out = {};
      document.querySelectorAll('meta[property], meta[name]').forEach((m) => {
        out[m.getAttribute('property') || m.getAttribute('name')] = m.getAttribute('content');
      });
      return out;
    });
    report.title = await page.locator('h1').textContent();
    report.prompt = await page.locator('#prompt').textContent();
    report.seed = await page.locator('#seed').textContent();
    report.channel = await page.locator('#channel').textContent();
    report.aired = await page.locator('#aired').textContent();
    report.stages = await page.locator('#stages tbody tr').allTextContents();
    report.badge = await page.locator('#badge').count();
    report.narration = await page.locator('#narration').count() ? await page.locator('#narration').textContent() : null;
    await played(page, report);
    report.track = await track(page);
    await exported(page, 'gif', report);
    await exported(page, 'webp', report);
    await downloaded(page, report);

    await page.goto(base + '/watch/' + (process.env.CHANNEL || 'tv'));
    await page.locator('#cliplink:not([hidden])').waitFor({ timeout: 60000 });
    report.watchClipLink = await page.locator('#cliplink').getAttribute('href');
    await page.locator('#cliplink').click();
    await page.waitForURL(/\/clips\//);
    report.afterClipLink = page.url();
    report.afterClipLinkTitle = await page.locator('h1').textContent();
  } catch (e) {
    report.fatal = String(e && e.stack || e);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report) + '\n');
})().catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack || e) }) + '\n');
});
