// The demo of trackMedia (the element entry, no video.js 7 or 8): a plain <video> played by
// hls.js, or a Video.js 10 player, tracked against the demo's emulator. The choices come from the
// query (`?player=videojs10&media=hls&path=edge`); the emulator's own page shows the requests.

const $ = (id) => document.getElementById(id);

/** The choices and their values, the first of each the default. */
const CHOICES = {
  player: ['html5', 'videojs10'],
  media: ['mp4', 'hls'],
  path: ['media-collection', 'edge']
};
const MEDIA = {
  mp4: { src: '/media/vod.mp4', title: 'Big test pattern (MP4)' },
  hls: { src: '/media/hls/master.m3u8', title: 'Big test pattern (HLS)' }
};

/** The choices of the query, each a known value or its default. */
function readChoices() {
  const query = new URLSearchParams(location.search);
  const pick = (name) => (CHOICES[name].includes(query.get(name)) ? query.get(name) : CHOICES[name][0]);
  return { player: pick('player'), media: pick('media'), path: pick('path') };
}

/** Links that keep the other choices, the current ones marked. */
function setUpLinks(choices) {
  for (const name of Object.keys(CHOICES)) {
    for (const link of document.querySelectorAll(`a[data-${name}]`)) {
      const value = link.dataset[name];
      link.href = `?${new URLSearchParams({ ...choices, [name]: value })}`;
      if (value === choices[name]) link.setAttribute('aria-current', 'true');
    }
  }
}

/** A muted media element of `tag` on `src`, inline, with the controls. */
function mediaElement(tag, src, title) {
  const media = document.createElement(tag);
  media.muted = true;
  media.controls = true;
  media.setAttribute('muted', '');
  media.setAttribute('playsinline', '');
  media.setAttribute('title', title);
  media.setAttribute('src', src);
  return media;
}

/** The chosen player in `box`; returns what trackMedia tracks and the engine it needs to be told of. */
async function makePlayer(choices, box) {
  const { src, title } = MEDIA[choices.media];
  if (choices.player === 'videojs10') {
    await import('/vendor/videojs-html/video.js');
    await import('/vendor/videojs-html/media/hls-video.js');
    const player = document.createElement('video-player');
    const skin = document.createElement('video-skin');
    skin.appendChild(mediaElement(choices.media === 'hls' ? 'hls-video' : 'video', src, title));
    player.appendChild(skin);
    box.appendChild(player);
    return { target: player, engine: undefined };
  }
  const video = mediaElement('video', src, title);
  box.appendChild(video);
  if (choices.media !== 'hls' || !window.Hls.isSupported()) return { target: video, engine: undefined };
  // hls.js plays the manifest; the tracker reads its bitrate and its fatal errors.
  video.removeAttribute('src');
  const hls = new window.Hls();
  hls.attachMedia(video);
  hls.loadSource(src);
  return { target: video, engine: hls };
}

/** Session id, last end and last error, from the tracker's events on its target. */
function setUpStatus(target, tracker) {
  const show = (id, text) => ($(id).textContent = text);
  target.addEventListener('mediacollection:sessionstart', (event) => show('session-id', event.detail.sessionId));
  target.addEventListener('mediacollection:sessionend', (event) => {
    show('session-id', tracker.sessionId || 'none');
    show('session-end', `${event.detail.reason} (${event.detail.sessionId || 'no id'})`);
  });
  target.addEventListener('mediacollection:error', (event) => show('plugin-error', `${event.detail.code}: ${event.detail.message}`));
}

async function main() {
  let config;
  try {
    config = await (await fetch('/config.json', { cache: 'no-store' })).json();
  } catch (error) {
    $('load-error').hidden = false;
    $('load-error').textContent = `Could not load /config.json (${error.message}); is the demo server running?`;
    return;
  }
  const choices = readChoices();
  setUpLinks(choices);
  const scope = `el-${Math.random().toString(36).slice(2, 10)}`;
  const emulated = typeof config.emulatorUrl === 'string' && config.emulatorUrl !== '';
  const scoped = (base) =>
    emulated && base.startsWith(config.emulatorUrl) ? `${config.emulatorUrl}/p/${scope}${base.slice(config.emulatorUrl.length)}` : base;
  const onEdge = choices.path === 'edge' && !!config.edgeEndpoint;
  $('intro-api').textContent = onEdge ? 'Media Edge API (Edge Network)' : 'Media Collection API';
  $('intro-player').textContent = choices.player === 'videojs10' ? 'a Video.js 10 player' : 'a plain <video> (hls.js for HLS)';
  $('scope').textContent = emulated ? scope : 'a real collection host';

  const { target, engine } = await makePlayer(choices, $('player-box'));
  const params = {
    ...(onEdge ? {} : { 'analytics.trackingServer': 'demo.sc.omtrdc.net', 'analytics.reportSuite': 'demo-rsid' }),
    'visitor.marketingCloudOrgId': 'DEMO@AdobeOrg',
    'visitor.marketingCloudUserId': '12345678901234567890123456789012345678',
    'media.channel': 'demo'
  };
  const tracker = window.mediaCollectionElement.trackMedia(target, {
    ...(onEdge
      ? { edge: { datastreamId: 'demo-datastream', endpoint: scoped(config.edgeEndpoint) } }
      : { endpoint: scoped(config.endpoint) }),
    params,
    customMetadata: { 'demo.page': 'trackMedia demo', 'demo.scope': scope },
    engine
  });
  window.tracker = tracker;
  setUpStatus(target, tracker);
  if (emulated) $('emulator-page').src = `${config.emulatorUrl}/__emulator/?scope=${scope}`;
}

main();
