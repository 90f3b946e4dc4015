// Plays a LatentTV watch page in headless Chromium and reports what a viewer would see, as JSON:
//   node watch-check.js URL SECONDS
// currentTime samples, waiting/stalled/error events after start-up, every caption change, and
// every change of the subtitle cue on screen (the text of the showing text tracks' active cues).
'use strict';
const { chromium } = require('playwright-core');

(async () => {
  const url = process.argv[2];
  const seconds = Number(process.argv[3] || 60);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const report = { url, seconds, samples: [], events: [], captions: [], cues: [], consoleErrors: [], canPlayH264: null };
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('console', (m) => { if (m.type() === 'error') report.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => report.consoleErrors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() => {
      const v = document.getElementById('video');
      window.__events = [];
      for (const name of ['waiting', 'stalled', 'error', 'playing']) {
        v.addEventListener(name, () => window.__events.push({ name, t: performance.now(), currentTime: v.currentTime,
          error: v.error ? v.error.code + ' ' + v.error.message : null }));
      }
      v.muted = true;
      v.play().catch(() => {});
    });
    report.canPlayH264 = await page.evaluate(() =>
      MediaSource.isTypeSupported('video/mp4; codecs="avc1.640028,mp4a.40.2"'));
    const start = Date.now();
    let lastPrompt = null;
    let lastCue = null;
    while (Date.now() - start < seconds * 1000) {
      const s = await page.evaluate(() => {
        const v = document.getElementById('video');
        return { t: performance.now(), currentTime: v.currentTime, paused: v.paused, readyState: v.readyState,
          prompt: document.getElementById('prompt').textContent, title: document.getElementById('title').textContent,
          next: document.getElementById('next').textContent, badge: !document.getElementById('badge').hidden,
          error: v.error ? v.error.code : null, cue: shownCue(v), cc: ccState() };
        function shownCue(video) {
          const texts = [];
          for (let i = 0; i < video.textTracks.length; i++) {
            const track = video.textTracks[i];
            if (track.mode !== 'showing' || !track.activeCues) { continue; }
            for (let j = 0; j < track.activeCues.length; j++) { texts.push(track.activeCues[j].text); }
          }
          return texts.join(' | ');
        }
        function ccState() {
          const cc = document.getElementById('cc');
          return cc ? { shown: !cc.hidden, pressed: cc.getAttribute('aria-pressed') } : null;
        }
      });
      report.samples.push(s);
      if (s.prompt !== lastPrompt) {
        report.captions.push({ t: s.t, currentTime: s.currentTime, prompt: s.prompt, title: s.title, badge: s.badge });
        lastPrompt = s.prompt;
      }
      if (s.cue !== lastCue) {
        report.cues.push({ t: s.t, currentTime: s.currentTime, cue: s.cue, title: s.title });
        lastCue = s.cue;
      }
      await page.waitForTimeout(500);
    }
    report.events = await page.evaluate(() => window.__events);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report) + '\n');
})().catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
