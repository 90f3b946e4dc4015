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
  var src = '/hls/' + encodeURIComponent(channel) + '/master.m3u8';
  var captionsOn = true;
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
      procedural: !!a.procedural, slate: !!a.slate };
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
    // EventSource reconnects by itself after a dropped connection. A refusal (the origin has as
    // many event streams as it allows: 503) closes it for good: read the state once, try later.
    events.onerror = function () {
      if (events.readyState !== EventSource.CLOSED) { return; }
      fetch(api).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (status) { if (status) { apply(status); } })
        .catch(function () { /* the next try may do better */ });
      setTimeout(connect, 20000 + Math.random() * 20000);
    };
  }

  connect();
  setInterval(render, 250);
  // for tools that check what a viewer sees against the timeline (tools/watch-check.js)
  window.LatentTV = { pictureTime: pictureTime };
})();
