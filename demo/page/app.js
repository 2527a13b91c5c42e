// The demo page: one video.js player with the mediaCollection plugin, and, when the demo runs
// the emulator, fault knobs and a timeline of every request the emulator received.
//
// Everything that comes from a request is written with textContent (or as a DOM property),
// never as HTML: the request bodies are whatever the page, or anyone else, sent.

/* global videojs */

/**
 * The media choices. `id` and `name` go to `player.mediainfo`, so they become media.id and
 * media.name; `chapters` is a WebVTT chapters file for the item (the plugin sends chapterStart,
 * chapterComplete and chapterSkip from it).
 */
const MEDIA = {
  mp4: {
    id: 'demo-vod-mp4',
    name: 'Demo VOD (MP4, 30 s)',
    src: '/media/vod.mp4',
    type: 'video/mp4',
    chapters: '/media/chapters.vtt'
  },
  hls: {
    id: 'demo-vod-hls',
    name: 'Demo VOD (HLS, two renditions)',
    src: '/media/hls/master.m3u8',
    type: 'application/x-mpegURL',
    chapters: '/media/chapters.vtt'
  },
  // No ads: played in the player's own element after live content, an ad clip starts at its end
  // (video.js keeps the live stream's seek) and is over at once.
  live: { id: 'demo-live-hls', name: 'Demo live stream (HLS)', src: '/media/live/master.m3u8', type: 'application/x-mpegURL', noAds: true }
};

/**
 * The ads of the Ads checkboxes, played by the local integration (local-ads.js) from the demo
 * server: `id` becomes media.ad.id; `skipAfter` simulates a viewer who skips the ad after 1 s.
 */
const PREROLL = [{ id: 'demo-preroll-1', src: '/media/ad-1.mp4' }];
const MIDROLL = {
  at: 10,
  ads: [
    { id: 'demo-midroll-1', src: '/media/ad-1.mp4' },
    { id: 'demo-midroll-2', src: '/media/ad-2.mp4', skipAfter: 1 }
  ]
};

/** The slow-media throttle in bytes per second: below the sample media's bit rate, so it stalls. */
const SLOW_RATE = 20000;
const POLL_MS = 500;

/** The sessionStart params the timeline shows. */
const START_KEYS = [
  'media.id',
  'media.name',
  'media.length',
  'media.contentType',
  'media.streamType',
  'media.resume',
  'visitor.marketingCloudUserId'
];
/** The same on the Edge: the XDM fields of `mediaCollection.sessionDetails`. */
const EDGE_START_KEYS = ['name', 'friendlyName', 'length', 'contentType', 'streamType', 'hasResume'];
/** The fields of an Edge event's `mediaCollection` the timeline does not list (other columns show the first two). */
const EDGE_HIDDEN = ['playhead', 'sessionID', 'sessionDetails', 'customMetadata'];

/**
 * The Path and Identity choices: set the plugin's options, so they are made by reloading the page
 * with a query (`?path=edge&identity=web-sdk`); the first value of each is the default.
 */
const PATHS = { 'media-collection': 'Media Collection API', edge: 'Edge Network (Media Edge API)' };
const IDENTITIES = { none: 'params', 'visitor-api': 'Visitor API stand-in', 'web-sdk': 'Web SDK stand-in' };
/** The ECID the page gives in params when no identity code is on it. */
const PARAMS_ECID = '12345678901234567890123456789012345678';
/** The datastream of the Edge path (the emulator takes any). */
const DATASTREAM_ID = 'demo-datastream';

const $ = (id) => document.getElementById(id);

/** A scope of the emulator unique to this page load, so that two tabs do not mix. */
function newScope() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `demo-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Creates an element with a class and text; never parses HTML. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const shortSid = (sid) => (typeof sid === 'string' && sid.length > 12 ? `${sid.slice(0, 8)}…` : sid || '—');

function clock(ms) {
  if (typeof ms !== 'number') return '—';
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function show(value) {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The choices the query makes: `{ path, identity }`, each a key of PATHS or IDENTITIES (the default when missing or unknown). */
function readChoices() {
  const query = new URLSearchParams(location.search);
  const pick = (name, options) => (Object.hasOwn(options, query.get(name)) ? query.get(name) : Object.keys(options)[0]);
  return { path: pick('path', PATHS), identity: pick('identity', IDENTITIES) };
}

/** The Path and Identity radio buttons show `choices`; a change reloads the page with the new query. */
function setUpChoices(choices) {
  for (const name of ['path', 'identity']) {
    for (const radio of document.querySelectorAll(`input[name="${name}"]`)) {
      radio.checked = radio.value === choices[name];
      radio.addEventListener('change', () => {
        const query = new URLSearchParams(location.search);
        query.set(name, radio.value);
        location.search = query.toString();
      });
    }
  }
}

async function main() {
  let config;
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    config = await response.json();
  } catch (error) {
    $('load-error').textContent = `Could not load /config.json (${error.message}); is the demo server running?`;
    $('load-error').hidden = false;
    return;
  }

  const choices = readChoices();
  setUpChoices(choices);
  const hasEmulator = typeof config.emulatorUrl === 'string' && config.emulatorUrl !== '';
  const edgeBase = typeof config.edgeEndpoint === 'string' && config.edgeEndpoint !== '' ? config.edgeEndpoint : null;
  if (!edgeBase) {
    // A real collection host and no Edge base (`--edge-endpoint`): the Media Collection API only.
    document.querySelector('input[name="path"][value="edge"]').disabled = true;
    $('path-hint').textContent = 'No Edge Network base: start the demo with --edge-endpoint (or without --endpoint) for the Edge path.';
    if (choices.path === 'edge') $('path-hint').textContent += ' The page uses the Media Collection API.';
    choices.path = 'media-collection';
    document.querySelector('input[name="path"][value="media-collection"]').checked = true;
  }
  const onEdge = choices.path === 'edge';
  // The emulator serves both APIs; the Edge base may still be a real one (`--edge-endpoint`).
  const emulated = hasEmulator && (!onEdge || edgeBase.startsWith(`${config.emulatorUrl}/`));
  const scope = newScope();
  const endpoint = onEdge
    ? emulated
      ? `${config.emulatorUrl}/p/${scope}${edgeBase.slice(config.emulatorUrl.length)}`
      : edgeBase
    : emulated
      ? `${config.endpoint}/p/${scope}`
      : config.endpoint;
  $('intro-api').textContent = onEdge ? 'Media Edge API (Edge Network)' : 'Media Collection API';
  $('path-status').textContent = onEdge ? `${PATHS.edge}, datastream ${DATASTREAM_ID}` : PATHS['media-collection'];
  // The identity code goes on the page before the plugin, as a site loads it before its player.
  const ecid = choices.identity === 'none' ? PARAMS_ECID : window.demoIdentity.install(choices.identity);
  $('identity-source').textContent = IDENTITIES[choices.identity];
  $('identity-ecid').textContent = ecid;

  const player = videojs('demo-player', { fluid: true, preload: 'auto' });
  // contrib-ads (under the local integration) must be set up in the same tick as the player,
  // before its first source; the checkboxes are read at each ad opportunity. videojs-contrib-ads
  // 7 needs video.js 8 (`VIDEOJS_MAJOR=7 npm run demo` has no ads).
  if (Number(videojs.VERSION.split('.')[0]) >= 8) {
    window.localAds(player, () => {
      const choice = document.querySelector('input[name="media"]:checked');
      if (!choice || MEDIA[choice.value].noAds) return null;
      return { preroll: $('ad-preroll').checked ? PREROLL : null, midroll: $('ad-midroll').checked ? MIDROLL : null };
    });
  } else {
    $('ads-choice').disabled = true;
    $('ads-hint').textContent = `No ads with video.js ${videojs.VERSION}: videojs-contrib-ads 7 needs video.js 8.`;
  }
  // The Edge has no fields for the Analytics params (the datastream holds those settings): left
  // out there, where the plugin would warn of them. The org id finds the Visitor API's instance.
  const params = {
    ...(onEdge ? {} : { 'analytics.trackingServer': 'demo.sc.omtrdc.net', 'analytics.reportSuite': 'demo-rsid' }),
    'visitor.marketingCloudOrgId': 'DEMO@AdobeOrg',
    // With identity code on the page, the plugin asks it for the ECID.
    ...(choices.identity === 'none' ? { 'visitor.marketingCloudUserId': PARAMS_ECID } : {}),
    'media.channel': 'demo',
    'media.playerName': 'videojs-media-collection demo'
  };
  const tracker = player.mediaCollection({
    ...(onEdge ? { edge: { datastreamId: DATASTREAM_ID, endpoint } } : { endpoint }),
    params,
    customMetadata: { 'demo.page': 'videojs-media-collection demo', 'demo.scope': scope }
  });

  setUpStatus(player, tracker);
  setUpAdStatus(player);
  setUpMedia(player);

  if (emulated) {
    const base = `${config.emulatorUrl}/__emulator/scopes/${scope}`;
    $('scope').textContent = scope;
    $('emulator-url').textContent = config.emulatorUrl;
    $('faults').hidden = false;
    $('timeline-box').hidden = false;
    $('clear').hidden = false;
    const faults = setUpFaults(base);
    setUpTimeline(base, faults);
  } else {
    $('intro-timeline').hidden = true;
    $('timeline-title').textContent = 'Where the requests go';
    $('real-endpoint').textContent = endpoint;
    $('real-host').hidden = false;
    document.body.classList.add('real-collection-host');
  }
}

/** Session id, last session end and last error, as the plugin reports them. */
function setUpStatus(player, tracker) {
  const sid = $('session-id');
  const setSid = (value) => {
    sid.textContent = value || 'none';
    sid.title = value || '';
  };
  player.on('mediacollection:sessionstart', (event, data) => setSid(data && data.sessionId));
  player.on('mediacollection:sessionend', (event, data) => {
    setSid(tracker.sessionId);
    $('session-end').textContent = `${data && data.reason}, ${clock(Date.now()).slice(0, 8)} (${shortSid(data && data.sessionId)})`;
  });
  tracker.on('statechanged', () => setSid(tracker.state.sessionId));
  player.on('mediacollection:error', (event, data) => {
    const node = $('plugin-error');
    node.textContent = `${clock(Date.now()).slice(0, 8)} ${data && data.code}: ${data && data.message}`;
    node.classList.add('is-error');
  });
  setSid(tracker.sessionId);
}

/** What contrib-ads says of the ad break: its type, and the ad playing with its place in the break. */
function setUpAdStatus(player) {
  const status = $('ad-status');
  let type = '';
  player.on('adstart', () => {
    type = player.ads.adType || 'ad';
    status.textContent = `${type} break, waiting for its first ad`;
  });
  player.on('ads-ad-started', (event) => {
    const ad = player.ads.ad || {};
    const index = typeof event.indexInBreak === 'number' ? event.indexInBreak + 1 : '?';
    status.textContent = `${type} break, ad ${index}: ${ad.id || 'no id'}`;
  });
  player.on('ads-ad-skipped', () => {
    status.textContent = `${type} break, ad skipped`;
  });
  player.on('adend', () => {
    status.textContent = `no ad break (last: ${type})`;
  });
}

/** The media radio buttons and the slow-media checkbox. */
function setUpMedia(player) {
  const radios = [...document.querySelectorAll('input[name="media"]')];
  const slow = $('slow-media');
  const current = () => (radios.find((radio) => radio.checked) || radios[0]).value;
  // The chapters track of the media playing, if it has one: one at a time.
  let chapters = null;

  /** Loads the chosen media; playback goes on if it was playing. The plugin ends the old session itself. */
  function load() {
    const choice = MEDIA[current()];
    const wasPlaying = !player.paused();
    player.mediainfo = { id: choice.id, name: choice.name };
    player.src({ src: slow.checked ? `${choice.src}?throttle=${SLOW_RATE}` : choice.src, type: choice.type });
    if (chapters) player.removeRemoteTextTrack(chapters);
    // Removed here, by hand (manualCleanup): video.js would remove it at every source change,
    // and an ad played in the player's element is one (the content would lose its chapters).
    chapters = choice.chapters
      ? player.addRemoteTextTrack({ kind: 'chapters', src: choice.chapters, srclang: 'en', label: 'Chapters' }, true)
      : null;
    if (wasPlaying) {
      const promise = player.play();
      if (promise && promise.catch) promise.catch(() => {});
    }
  }

  radios.forEach((radio) => radio.addEventListener('change', load));
  slow.addEventListener('change', load);
  load();
}

/** The fault knobs: each change is PUT to the scope's faults. Returns `apply()` for after a Clear. */
function setUpFaults(base) {
  const status = $('fault-status');
  const inputs = {
    latency: $('fault-latency'),
    errorRate: $('fault-error-rate'),
    slowStart: $('fault-slow-start'),
    goneAfter: $('fault-gone-after')
  };
  let timer;
  let sequence = 0;

  function read() {
    const values = {};
    for (const [key, input] of Object.entries(inputs)) {
      const value = input.value.trim() === '' ? 0 : Number(input.value);
      const max = Number(input.max);
      if (!Number.isInteger(value) || value < 0 || value > max) {
        throw new Error(`${input.labels[0].textContent} must be a whole number from 0 to ${max}`);
      }
      values[key] = key === 'errorRate' ? value / 100 : value;
    }
    return values;
  }

  async function apply() {
    clearTimeout(timer);
    const mine = ++sequence;
    let values;
    try {
      values = read();
    } catch (error) {
      status.textContent = `Not applied: ${error.message}.`;
      status.classList.add('is-error');
      return;
    }
    try {
      const response = await fetch(`${base}/faults`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(values)
      });
      const body = await response.json();
      if (mine !== sequence) return;
      if (!response.ok) throw new Error(body && body.message ? body.message : `HTTP ${response.status}`);
      status.classList.remove('is-error');
      status.textContent =
        `Applied: latency ${body.latency} ms, ${Math.round(body.errorRate * 100)} % ${body.errorStatus}, ` +
        `slow 201 ${body.slowStart} ms, 410 after ${body.goneAfter ? plural(body.goneAfter, 'event') : 'off'}.`;
    } catch (error) {
      if (mine !== sequence) return;
      status.textContent = `Not applied: ${error.message}.`;
      status.classList.add('is-error');
    }
  }

  for (const input of Object.values(inputs)) {
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(apply, 400);
    });
    input.addEventListener('change', apply);
  }
  apply();
  return { apply };
}

/**
 * Polls the scope's requests and renders one row per request, and, when requests came, the
 * scope's report (report.js draws it); Clear deletes the scope.
 */
function setUpTimeline(base, faults) {
  const body = document.querySelector('#timeline tbody');
  const reportBox = $('report');
  /** Every request seen since the last Clear, for the report's marks, and the last report. */
  let seen = [];
  let report = { sessions: [] };
  let reportDue = false;
  const scroller = $('timeline-scroll');
  const summary = $('summary');
  let last = 0;
  let generation = 0;
  let counts = { requests: 0, invalid: 0, violations: 0, failed: 0 };
  let sessions = 0;
  let unreachable = '';

  function details(record) {
    const cell = el('td', 'details');
    const add = (className, text) => cell.appendChild(el('span', className, text));
    const pairs = (object, keys, prefix = '') => {
      for (const key of keys) {
        if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
        const pair = el('span', 'kv');
        pair.appendChild(el('span', 'k', `${prefix}${key}=`));
        pair.appendChild(el('span', 'v', show(object[key])));
        cell.appendChild(pair);
      }
    };
    const data = record.body && typeof record.body === 'object' ? record.body : null;
    const isObject = (value) => !!value && typeof value === 'object' && !Array.isArray(value);
    // sessionStart: the params that describe the media; any other event: its few params (a
    // state's name, a chapterStart's media.chapter.index, offset, length and friendlyName) and
    // its qoeData (an error's errorID, a bitrate).
    if (data && isObject(data.params)) {
      pairs(data.params, record.eventType === 'sessionStart' ? START_KEYS : Object.keys(data.params));
    }
    if (data && isObject(data.qoeData)) pairs(data.qoeData, Object.keys(data.qoeData));
    // The Edge's XDM (`{ events: [{ xdm }] }`): at sessionStart the session details that describe
    // the media and the ECID of identityMap; at any event its details objects (ad break, ad,
    // chapter, states, QoE, error), by their path under `mediaCollection`.
    const xdm = record.api === 'edge' && data && Array.isArray(data.events) && isObject(data.events[0]) ? data.events[0].xdm : null;
    if (isObject(xdm)) {
      const collection = isObject(xdm.mediaCollection) ? xdm.mediaCollection : {};
      if (record.eventType === 'sessionStart' && isObject(collection.sessionDetails)) {
        pairs(collection.sessionDetails, EDGE_START_KEYS, 'sessionDetails.');
      }
      if (isObject(xdm.identityMap) && Array.isArray(xdm.identityMap.ECID)) {
        pairs({ ECID: xdm.identityMap.ECID.map((entry) => (isObject(entry) ? entry.id : entry)).join(', ') }, ['ECID'], 'identityMap.');
      }
      for (const [key, value] of Object.entries(collection)) {
        if (EDGE_HIDDEN.includes(key)) continue;
        if (isObject(value)) pairs(value, Object.keys(value), `${key}.`);
        // statesStart and statesEnd: lists of { name }.
        else if (Array.isArray(value))
          pairs({ [key]: value.map((item) => (isObject(item) && 'name' in item ? item.name : show(item))).join(', ') }, [key]);
        else pairs(collection, [key]);
      }
    }
    if (record.body !== null && typeof record.body !== 'object') add('problem', `unparsed body: ${show(record.body).slice(0, 200)}`);
    for (const error of record.errors || []) add('problem', `invalid: ${error}`);
    for (const violation of record.violations || []) add('problem', `violation: ${violation}`);
    if (record.status >= 400 && record.message && !(record.errors || []).length) add('problem', record.message);
    return cell;
  }

  function row(record) {
    const errors = (record.errors || []).length;
    const violations = (record.violations || []).length;
    // The Edge refuses an invalid sessionStart with a 207.
    const failed = record.status >= 400 || record.status === 207;
    const tr = el('tr');
    if (failed || violations) tr.className = 'bad';
    tr.dataset.event = record.eventType ?? '';
    tr.dataset.status = String(record.status);

    tr.appendChild(el('td', 'n', String(record.n)));
    tr.appendChild(el('td', 'time', clock(record.receivedAt)));
    tr.appendChild(el('td', 'event', record.eventType ?? `${record.method} ${record.path}`));
    tr.appendChild(el('td', 'num', typeof record.playhead === 'number' ? String(Math.round(record.playhead * 1000) / 1000) : '—'));
    const status = el('td', 'http', String(record.status));
    if (failed || violations) {
      status.appendChild(el('span', 'flag', errors ? '✗ invalid' : failed ? '✗ failed' : '✗ violation'));
    }
    tr.appendChild(status);
    const sid = el('td', 'sid', shortSid(record.sid));
    if (record.sid) sid.title = record.sid;
    tr.appendChild(sid);
    tr.appendChild(details(record));

    counts.requests += 1;
    if (errors) counts.invalid += 1;
    counts.violations += violations;
    if (failed) counts.failed += 1;
    return tr;
  }

  function renderSummary() {
    summary.classList.remove('is-ok', 'is-error');
    if (unreachable) {
      summary.textContent = `Cannot reach the emulator (${unreachable}); retrying.`;
      summary.classList.add('is-error');
      return;
    }
    if (!counts.requests) {
      summary.textContent = 'No requests yet: press play.';
      return;
    }
    const parts = [
      plural(counts.requests, 'request'),
      plural(sessions, 'session'),
      plural(counts.invalid, 'invalid request'),
      plural(counts.violations, 'sequence violation'),
      plural(counts.failed, 'error answer')
    ].join(', ');
    const clean = !counts.invalid && !counts.violations;
    summary.textContent = clean
      ? `✓ All requests valid, no sequence violations. ${parts}.`
      : `✗ Some requests were invalid or broke a sequence rule: see the marked rows. ${parts}.`;
    summary.classList.add(clean ? 'is-ok' : 'is-error');
  }

  async function poll() {
    const mine = generation;
    try {
      const response = await fetch(`${base}/requests?since=${last}`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      if (mine !== generation) return;
      unreachable = '';
      const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
      for (const record of data.records || []) {
        if (typeof record.n !== 'number' || record.n <= last) continue;
        body.appendChild(row(record));
        seen.push(record);
        last = record.n;
        reportDue = true;
      }
      sessions = Array.isArray(data.sessions) ? data.sessions.length : sessions;
      if (atBottom) scroller.scrollTop = scroller.scrollHeight;
      if (reportDue) {
        const answer = await fetch(`${base}/report`, { cache: 'no-store' });
        if (!answer.ok) throw new Error(`report: HTTP ${answer.status}`);
        const json = await answer.json();
        if (mine !== generation) return;
        report = json;
        reportDue = false;
        window.mediaReport.render(reportBox, report, seen);
      }
    } catch (error) {
      if (mine === generation) unreachable = error.message;
    } finally {
      if (mine === generation) renderSummary();
      setTimeout(poll, POLL_MS);
    }
  }

  /** Forgets every row; a poll still in flight is dropped by its generation. */
  function reset() {
    generation += 1;
    last = 0;
    counts = { requests: 0, invalid: 0, violations: 0, failed: 0 };
    sessions = 0;
    unreachable = '';
    seen = [];
    report = { sessions: [] };
    reportDue = false;
    body.replaceChildren();
    window.mediaReport.render(reportBox, report, seen);
    renderSummary();
  }

  $('clear').addEventListener('click', async () => {
    reset();
    try {
      const response = await fetch(base, { method: 'DELETE' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      unreachable = error.message;
    }
    // A poll made while the DELETE was on its way may have brought old rows back.
    const failure = unreachable;
    reset();
    unreachable = failure;
    renderSummary();
    // Deleting the scope also reset its faults: put the knobs' values back.
    faults.apply();
  });

  // The drawing fits the width: drawn again when it changes.
  let width = 0;
  new ResizeObserver(() => {
    if (reportBox.clientWidth === width) return;
    width = reportBox.clientWidth;
    window.mediaReport.render(reportBox, report, seen);
  }).observe(reportBox);

  poll();
}

main();
