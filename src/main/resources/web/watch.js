// The watch page: plays the channel's live HLS (hls.js, or the browser's own HLS) and keeps the
// caption in step with the picture. Now-playing events arrive by server-sent events as soon as
// the server's airing changes; the player is a few segments behind the live edge, so each
// airing is shown when the picture reaches its start (EXT-X-PROGRAM-DATE-TIME), not before.
// The master playlist carries the narrator's captions (a WebVTT subtitles rendition) when the
// channel has a narrator: the CC button appears and captions are on until the viewer turns them
// off. Cue text is shown by the browser's own text-track rendering: text only, never markup.
(function () {
  'use strict';
  var channel = document.body.getAttribute('data-channel');
  var video = document.getElementById('video');
  var titleEl = document.getElementById('title');
  var promptEl = document.getElementById('prompt');
  var nextEl = document.getElementById('next');
  var badgeEl = document.getElementById('badge');
  var ccEl = document.getElementById('cc');
  var clipLink = document.getElementById('cliplink');
  var src = '/hls/' + encodeURIComponent(channel) + '/master.m3u8';
  var captionsOn = true;
  var creditEl = document.getElementById('credit');
  var hls = null;
  var airings = [];   // known airings, oldest first: {start: ms, end: ms, title, prompt, procedural}
  var upNext = null;
  var shown = null;

  if (window.Hls && window.Hls.isSupported()) {
    hls = new window.Hls({ liveSyncDurationCount: 3, lowLatencyMode: false, enableWorker: true });
    hls.loadSource(src);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, function (event, data) {
      if (data.subtitleTracks && data.subtitleTracks.length) { offerCaptions(); }
    });
    hls.on(window.Hls.Events.ERROR, function (event, data) {
      if (!data.fatal) { return; }
      if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) { hls.startLoad(); }
      else if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); }
    });
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src;
  }
  if (!hls && video.textTracks) {
    // the browser's own HLS (Safari) adds the subtitles rendition as a text track
    video.textTracks.addEventListener('addtrack', function (e) {
      if (e.track && (e.track.kind === 'subtitles' || e.track.kind === 'captions')) { offerCaptions(); }
    });
  }

  function offerCaptions() {
    ccEl.hidden = false;
    setCaptions(captionsOn);
  }

  function setCaptions(on) {
    captionsOn = on;
    ccEl.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (hls) {
      hls.subtitleDisplay = on;
      if (on && hls.subtitleTrack < 0 && hls.subtitleTracks.length) { hls.subtitleTrack = 0; }
    }
    for (var i = 0; i < video.textTracks.length; i++) {
      var track = video.textTracks[i];
      if (track.kind === 'subtitles' || track.kind === 'captions') { track.mode = on ? 'showing' : 'hidden'; }
    }
  }

  ccEl.addEventListener('click', function () { setCaptions(!captionsOn); });

  video.muted = true;
  var playing = video.play();
  if (playing && playing.catch) { playing.catch(function () { /* autoplay refused: the controls remain */ }); }

  function airing(a) {
    return a && { start: Date.parse(a.start), end: Date.parse(a.end), title: a.title, prompt: a.prompt,
      procedural: !!a.procedural, slate: !!a.slate, clipId: a.clipId || null, credit: a.credit || null };
  }

  function remember(a) {
    if (!a) { return; }
    for (var i = 0; i < airings.length; i++) {
      if (airings[i].start === a.start) { airings[i] = a; return; }
    }
    airings.push(a);
    airings.sort(function (x, y) { return x.start - y.start; });
    while (airings.length > 20) { airings.shift(); }
  }

  // The wall-clock time of the frame on screen, from the playlist's PROGRAM-DATE-TIME.
  function pictureTime() {
    if (hls && hls.playingDate) { return hls.playingDate.getTime(); }
    if (video.getStartDate) {
      var start = video.getStartDate().getTime();
      if (!isNaN(start)) { return start + video.currentTime * 1000; }
    }
    return Date.now();
  }

  function render() {
    var t = pictureTime();
    var current = null;
    for (var i = 0; i < airings.length; i++) {
      if (airings[i].start <= t + 100) { current = airings[i]; }
    }
    if (!current && airings.length) { current = airings[0]; }
    if (current && current !== shown) {
      shown = current;
      titleEl.textContent = current.title;
      promptEl.textContent = current.prompt;
      badgeEl.hidden = !current.procedural;
      if (clipLink) {
        clipLink.hidden = !current.clipId;
        if (current.clipId) { clipLink.href = '/clips/' + encodeURIComponent(current.clipId); }
      }
      if (creditEl) {
        creditEl.hidden = !current.credit;
        creditEl.textContent = current.credit
          ? 'Suggested by ' + (current.credit.name || 'a viewer') + ' (#' + current.credit.number + ')' : '';
      }
      document.title = current.title + ' · LatentTV';
    }
    var after = null;
    for (var j = 0; j < airings.length; j++) {
      if (current && airings[j].start > current.start) { after = airings[j]; break; }
    }
    if (!after && upNext && (!current || upNext.start > current.start)) { after = upNext; }
    nextEl.textContent = after ? after.title : '…';
  }

  var api = '/api/channels/' + encodeURIComponent(channel);

  function apply(status) {
    remember(airing(status.nowPlaying));
    upNext = airing(status.upNext);
    render();
  }

  function connect() {
    var events = new EventSource(api + '/events');
    events.addEventListener('now-playing', function (e) { apply(JSON.parse(e.data)); });
    events.addEventListener('queue', function (e) { audience.show(JSON.parse(e.data)); });
    // EventSource reconnects by itself after a dropped connection. A refusal (the origin has as
    // many event streams as it allows: 503) closes it for good: read the state once, try later.
    events.onerror = function () {
      if (events.readyState !== EventSource.CLOSED) { return; }
      fetch(api).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (status) { if (status) { apply(status); } })
        .catch(function () { /* the next try may do better */ });
      audience.refresh();
      setTimeout(connect, 20000 + Math.random() * 20000);
    };
  }

  // The viewers' side: the suggestion box, the queue with votes, and this viewer's own suggestions.
  // Every text a viewer wrote is set as textContent, never as markup.
  var audience = (function () {
    var box = document.getElementById('audience');
    if (!box) { return { show: function () {}, refresh: function () {} }; }
    var meta = document.querySelector('meta[name="csrf-token"]');
    var token = meta ? meta.getAttribute('content') : '';
    var form = document.getElementById('suggest');
    var replyEl = document.getElementById('reply');
    var queueEl = document.getElementById('queue');
    var emptyEl = document.getElementById('queue-empty');
    var pendingEl = document.getElementById('pending');
    var pickedEl = document.getElementById('picked');
    var pickedBox = document.getElementById('picked-box');
    var mineEl = document.getElementById('mine');
    var mineBox = document.getElementById('mine-box');
    var mine = {};          // numbers of this viewer's suggestions
    var voted = {};         // numbers this viewer voted for (this page)
    var mineOpen = false;   // this viewer has a suggestion on its way: its status is fetched on each change

    function say(answer) {
      replyEl.hidden = false;
      replyEl.textContent = answer.message;
      replyEl.className = 'reply ' + (answer.accepted
        ? (answer.suggestion && answer.suggestion.state === 'PENDING' ? 'pending' : 'accepted') : 'refused');
    }

    function post(path, fields) {
      var body = new URLSearchParams(fields);
      return fetch(api + path, {
        method: 'POST', credentials: 'same-origin', body: body,
        headers: { 'X-CSRF-Token': token, 'Accept': 'application/json' }
      }).then(function (r) {
        return r.json().catch(function () { return { accepted: false, message: 'Something went wrong (' + r.status + '); try again.' }; });
      }).catch(function () { return { accepted: false, message: 'The station cannot be reached; try again.' }; });
    }

    function item(s, withVote) {
      var li = document.createElement('li');
      li.setAttribute('data-number', String(s.number));
      var number = document.createElement('b');
      number.textContent = '#' + s.number + ' ';
      var text = document.createElement('span');
      text.className = 'text';
      text.textContent = s.text;
      var by = document.createElement('small');
      by.textContent = ' by ' + (s.name || 'a viewer') + (mine[s.number] ? ' (you)' : '');
      li.appendChild(number);
      li.appendChild(text);
      li.appendChild(by);
      if (withVote) {
        var votes = document.createElement('span');
        votes.className = 'votes';
        votes.textContent = ' ' + s.votes + (s.votes === 1 ? ' vote ' : ' votes ');
        li.appendChild(votes);
        if (!mine[s.number] && !voted[s.number]) {
          var button = document.createElement('button');
          button.type = 'button';
          button.className = 'vote';
          button.textContent = 'Vote';
          button.addEventListener('click', function () {
            button.disabled = true;
            post('/votes', { number: String(s.number) }).then(function (answer) {
              say(answer);
              if (answer.accepted || answer.why === 'ALREADY_VOTED') { voted[s.number] = true; button.remove(); }
              else { button.disabled = false; }
            });
          });
          li.appendChild(button);
        }
      } else {
        if (s.votes > 0) {
          var counted = document.createElement('span');
          counted.className = 'votes';
          counted.textContent = ' ' + s.votes + (s.votes === 1 ? ' vote' : ' votes');
          li.appendChild(counted);
        }
        var status = document.createElement('small');
        status.className = 'status';
        status.textContent = ': ' + s.status;
        li.appendChild(status);
      }
      return li;
    }

    function fill(list, items, withVote) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      for (var i = 0; i < items.length; i++) { list.appendChild(item(items[i], withVote)); }
    }

    function show(queue) {
      fill(queueEl, queue.queued, true);
      emptyEl.hidden = queue.queued.length > 0;
      var coming = queue.picked.slice();
      if (queue.onAir) { coming.unshift(queue.onAir); }
      fill(pickedEl, coming, false);
      pickedBox.hidden = coming.length === 0;
      pendingEl.textContent = queue.awaitingReview > 0 ? '(' + queue.awaitingReview + ' waiting for a moderator)' : '';
      if (mineOpen) { refreshMine(); }
    }

    function refreshMine() {
      fetch(api + '/suggestions/mine', { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          mineOpen = false;
          for (var i = 0; i < list.length; i++) {
            mine[list[i].number] = true;
            if (['PENDING', 'QUEUED', 'MAKING', 'READY', 'ON_AIR'].indexOf(list[i].state) >= 0) { mineOpen = true; }
          }
          fill(mineEl, list, false);
          mineBox.hidden = list.length === 0;
        })
        .catch(function () { /* shown at the next change */ });
    }

    function refresh() {
      fetch(api + '/queue').then(function (r) { return r.ok ? r.json() : null; })
        .then(function (queue) { if (queue) { show(queue); } })
        .catch(function () { /* the next try may do better */ });
    }

    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var button = form.querySelector('button[type=submit]');
        button.disabled = true;
        var fields = { text: form.elements.text.value, name: form.elements.name.value };
        post('/suggestions', fields).then(function (answer) {
          button.disabled = false;
          say(answer);
          if (answer.accepted) {
            form.elements.text.value = '';
            mine[answer.suggestion.number] = true;
            mineOpen = true;
            refreshMine();
          }
        });
      });
    }
    refreshMine();
    return { show: show, refresh: refresh };
  })();

  connect();
  setInterval(render, 250);
  // for tools that check what a viewer sees against the timeline (tools/watch-check.js)
  window.LatentTV = { pictureTime: pictureTime };
})();
