// The clip page: an export link asks for its file until the server has made it (202 while it
// is being made, 503 when every export slot is busy), then downloads it. Without this script the
// links still work: the server answers with the file once made, or says it is being made.
(function () {
  'use strict';
  var state = document.getElementById('export-state');
  var links = document.querySelectorAll('a.export');

  function wait(link, attempt) {
    fetch(link.href, { headers: { Accept: 'application/json' } }).then(function (r) {
      if (r.status === 200) {
        state.textContent = link.textContent + ' ready';
        link.setAttribute('download', document.body.getAttribute('data-clip') + '.' + link.getAttribute('data-format'));
        link.setAttribute('data-ready', 'true');
        link.classList.add('ready');
        link.click();
        return null;
      }
      if ((r.status === 202 || r.status === 503) && attempt < 300) {
        var after = parseInt(r.headers.get('Retry-After') || '1', 10);
        return r.json().then(function (body) {
          state.textContent = r.status === 202
            ? 'Making the ' + link.getAttribute('data-format') + '… ' + Math.round((body.progress || 0) * 100) + '%'
            : 'Busy making other exports; trying again…';
          setTimeout(function () { wait(link, attempt + 1); }, Math.min(Math.max(after, 1), 10) * 1000);
        });
      }
      state.textContent = 'The export failed (' + r.status + ').';
      return null;
    }).catch(function () { state.textContent = 'The export failed.'; });
  }

  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener('click', function (event) {
      if (link.getAttribute('data-ready') === 'true') { return; }
      event.preventDefault();
      state.textContent = 'Making the ' + link.getAttribute('data-format') + '…';
      wait(link, 0);
    });
  });
}());
