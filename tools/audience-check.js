// Drives the watch page's suggestion box and the console's studio in headless Chromium, as
// viewers and an operator would, and reports what happened as JSON on stdout:
//   node audience-check.js viewer BASE CHANNEL            viewer Bo suggests (it is made first); viewer Ada
//                                                         suggests, sees hers queued; Bo votes for it; Ada
//                                                         sees it on air with her name in the caption
//   node audience-check.js review BASE CHANNEL PASSWORD CORPUS_JSON
//                                                         one viewer per corpus entry suggests it (as text
//                                                         and display name) on a review-prompts channel; an
//                                                         operator sees them in the studio and approves the
//                                                         first; one more comes while the operator types and
//                                                         shows live once the box is left; nothing of the
//                                                         corpus may run anywhere
'use strict';
const { chromium } = require('playwright-core');

const [scenario, base, channel, password, corpusJson] = process.argv.slice(2);

async function viewerPage(browser, report, who) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  watch(page, report, who);
  await page.goto(base + '/watch/' + channel);
  return page;
}

function watch(page, report, who) {
  page.on('console', (m) => {
    if (m.type() === 'error') {
      (m.text().includes('Content Security Policy') ? report.cspViolations : report.consoleErrors).push(who + ': ' + m.text());
    }
  });
  page.on('pageerror', (e) => report.consoleErrors.push(who + ': ' + String(e)));
  page.on('dialog', (d) => { report.dialogs.push(who + ': ' + d.type() + ': ' + d.message()); d.dismiss(); });
}

async function suggest(page, text, name) {
  await page.fill('#suggest textarea[name=text]', text);
  await page.fill('#suggest input[name=name]', name);
  const before = await page.locator('#reply').textContent();
  await page.click('#suggest button[type=submit]');
  await page.waitForFunction((b) => {
    const r = document.getElementById('reply');
    return !r.hidden && r.textContent && r.textContent !== b;
  }, before, { timeout: 30000 });
  return {
    text: await page.locator('#reply').textContent(),
    kind: await page.locator('#reply').getAttribute('class'),
  };
}

async function viewer(browser, report) {
  const bo = await viewerPage(browser, report, 'bo');
  const ada = await viewerPage(browser, report, 'ada');
  report.boReply = await suggest(bo, 'a paper boat in a storm', 'Bo');
  report.adaReply = await suggest(ada, 'a purple whale singing opera', 'Ada');
  const number = (report.adaReply.text.match(/#(\d+)/) || [])[1];
  report.adaNumber = number ? Number(number) : null;
  const item = '#queue li[data-number="' + number + '"]';
  // Ada sees her suggestion in the public queue; Bo sees it too, with a vote button
  await ada.waitForSelector(item, { timeout: 30000 });
  report.adaSeesQueued = await ada.locator(item).textContent();
  report.adaHasVoteButton = (await ada.locator(item + ' button.vote').count()) > 0;
  await bo.waitForSelector(item + ' button.vote', { timeout: 30000 });
  await bo.click(item + ' button.vote');
  await bo.waitForFunction(() => /vote/.test(document.getElementById('reply').textContent) && /#\d+ has/.test(document.getElementById('reply').textContent), null, { timeout: 30000 })
    .catch(() => {});
  report.voteReply = await bo.locator('#reply').textContent();
  // in the queue, or among the picked ones when Bo's shot was made meanwhile and hers is next
  report.votesShown = await ada.waitForFunction((n) => {
    const li = document.querySelector('#queue li[data-number="' + n + '"], #picked li[data-number="' + n + '"]');
    return li && /1 vote/.test(li.textContent) ? li.textContent : null;
  }, number, { timeout: 30000 }).then((h) => h.jsonValue())
    .catch(async () => 'not shown; queue: ' + await ada.locator('#queue').textContent() + '; picked: ' + await ada.locator('#picked').textContent());
  // Bo votes again: refused, said so
  report.secondVote = await bo.evaluate(async ([n]) => {
    const token = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
    const r = await fetch(location.pathname.replace('/watch/', '/api/channels/') + '/votes', {
      method: 'POST', body: new URLSearchParams({ number: String(n) }), headers: { 'X-CSRF-Token': token } });
    return { status: r.status, body: await r.json() };
  }, [report.adaNumber]);

  // Ada follows hers in "your suggestions", until the caption credits her
  report.adaStatuses = [];
  const started = Date.now();
  report.credit = null;
  while (Date.now() - started < 300000) {
    const mine = await ada.locator('#mine li[data-number="' + number + '"]').textContent().catch(() => null);
    if (mine && report.adaStatuses[report.adaStatuses.length - 1] !== mine) { report.adaStatuses.push(mine); }
    const credit = await ada.locator('#credit').textContent();
    if (credit && credit.includes('Ada') && await ada.locator('#credit').isVisible()) {
      report.credit = credit;
      report.creditAfterSeconds = (Date.now() - started) / 1000;
      report.captionTitle = await ada.locator('#title').textContent();
      break;
    }
    await ada.waitForTimeout(500);
  }
}

async function review(browser, report) {
  const corpus = JSON.parse(corpusJson);
  const viewers = [];
  for (let i = 0; i < corpus.length; i++) {
    const page = await viewerPage(browser, report, 'viewer' + i);
    viewers.push(page);
    const reply = await suggest(page, 'a shot of ' + corpus[i], corpus[i].slice(0, 32));
    reply.submitted = 'a shot of ' + corpus[i];
    report.replies.push(reply);
  }
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const operator = await context.newPage();
  watch(operator, report, 'operator');
  await operator.goto(base + '/admin');
  await operator.fill('input[name=name]', 'admin');
  await operator.fill('input[name=password]', password);
  await Promise.all([operator.waitForNavigation(), operator.click('button[type=submit]')]);
  await operator.goto(base + '/admin/studio');
  report.pages.push(await inspect(operator, '/admin/studio'));
  const section = '#studio-' + channel;
  report.pendingBefore = await operator.locator(section + ' ul.review > li').count();
  await operator.locator(section + ' ul.review > li').first().locator('button.ok').click();
  await operator.waitForFunction((s) => {
    const n = document.querySelector(s + ' .notice');
    return n && /approved/.test(n.textContent);
  }, section, { timeout: 30000 }).catch(() => {});
  report.approvedNotice = await operator.locator(section + ' .notice').first().textContent().catch(() => null);
  report.pendingAfter = await operator.locator(section + ' ul.review > li').count();
  report.pages.push(await inspect(operator, '/admin/studio (after approving)'));

  // live, without a reload: a suggestion that comes while the operator types a reason waits (what
  // is typed is kept); once the reason is cleared and the box left, it shows, and can be approved
  const reason = operator.locator(section + ' ul.review > li').first().locator('input[name=reason]');
  await reason.fill('thinking about it');
  const late = await viewerPage(browser, report, 'late');
  report.lateReply = await suggest(late, 'a late lighthouse at dawn', 'Late');
  report.heldWhileTyping = await operator.waitForFunction(() => {
    const s = document.getElementById('studio');
    return s && Number(s.getAttribute('data-waiting')) > 0;
  }, null, { timeout: 30000 }).then(() => true).catch(() => false);
  report.lateShownWhileTyping = /late lighthouse/.test(await operator.locator(section).textContent());
  report.typedKept = await reason.inputValue();
  await reason.fill('');
  await operator.locator('h1').click();
  report.lateShown = await operator.waitForFunction((s) => {
    const items = Array.from(document.querySelectorAll(s + ' ul.review > li'));
    const item = items.find((li) => /late lighthouse/.test(li.textContent));
    return item ? item.id : null;
  }, section, { timeout: 30000 }).then((h) => h.jsonValue()).catch(() => null);
  report.liveTokensFilled = await operator.evaluate((s) => Array.from(document.querySelectorAll(s + ' input[name="_csrf"]'))
    .every((i) => i.value.length > 0), section);
  if (report.lateShown) {
    await operator.locator('#' + report.lateShown + ' button.ok').click();
    report.lateApprovedNotice = await operator.waitForFunction((s) => {
      const n = document.querySelector(s + ' .notice');
      return n && /approved/.test(n.textContent) && !/#1 /.test(n.textContent) ? n.textContent : null;
    }, section, { timeout: 30000 }).then((h) => h.jsonValue()).catch(() => null);
  }
  report.pages.push(await inspect(operator, '/admin/studio (live)'));
  await operator.goto(base + '/admin/audit');
  report.pages.push(await inspect(operator, '/admin/audit'));

  // the first viewer sees it leave review: queued, being made, or on air, in the public lists
  const first = viewers[0];
  report.firstViewerSees = await first.waitForFunction(() => {
    const lists = ['#queue', '#picked'].map((s) => document.querySelector(s).textContent).join(' ');
    return /#1\b/.test(lists) ? lists : null;
  }, null, { timeout: 60000 }).then((h) => h.jsonValue()).catch(() => null);
  for (let i = 0; i < viewers.length; i++) {
    report.pages.push(await inspect(viewers[i], '/watch/' + channel + ' (viewer' + i + ')'));
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
      '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const report = { scenario, dialogs: [], pages: [], replies: [], consoleErrors: [], cspViolations: [] };
  try {
    if (scenario === 'viewer') { await viewer(browser, report); } else { await review(browser, report); }
  } catch (e) {
    report.fatal = String(e && e.stack || e);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report) + '\n');
})().catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
