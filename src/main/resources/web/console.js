// The console's own script (no inline script anywhere: the CSP forbids it). htmx requests carry
// the session's CSRF token as a header; the jobs table and the studio follow their live streams,
// whose rows and sections the server renders with the same templates as the pages.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute('content') : '';
  document.body.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = token;
  });

  // forms rendered for every operator at once (the live streams) carry no token: give them ours
  function fillTokens(root) {
    var fields = root.querySelectorAll('input[name="_csrf"]');
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value) { fields[i].value = token; }
    }
  }

  var jobs = document.getElementById('jobs');
  if (jobs && jobs.getAttribute('data-events') && window.EventSource) {
    var events = new EventSource(jobs.getAttribute('data-events'));
    events.addEventListener('jobs', function (e) {
      if (window.htmx) {
        window.htmx.swap(jobs, e.data, { swapStyle: 'innerHTML' });
        fillTokens(jobs);
      }
    });
  }

  // the studio follows its live stream: each event is one channel's section, swapped in whole,
  // except while the operator is busy in it (focus inside, or a reason typed but not sent): then
  // it waits until the operator leaves the section, so nothing typed is lost
  var studio = document.getElementById('studio');
  if (studio && studio.getAttribute('data-events') && window.EventSource) {
    var waiting = {};
    var busy = function (section) {
      if (section.contains(document.activeElement)) { return true; }
      var typed = section.querySelectorAll('input[name="reason"]');
      for (var i = 0; i < typed.length; i++) {
        if (typed[i].value) { return true; }
      }
      return false;
    };
    var count = function () {
      studio.setAttribute('data-waiting', String(Object.keys(waiting).length));
    };
    var place = function (id) {
      var section = document.getElementById(id);
      var html = waiting[id];
      if (!section || html === undefined || busy(section) || !window.htmx) { count(); return; }
      delete waiting[id];
      count();
      // the notice of the operator's last action stays until the page is left
      var notice = section.querySelector('.notice');
      window.htmx.swap(section, html, { swapStyle: 'outerHTML' });
      var fresh = document.getElementById(id);
      if (fresh) {
        fillTokens(fresh);
        var heading = fresh.querySelector('h2');
        if (notice && !fresh.querySelector('.notice') && heading) { heading.after(notice); }
      }
    };
    var studioEvents = new EventSource(studio.getAttribute('data-events'));
    studioEvents.addEventListener('studio', function (e) {
      var match = /^\s*<section[^>]*\bid="(studio-[^"]+)"/.exec(e.data);
      if (!match) { return; }
      waiting[match[1]] = e.data;
      place(match[1]);
    });
    var retry = function () {
      setTimeout(function () {
        Object.keys(waiting).forEach(place);
      }, 0);
    };
    studio.addEventListener('focusout', retry);
    studio.addEventListener('input', retry);
    // a section the operator's own action replaced is current: an older copy waiting is dropped
    document.body.addEventListener('htmx:afterSwap', function (e) {
      var target = e.detail && e.detail.requestConfig ? e.detail.target : null;
      if (target && target.id) { delete waiting[target.id]; count(); }
    });
    // a focused button removed by a swap may leave without a focusout: look again now and then
    setInterval(retry, 2000);
  }
})();
