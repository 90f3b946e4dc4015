// The console's own script (no inline script anywhere: the CSP forbids it). htmx requests carry
// the session's CSRF token as a header; the jobs table follows the live jobs stream, whose rows
// the server renders with the same template as the page.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute('content') : '';
  document.body.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = token;
  });

  var jobs = document.getElementById('jobs');
  if (jobs && jobs.getAttribute('data-events') && window.EventSource) {
    var events = new EventSource(jobs.getAttribute('data-events'));
    events.addEventListener('jobs', function (e) {
      if (window.htmx) {
        window.htmx.swap(jobs, e.data, { swapStyle: 'innerHTML' });
      }
    });
  }
})();
