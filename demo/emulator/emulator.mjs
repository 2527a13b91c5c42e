// A local stand-in for Adobe's Media Collection API, for the demo page and the end-to-end
// tests. It answers as /work/shared/spec/media-collection-api.md says the backend does (§1–§4),
// and it also reports what the real backend silently mis-counts (§3.2): sequence problems are
// listed as `violations` on each request's record, never rejected.
//
// It also speaks Adobe's Media Edge API (Edge Network, /work/shared/spec/media-edge-api.md) under
// `/ee/`: each Edge event is turned into the Media Collection API's event form (edgeEventOf), so
// that one set of sequence rules judges the sessions of both APIs.
//
// Every time rule judges the client's `playerTime.ts` (on the Edge, `xdm.timestamp`), not the wall
// clock: the browser tests move the page's clock, and the backend itself orders and times
// sessions by `ts` (§4.7, §5.2). The sequence rules see a session's events in ts order, whatever
// order they arrived in (see REORDER below).
//
// It answers as Adobe's own JavaScript clients meet the two APIs: the Media Collection API's
// `Location` is `/api/v1/sessions/<sid>` on every scope (Adobe's Media SDK takes the id from its
// fifth `/`-segment), and an event finds its session by id on a scoped or an unscoped path; the
// Edge also takes a `media.sessionStart` experience event on `/ee/v1/interact` (Adobe's Web SDK
// opens its sessions there), answers with the handles the Web SDK reads, and echoes the page's
// origin with credentials allowed, as Adobe's Edge does.

import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EDGE_EVENT_TYPES, edgeSchemas } from './edge-schemas.mjs';
import { metricsOf, pictureOf } from './metrics.mjs';
import { schemas } from './schemas.mjs';
import { validate, validateEdge } from './validate.mjs';

/** §4.2: no events for 10 minutes closes a session. */
const IDLE_MS = 10 * 60 * 1000;
/** §4.2: a playhead that has not moved for 30 minutes closes a session. */
const STILL_MS = 30 * 60 * 1000;
/** §4.1: a ping every 10 s, plus 1 s for the client's timers. */
const MAX_GAP_MS = 11000;
/** §6.7: at most 10 distinct player states per session. */
const MAX_STATES = 10;
/** The Edge guardrail of §9 (JSON request ≤ 64 KB); the MC API documents none. */
const BODY_LIMIT = 64 * 1024;

/** §1: Adobe's CORS headers of the Media Collection API, plus GET and DELETE for the control API. */
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'OPTIONS,POST,PUT,GET,DELETE',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Expose-Headers': 'Location'
};

/**
 * The Edge's CORS headers: Adobe's Edge echoes the page's origin and allows credentials (its Web
 * SDK sends every request with `credentials: 'include'`, which a `*` would make the browser hide
 * the answer from). A request without an Origin (no browser) gets no CORS grant.
 */
function edgeCors(origin) {
  const grant = origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' } : {};
  return { ...grant, 'Access-Control-Allow-Methods': 'OPTIONS,POST', 'Access-Control-Allow-Headers': 'Content-Type', Vary: 'Origin' };
}

/**
 * How far Adobe's backend reorders a session's events (../shared/spec/media-collection-api.md,
 * §5.2, which says the same of the Edge, §9): it holds events in a window of 5 seconds or at most
 * 10 events, sorts them by ts, and the reordering can fail when out-of-order calls are more than
 * 1 s apart; sessionStart is processed at once. So the emulator judges every session in ts order
 * (sessionStart first); an event that arrives after one with a later ts is a warning when it came
 * at most 1 s (wall clock) and fewer than 10 events after that one, which Adobe reorders, and a
 * violation beyond, which Adobe may count out of order.
 */
const REORDER = { ms: 1000, events: 10 };

const DEFAULT_FAULTS = { latency: 0, errorRate: 0, errorStatus: 503, slowStart: 0, goneAfter: 0, seed: 1 };

const isMs = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const FAULT_CHECKS = {
  latency: isMs,
  errorRate: (value) => typeof value === 'number' && value >= 0 && value <= 1,
  errorStatus: (value) => Number.isInteger(value) && value >= 400 && value <= 599,
  slowStart: isMs,
  goneAfter: (value) => Number.isInteger(value) && value >= 0,
  seed: Number.isInteger
};

const SCOPE = /^[A-Za-z0-9_-]{1,64}$/;
const SCOPED_PATH = /^\/p\/([A-Za-z0-9_-]{1,64})(\/.*)$/;
const EVENTS_PATH = /^\/api\/v1\/sessions\/([^/]+)\/events$/;
const SCHEMA_PATH = /^\/api\/v1\/schemas\/([^/]+)$/;
const CONTROL_PATH = /^\/__emulator\/scopes\/([^/]+)(\/requests|\/faults|\/report)?$/;
/** The Media Edge API: `/ee/va/v1/{eventType}`, or `/ee/{hint}/va/v1/{eventType}` after a location hint. */
const EDGE_PATH = /^\/ee(?:\/([A-Za-z0-9_-]{1,64}))?\/va\/v1\/([^/]+)$/;
/** The Edge Network's interact route, where Adobe's Web SDK sends its experience events (`media.sessionStart` too). */
const INTERACT_PATH = /^\/ee(?:\/([A-Za-z0-9_-]{1,64}))?\/v1\/interact$/;
/** The location hint an emulator gives Edge sessions unless told another (Adobe's are like `va6`, `or2`). */
const EDGE_HINT = 'emu1';
const EDGE_HINT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * The IMS org the emulator's datastream belongs to unless told another: Adobe's Edge names the
 * cookies it asks the Web SDK to store (`kndctr_<org>_identity`, `kndctr_<org>_cluster`) after
 * the datastream's org, and the Web SDK finds them only under the `orgId` it was configured with.
 */
const EDGE_ORG = 'EMULATOR@AdobeOrg';
const ORG_PATTERN = /^[A-Za-z0-9]{1,64}@AdobeOrg$/;
/** Seconds the Edge asks the Web SDK to keep its cookies: the location hint's TTL, and Adobe's example's for the identity. */
const CLUSTER_MAX_AGE = 1800;
const IDENTITY_MAX_AGE = 34128000;

/**
 * The fields of an XDM ExperienceEvent (its class and the field groups the Web SDK fills in)
 * that Adobe's OpenAPI file does not describe: accepted and passed by, unchecked. A field that is
 * neither one of these nor one the file describes is passed by with a warning. Tenant fields
 * (`_<tenant>`) are the datastream's schema's own and pass silently.
 */
const XDM_CONTEXT = new Set([
  '_id',
  'eventMergeId',
  'producedBy',
  'receivedTimestamp',
  'web',
  'device',
  'environment',
  'placeContext',
  'application',
  'commerce',
  'marketing',
  'channel',
  'endUserIDs',
  'dataSource',
  'search',
  'segmentMembership',
  'advertising',
  'media',
  '_experience'
]);
/** The fields of `xdm` that Adobe's OpenAPI file describes, which edge-schemas.mjs checks. */
const DESCRIBED_XDM = new Set(['eventType', 'timestamp', 'mediaCollection', 'identityMap', 'implementationDetails']);
/** The members of an Edge Network request and of its events besides `events` and `xdm`: passed by, unchecked. */
const ENVELOPE_FIELDS = new Set(['events', 'meta', 'query']);
const EVENT_FIELDS = new Set(['xdm', 'data', 'meta', 'query']);
/**
 * The detail objects of `xdm.mediaCollection`: one that is null is judged absent (Adobe's Web SDK
 * sends `qoeDataDetails: null` from its legacy tracker), with a warning where the OpenAPI file
 * makes it optional and as missing where it requires it.
 */
const DETAIL_OBJECTS = [
  'sessionDetails',
  'qoeDataDetails',
  'advertisingDetails',
  'advertisingPodDetails',
  'chapterDetails',
  'errorDetails'
];

/** mulberry32: a small seeded PRNG, so that a fault pattern repeats from run to run. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits at least `ms`: Node's timers may fire up to a millisecond early, and tests rely on "at least". */
async function delay(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(end - performance.now())));
  }
}

const secondOfDay = (ts) => Math.floor(ts / 1000) % 86400;
/** How many seconds a live playhead lies behind the second of the day of its ts (negative: ahead), across midnight. */
const secondsBehind = (e) => ((((secondOfDay(e.ts) - e.playhead) % 86400) + 129600) % 86400) - 43200;

/** The states an event starts and ends (§6.7: `stateStart`/`stateEnd`, or lists in `statesUpdate`). */
function stateChanges({ eventType, params }) {
  const names = (list) => (list ?? []).map((state) => state['media.state.name']);
  if (eventType === 'stateStart') return { starts: [params['media.state.name']], ends: [] };
  if (eventType === 'stateEnd') return { starts: [], ends: [params['media.state.name']] };
  if (eventType === 'statesUpdate') return { starts: names(params.statesStart), ends: names(params.statesEnd) };
  return { starts: [], ends: [] };
}

const AD_EVENTS = ['adStart', 'adComplete', 'adSkip'];
const quoted = (names) => names.map((name) => `"${name}"`).join(', ');

// The sequence rules (§3.2, §4, §6). Each looks at the session as it was before the event and
// returns a problem or nothing. The backend accepts such events and mis-counts them ("session
// level validation is not possible", §3.2), so these only become `violations` on the record.
const checks = [
  // The Edge: after a sessionStart answered with a location hint, the session's events go to
  // `/ee/{hint}/…` (sessions of the Media Collection API have no hint).
  (s, e) =>
    s.hint && e.eventType !== 'sessionStart' && e.hint !== s.hint
      ? `${e.eventType} not sent to the location hint "${s.hint}" (came through /ee${e.hint ? `/${e.hint}` : ''}/va/v1)`
      : undefined,
  // §5.3: the same event twice (a retry whose first answer was lost) may be counted twice.
  (s, e) => (s.accepted.has(`${e.eventType}@${e.ts}`) ? `duplicate: a ${e.eventType} with ts ${e.ts} was already accepted` : undefined),
  // §4.7: ts strictly increasing, ≥ 1 ms apart. A duplicate is reported once, above.
  (s, e) =>
    s.last && e.ts <= s.last.ts && !s.accepted.has(`${e.eventType}@${e.ts}`)
      ? `ts ${e.ts} is not after the previous event's ts ${s.last.ts}`
      : undefined,
  // §4.1: a ping every 10 s until the content completes.
  (s, e) =>
    s.state === 'open' && s.last && e.ts - s.last.ts > MAX_GAP_MS
      ? `${e.ts - s.last.ts} ms since the previous event (a ping is due every 10 s)`
      : undefined,
  // §3.1: the SDK sends nothing after sessionComplete; only a sessionEnd may still close the session.
  (s, e) => (s.state === 'complete' && e.eventType !== 'sessionEnd' ? `${e.eventType} after sessionComplete` : undefined),
  // §4.6: a VOD playhead lies within the content.
  (s, e) => (!s.live && e.playhead > s.length + 1 ? `playhead ${e.playhead} is beyond media.length ${s.length}` : undefined),
  // §4.6: paused or buffering, the playhead is frozen where the pause or stall began.
  (s, e) =>
    !s.live && s.frozen && e.eventType === 'ping' && e.playhead !== s.frozen.playhead
      ? `playhead moved while ${s.frozen.by === 'pauseStart' ? 'paused' : 'buffering'} (${s.frozen.playhead} → ${e.playhead})`
      : undefined,
  // §4.6: a live playhead is the UTC second of the day while the content plays. It stands still
  // where a pause, a stall or an ad break began (so a stop may carry an earlier second than its
  // ts), and a break's podSecond is on the same clock.
  (s, e) => {
    if (!s.live) return undefined;
    const behind = secondsBehind(e);
    const stop = ['sessionStart', 'pauseStart', 'bufferStart', 'adBreakStart'].includes(e.eventType);
    if (e.eventType === 'adBreakStart' && e.params['media.ad.podSecond'] !== e.playhead) {
      return `live media.ad.podSecond ${e.params['media.ad.podSecond']} is not the break's playhead ${e.playhead}`;
    }
    const still = s.adBreak ? s.adBreak.playhead : e.eventType === 'play' || stop ? undefined : s.stillAt;
    // Before its first play, a session may stand where it started or follow the clock.
    if (still !== undefined && !(s.starting && Math.abs(behind) <= 2)) {
      return e.playhead === still ? undefined : `live playhead ${e.playhead} moved while the content stands at ${still}`;
    }
    if (stop ? behind < -2 : Math.abs(behind) > 2) {
      return `live playhead ${e.playhead} is not the second of the day of its ts (${secondOfDay(e.ts)})`;
    }
    return undefined;
  },
  // §3.2: ad events outside a break are ignored and their time counted as content.
  (s, e) => (AD_EVENTS.includes(e.eventType) && !s.adBreak ? `${e.eventType} outside an ad break` : undefined),
  (s, e) => (e.eventType === 'adBreakStart' && s.adBreak ? 'adBreakStart inside an open ad break' : undefined),
  // §3.2 (EL-TL): nothing between adBreakStart and the first adStart. Pings keep their 10 s
  // cadence, and abandoning (sessionEnd) is always allowed.
  (s, e) =>
    s.adBreak && !s.adBreak.adStarted && !['adStart', 'ping', 'sessionEnd'].includes(e.eventType)
      ? `${e.eventType} between adBreakStart and the first adStart`
      : undefined,
  // §3.2: each ad is adStart → adComplete | adSkip.
  (s, e) => (['adComplete', 'adSkip'].includes(e.eventType) && s.adBreak && !s.adOpen ? `${e.eventType} without an open ad` : undefined),
  (s, e) => (e.eventType === 'adStart' && s.adOpen ? 'adStart while the previous ad is still open' : undefined),
  (s, e) => (e.eventType === 'adBreakComplete' && !s.adBreak ? 'adBreakComplete without an open ad break' : undefined),
  (s, e) => (e.eventType === 'adBreakComplete' && s.adOpen ? 'adBreakComplete while an ad is open' : undefined),
  // §3.2: a play before the pre-roll counts a Content Start even if the viewer leaves during the ad.
  (s, e) =>
    e.eventType === 'adBreakStart' && e.params['media.ad.podSecond'] === 0 && s.contentPlayed && !s.contentMoved
      ? 'play before the pre-roll (adBreakStart with media.ad.podSecond 0 after a play, before any content played)'
      : undefined,
  // §3.2: chapters must not overlap.
  (s, e) => (e.eventType === 'chapterStart' && s.chapterOpen ? 'chapterStart while a chapter is open' : undefined),
  (s, e) =>
    ['chapterComplete', 'chapterSkip'].includes(e.eventType) && !s.chapterOpen ? `${e.eventType} without an open chapter` : undefined,
  // §6.7: a state ends only after it started.
  (s, e) => {
    const ended = stateChanges(e).ends.filter((name) => !s.states.has(name));
    return ended.length ? `ending ${quoted(ended)}, not started` : undefined;
  },
  // §6.7: at most 10 distinct states per session; the backend drops the rest.
  (s, e) => {
    const fresh = [...new Set(stateChanges(e).starts)].filter((name) => !s.stateNames.has(name));
    const over = fresh.slice(Math.max(0, MAX_STATES - s.stateNames.size));
    return over.length ? `more than ${MAX_STATES} distinct states in this session: ${quoted(over)}` : undefined;
  }
];

/** Moves the session on past an accepted event (after the checks judged it). */
function apply(s, e) {
  const { eventType: type } = e;
  if (e.playhead !== s.last?.playhead) s.stillSince = e.ts;
  s.last = e;
  s.accepted.add(`${type}@${e.ts}`);
  if (type !== 'sessionStart') s.events += 1;
  if (type === 'sessionComplete') s.state = 'complete';
  if (type === 'sessionEnd') close(s, 'sessionEnd');
  if (type === 'pauseStart' || type === 'bufferStart') s.frozen = { playhead: e.playhead, by: type };
  if (type === 'play') s.frozen = undefined;
  // Live: the second at which the content stands still (a stop, the end of a break, a session
  // that starts stopped), until it plays again.
  if (['pauseStart', 'bufferStart', 'adBreakComplete'].includes(type)) s.stillAt = e.playhead;
  if (type === 'sessionStart') {
    s.stillAt = e.playhead;
    s.starting = true;
  }
  if (['play', 'pauseStart', 'bufferStart'].includes(type)) s.starting = false;
  if (type === 'play' && !s.adBreak) s.stillAt = undefined;
  if (type === 'play' && !s.adBreak) s.contentPlayed = true;
  if (!s.adBreak && e.playhead > 0) s.contentMoved = true;
  if (type === 'adBreakStart') {
    s.adBreak = { adStarted: false, playhead: e.playhead };
    s.adOpen = false;
  }
  if (type === 'adStart' && s.adBreak) {
    s.adBreak.adStarted = true;
    s.adOpen = true;
  }
  if (type === 'adComplete' || type === 'adSkip') s.adOpen = false;
  if (type === 'adBreakComplete') {
    s.adBreak = undefined;
    s.adOpen = false;
  }
  if (type === 'chapterStart') s.chapterOpen = true;
  if (type === 'chapterComplete' || type === 'chapterSkip') s.chapterOpen = false;
  const { starts, ends } = stateChanges(e);
  for (const name of ends) s.states.delete(name);
  for (const name of starts) {
    s.states.add(name);
    s.stateNames.add(name);
  }
}

function close(s, because) {
  s.state = 'closed';
  s.closedBecause = because;
}

/** Why a session timed out before an event at `ts`, judged by ts (§4.2), or nothing. */
function timedOut(s, ts) {
  const idleAt = s.last.ts + IDLE_MS;
  const stillAt = s.stillSince + STILL_MS;
  if (ts <= Math.min(idleAt, stillAt)) return undefined;
  return idleAt <= stillAt ? 'idle' : 'still';
}

const CLOSED_MESSAGES = {
  sessionEnd: 'it was ended by sessionEnd',
  idle: 'it timed out: no events for more than 10 minutes of ts',
  still: 'it timed out: the playhead did not move for more than 30 minutes of ts',
  goneAfter: 'the goneAfter fault closed it'
};

/** What the sequence rules know of a session before its first event (replay() starts from it again). */
function freshState() {
  return {
    state: 'open',
    closedBecause: undefined,
    events: 0,
    last: undefined,
    accepted: new Set(),
    stillSince: 0,
    frozen: undefined,
    stillAt: undefined,
    starting: false,
    adBreak: undefined,
    adOpen: false,
    contentPlayed: false,
    contentMoved: false,
    chapterOpen: false,
    states: new Set(),
    stateNames: new Set()
  };
}

/** A session opened by `event` (the sessionStart in the rules' form); `hint` is the Edge's location hint, if any. */
function newSession(sid, event, { api, hint }) {
  const contentType = String(event.params['media.contentType']).toLowerCase();
  return {
    sid,
    api,
    hint,
    live: contentType === 'live' || contentType === 'linear',
    length: event.params['media.length'],
    resume: event.params['media.resume'] === true,
    /** The accepted events in their order of arrival, for the report (metrics.mjs orders them by ts). */
    received: [],
    /** The sessionStart's entry, and the other accepted events' in ts order (equal ts: by arrival). */
    start: undefined,
    timeline: [],
    /** How many events the session accepted, sessionStart included: each entry's `arrival`. */
    arrivals: 0,
    ...freshState()
  };
}

function newScope() {
  return { sessions: new Map(), records: [], faults: { ...DEFAULT_FAULTS }, random: mulberry32(DEFAULT_FAULTS.seed) };
}

/** A body given as text, kept as readBody keeps one: at most BODY_LIMIT bytes, and whether it was longer. */
function rawOf(text) {
  const bytes = Buffer.from(text, 'utf8');
  return { text: bytes.subarray(0, BODY_LIMIT).toString('utf8'), tooLarge: bytes.length > BODY_LIMIT };
}

/** Reads a request body, keeping at most BODY_LIMIT bytes. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > BODY_LIMIT }));
    req.on('error', reject);
  });
}

function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `the body is not valid JSON (${error.message})` };
  }
}

/** A response: its status, its headers (CORS and Content-Type included) and its JSON body, null when empty. */
function responseOf(status, { json, headers = {}, cors = CORS } = {}) {
  return {
    status,
    headers: { ...cors, ...(json === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), ...headers },
    body: json ?? null
  };
}

function send(res, status, options) {
  write(res, responseOf(status, options));
}

function write(res, { status, headers, body }) {
  const text = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The API a path belongs to, scope prefix removed: `edge` under `/ee/`. */
const apiOf = (inner) => (inner === '/ee' || inner.startsWith('/ee/') ? 'edge' : 'media-collection');

/** The path without its `/p/<scope>` prefix, and the prefix's scope (undefined without one). */
function unscoped(path) {
  const scoped = SCOPED_PATH.exec(path);
  return scoped ? { scope: scoped[1], inner: scoped[2] } : { scope: undefined, inner: path };
}

/** The ECID of Adobe's `kndctr_<org>_identity` cookie value (base64 of a protobuf whose field 1 is the ECID), or undefined. */
function ecidOfCookie(value) {
  try {
    const bytes = Buffer.from(decodeURIComponent(value).replace(/_/g, '/').replace(/-/g, '+'), 'base64');
    let at = 0;
    const varint = () => {
      let result = 0;
      for (let shift = 0; at < bytes.length && shift < 35; shift += 7) {
        const byte = bytes[at++];
        result += (byte & 0x7f) * 2 ** shift;
        if (!(byte & 0x80)) return result;
      }
      throw new Error('bad varint');
    };
    while (at < bytes.length) {
      const tag = varint();
      const [field, wire] = [Math.floor(tag / 8), tag % 8];
      if (wire === 2) {
        const length = varint();
        if (field === 1) return bytes.subarray(at, at + length).toString('utf8');
        at += length;
      } else if (wire === 0) varint();
      else if (wire === 1 || wire === 5) at += wire === 1 ? 8 : 4;
      else return undefined;
    }
  } catch {
    // Not a cookie of Adobe's form: a new ECID, as the Edge mints one.
  }
  return undefined;
}

/** Adobe's identity cookie value for `ecid`: the protobuf `{ 1: ecid }` (tag 0x0a, a varint length, the text), base64. */
function identityCookieOf(ecid) {
  const text = Buffer.from(ecid, 'utf8');
  const length = [];
  for (let n = text.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...length]), text]).toString('base64');
}

/** A new ECID: 38 digits, as Adobe's. */
const newEcid = () => Array.from(randomBytes(38), (byte) => String(byte % 10)).join('');

/**
 * @typedef {object} ApiRecord One API request as the emulator saw and answered it.
 * @property {number} n Position in its scope, from 1.
 * @property {'media-collection'|'edge'} api The API the path belongs to: `edge` for paths under `/ee/`.
 * @property {number} receivedAt Wall-clock ms when its body was read.
 * @property {string} method
 * @property {string} path The path as requested, scope prefix included, without the query. A request
 *   on an unscoped path for a session of another scope is that scope's record, its path as requested.
 * @property {string|null} [configId] Edge records only: the `configId` query parameter, null when missing.
 * @property {string|null} sid The session it addressed (on the Edge, `xdm.mediaCollection.sessionID`),
 *   or the one its 201 (on the Edge, its 200) created.
 * @property {string|null} eventType On the Edge, the path's event type (`play`, not `media.play`); on
 *   `/ee/v1/interact`, `sessionStart` for a `media.sessionStart`, else the experience event's `xdm.eventType`.
 * @property {number|null} playhead
 * @property {number|null} ts On the Edge, `Date.parse(xdm.timestamp)`.
 * @property {unknown} body The parsed JSON (on the Edge, the whole `{ events: [{ xdm }] }`), the raw
 *   text when it did not parse, null when empty.
 * @property {number} status
 * @property {string|null} message The error message sent back (on the Edge, the problem's detail), null on success.
 * @property {string[]} errors Why the request was refused as malformed (400, 413, 415; the Edge's 207),
 *   on the Edge as `<JSONPath>: <reason>`.
 * @property {string[]} violations Sequence problems of an accepted (or post-sessionEnd) event, judged in
 *   ts order: Adobe's backend mis-counts them.
 * @property {string[]} warnings What Adobe copes with but a client may want to know: an event that
 *   arrived after a later one (and was reordered), a null detail object judged absent, a field
 *   passed by unchecked.
 */

/**
 * @typedef {object} Report Adobe's Streaming Media metrics of a scope's sessions (metrics.mjs), from
 *   the events each one accepted, in the order the sessions started.
 * @property {Array<{ sid: string, state: 'open'|'complete'|'closed', metrics: import('./metrics.mjs').Metric[],
 *   picture: import('./metrics.mjs').Picture }>} sessions
 */

/**
 * @typedef {object} Faults
 * @property {number} latency ms added before every API response.
 * @property {number} errorRate 0..1: the share of sessionStart/event requests answered
 *   `errorStatus` without being applied.
 * @property {number} errorStatus The status of those failures (400..599).
 * @property {number} slowStart ms added before a 201.
 * @property {number} goneAfter N > 0: a session's event after N accepted events gets 410.
 * @property {number} seed Seed of the PRNG that picks the failures; setting it restarts them.
 */

/**
 * Creates an emulator of the Media Collection API and the Media Edge API with no server
 * attached: pass `handle` to `http.createServer`, or use `startEmulator`. State is kept per
 * scope: a path prefixed `/p/<scope>` belongs to that scope, any other to `default`, except an
 * event on an unscoped path for a session of a scope, which belongs to the session's scope.
 *
 * @param {{ log?: (line: string) => void, edgeHint?: string, orgId?: string }} [options] `log`
 *   receives one line per API request and any internal error; without it the emulator is silent.
 *   `edgeHint` is the location hint the Edge's sessionStart answers with (`emu1` unless given);
 *   `orgId` the IMS org of the emulator's datastream, after which its cookies are named
 *   (`EMULATOR@AdobeOrg` unless given): the Web SDK's `orgId` must be the same.
 * @returns {{
 *   handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>,
 *   receive: (request: { scope?: string, method?: string, path: string, body?: unknown, contentType?: string, origin?: string }) => { status: number, headers: Record<string, string>, body: unknown },
 *   records: (scope?: string) => ApiRecord[],
 *   sessions: (scope?: string) => Array<{ sid: string, state: 'open'|'complete'|'closed', closedBecause?: string, events: number, resume: boolean }>,
 *   scopes: () => Array<{ scope: string, requests: number, sessions: number }>,
 *   setFaults: (scope: string, faults: Partial<Faults>) => Faults,
 *   reset: (scope?: string) => void,
 *   report: (scope?: string, sid?: string) => Report,
 *   edgeHint: string,
 *   orgId: string
 * }}
 */
export function createEmulator({ log, edgeHint = EDGE_HINT, orgId = EDGE_ORG } = {}) {
  if (typeof edgeHint !== 'string' || !EDGE_HINT_PATTERN.test(edgeHint)) {
    throw new TypeError(`edgeHint must match ${EDGE_HINT_PATTERN}, got ${JSON.stringify(edgeHint)}`);
  }
  if (typeof orgId !== 'string' || !ORG_PATTERN.test(orgId)) {
    throw new TypeError(`orgId must match ${ORG_PATTERN}, got ${JSON.stringify(orgId)}`);
  }
  const scopes = new Map();
  /** The scope of every session, by its id: an event on an unscoped path finds its session here. */
  const owners = new Map();
  const scopeOf = (name) => {
    if (!scopes.has(name)) scopes.set(name, newScope());
    return scopes.get(name);
  };
  /** The names of the Edge's cookies, as Adobe's Web SDK reads them (`kndctr_<org with _ for @>_<key>`). */
  const cookieName = (key) => `kndctr_${orgId.replace('@', '_')}_${key}`;

  function records(scope = 'default') {
    return [...(scopes.get(scope)?.records ?? [])];
  }

  function sessions(scope = 'default') {
    return [...(scopes.get(scope)?.sessions.values() ?? [])].map((s) => ({
      sid: s.sid,
      state: s.state,
      ...(s.closedBecause ? { closedBecause: s.closedBecause } : {}),
      events: s.events,
      resume: s.resume
    }));
  }

  function scopeList() {
    return [...scopes].map(([scope, s]) => ({ scope, requests: s.records.length, sessions: s.sessions.size }));
  }

  function faults(scope) {
    return { ...(scopes.get(scope)?.faults ?? DEFAULT_FAULTS) };
  }

  function setFaults(scope, partial) {
    if (!partial || typeof partial !== 'object' || Array.isArray(partial)) throw new TypeError('faults must be an object');
    for (const [key, value] of Object.entries(partial)) {
      if (!FAULT_CHECKS[key]) throw new TypeError(`unknown fault "${key}" (known: ${Object.keys(FAULT_CHECKS).join(', ')})`);
      if (!FAULT_CHECKS[key](value)) throw new TypeError(`invalid value for fault "${key}": ${JSON.stringify(value)}`);
    }
    const s = scopeOf(scope);
    Object.assign(s.faults, partial);
    if ('seed' in partial) s.random = mulberry32(s.faults.seed);
    return { ...s.faults };
  }

  function reset(scope = 'default') {
    for (const sid of scopes.get(scope)?.sessions.keys() ?? []) owners.delete(sid);
    scopes.delete(scope);
  }

  /** The metrics of the scope's sessions, or of the one `sid` names (none if it is unknown). */
  function report(scope = 'default', sid = undefined) {
    const list = [...(scopes.get(scope)?.sessions.values() ?? [])].filter((s) => sid === undefined || s.sid === sid);
    return { sessions: list.map((s) => ({ sid: s.sid, state: s.state, metrics: metricsOf(s.received), picture: pictureOf(s.received) })) };
  }

  /** Keeps a new session in its scope, and its scope by its id. */
  function open(scope, name, session) {
    scope.sessions.set(session.sid, session);
    owners.set(session.sid, name);
  }

  /** Fills the record from a body that parsed, whatever else is wrong with the request. */
  function describe(record, parsed, raw) {
    record.body = parsed.error ? raw.text || null : parsed.value;
    const body = parsed.value;
    if (!body || typeof body !== 'object') return;
    if (typeof body.eventType === 'string') record.eventType = body.eventType;
    if (typeof body.playerTime?.playhead === 'number') record.playhead = body.playerTime.playhead;
    if (typeof body.playerTime?.ts === 'number') record.ts = body.playerTime.ts;
  }

  /** §2.5/§3.3: a malformed request is refused whole; returns the refusal, or nothing. */
  function malformed(req, raw, parsed, endpoint, record) {
    const refuse = (status, errors) => {
      record.errors = errors;
      return [status, `Invalid request: ${errors.join('; ')}`];
    };
    if (raw.tooLarge) return refuse(413, [`the body is larger than ${BODY_LIMIT} bytes`]);
    // §1: Content-Type: application/json on every POST (parameters such as charset are fine).
    const type = (req.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return refuse(415, [`Content-Type must be application/json, not ${JSON.stringify(req.contentType ?? '')}`]);
    }
    if (parsed.error) return refuse(400, [parsed.error]);
    const problems = validate(parsed.value, endpoint);
    return problems.length ? refuse(400, problems) : undefined;
  }

  function startSession(scope, name, req, raw, record) {
    const parsed = parseJson(raw.text);
    describe(record, parsed, raw);
    const refusal = malformed(req, raw, parsed, 'sessions', record);
    if (refusal) return refusal;
    const sid = randomBytes(32).toString('hex');
    const event = eventOf(parsed.value);
    const session = newSession(sid, event, { api: 'media-collection' });
    record.sid = sid;
    accept(session, event, record);
    open(scope, name, session);
    // §2.4: the sid travels in Location, as Adobe sends it whatever the path (no scope prefix):
    // Adobe's Media SDK takes the fifth `/`-segment, and its events find the session by id.
    return [201, null, { Location: `/api/v1/sessions/${sid}`, 'Content-Type': 'application/octet-stream' }];
  }

  function postEvent(scope, sid, req, raw, record) {
    const parsed = parseJson(raw.text);
    describe(record, parsed, raw);
    record.sid = sid;
    const session = sessionOf(scope, sid, 'media-collection');
    // §3.3: 404 for an unknown sid, 410 for one that is closed.
    if (!session) return [404, `Unknown session id ${sid}`];
    if (session.state === 'closed') return [410, closedMessage(session, record)];
    const refusal = malformed(req, raw, parsed, 'events', record);
    if (refusal) return refusal;
    const event = eventOf(parsed.value);
    if (closesBefore(scope, session, event)) return [410, closedMessage(session, record)];
    accept(session, event, record);
    return [204, null];
  }

  /** The open or closed session `sid` of `api` in `scope` (a session of the other API is unknown here). */
  function sessionOf(scope, sid, api) {
    const session = scope.sessions.get(sid);
    return session?.api === api ? session : undefined;
  }

  /** Why `session`, closed, refuses the request (and the violation of a request after sessionEnd). */
  function closedMessage(session, record) {
    // §3.1: everything after sessionEnd is dropped (a repeated sessionEnd is safe, §5.3).
    if (session.closedBecause === 'sessionEnd' && record.eventType !== 'sessionEnd') {
      record.violations = [`${record.eventType ?? 'a request'} after sessionEnd`];
    }
    return `Session ${session.sid} is closed: ${CLOSED_MESSAGES[session.closedBecause]}`;
  }

  /** Closes the session when the goneAfter fault or a timeout (§4.2) ends it before `event`; returns whether it did. */
  function closesBefore(scope, session, event) {
    const { goneAfter } = scope.faults;
    const because = goneAfter > 0 && session.events >= goneAfter ? 'goneAfter' : timedOut(session, event.ts);
    if (because) close(session, because);
    return Boolean(because);
  }

  /** A problem (`application/problem+json`, as Adobe's Edge answers errors) as an answer of `answer`. */
  function problem(status, title, detail, { type, details } = {}) {
    const json = {
      type: type ?? `https://ns.adobe.com/aep/errors/va-edge-0${status}-${status}`,
      status,
      title,
      detail,
      report: { requestId: randomUUID(), ...(details ? { details } : {}) }
    };
    return [status, detail, { 'Content-Type': 'application/problem+json; charset=utf-8' }, json];
  }

  /** A 400 for invalid fields, listed as Adobe's 400 lists them (`name` from `$`, the whole body). */
  function invalid(record, details) {
    record.errors = details.map(({ name, reason }) => `${name}: ${reason}`);
    return problem(400, 'Bad Request', `Invalid request: ${record.errors.join('; ')}`, { details });
  }

  /** Fills an Edge record from a body that parsed, whatever else is wrong with the request. */
  function describeEdge(record, parsed, raw, interact) {
    record.body = parsed.error ? raw.text || null : parsed.value;
    const xdm = parsed.value?.events?.[0]?.xdm;
    if (interact && typeof xdm?.eventType === 'string') {
      record.eventType = xdm.eventType.startsWith('media.') ? xdm.eventType.slice('media.'.length) : xdm.eventType;
    }
    const mediaCollection = xdm?.mediaCollection;
    if (typeof mediaCollection?.playhead === 'number') record.playhead = mediaCollection.playhead;
    const ts = typeof xdm?.timestamp === 'string' ? Date.parse(xdm.timestamp) : NaN;
    if (Number.isFinite(ts)) record.ts = ts;
    if (typeof mediaCollection?.sessionID === 'string') record.sid = mediaCollection.sessionID;
  }

  /**
   * The event's `xdm` as the schemas judge it: a null detail object of `mediaCollection` left
   * out (a warning where the event type may go without it; where it must not, the schema says it
   * is missing), with what is passed by unchecked named in `warnings`.
   */
  function cleanXdm(xdm, eventType) {
    const warnings = [];
    for (const key of Object.keys(xdm)) {
      if (DESCRIBED_XDM.has(key) || XDM_CONTEXT.has(key) || key.startsWith('_')) continue;
      warnings.push(`$.xdm.${key}: not a field of Adobe's OpenAPI file nor of XDM's ExperienceEvent known to the emulator; passed by`);
    }
    if (!isObject(xdm.mediaCollection)) return { xdm, warnings };
    const mediaCollection = { ...xdm.mediaCollection };
    const required = edgeRequired(eventType);
    for (const key of DETAIL_OBJECTS) {
      if (mediaCollection[key] !== null) continue;
      delete mediaCollection[key];
      if (!required.includes(key))
        warnings.push(`$.xdm.mediaCollection.${key} is null: judged absent, as the ${eventType} event may go without it`);
    }
    return { xdm: { ...xdm, mediaCollection }, warnings };
  }

  /** The names of `xdm` Adobe's Edge asks the Web SDK to store and to know: the identity, the location hint, and their cookies. */
  function identityHandles(body, xdm, withResult) {
    const entries = Array.isArray(body.meta?.state?.entries) ? body.meta.state.entries : [];
    const cookie = entries.find((entry) => entry?.key === cookieName('identity') && typeof entry.value === 'string');
    const given = xdm?.identityMap?.ECID?.[0]?.id;
    const ecid = (cookie && ecidOfCookie(cookie.value)) || (typeof given === 'string' && given) || newEcid();
    return [
      ...(withResult ? [{ type: 'identity:result', payload: [{ id: ecid, namespace: { code: 'ECID' } }] }] : []),
      { type: 'locationHint:result', payload: [{ scope: 'EdgeNetwork', hint: edgeHint, ttlSeconds: CLUSTER_MAX_AGE }] },
      {
        type: 'state:store',
        payload: [
          { key: cookieName('cluster'), value: edgeHint, maxAge: CLUSTER_MAX_AGE },
          { key: cookieName('identity'), value: identityCookieOf(ecid), maxAge: IDENTITY_MAX_AGE }
        ]
      }
    ];
  }

  /**
   * Answers a request to the Edge (a path under `/ee/`): the Media Edge API's `/va/v1/{eventType}`,
   * or the Edge Network's `/v1/interact` for an experience event. The refusals of the whole
   * request first (route, fault, size, Content-Type, configId, JSON, envelope, eventType), then the
   * sessionStart's 200 or 207, or the event's 404, 410, 400 or 204.
   */
  function edgeAnswer(scope, name, req, path, raw, record) {
    const media = EDGE_PATH.exec(path);
    const interact = media ? null : INTERACT_PATH.exec(path);
    record.configId = req.query?.get('configId') ?? null;
    if (req.method !== 'POST' || !(interact || EDGE_EVENT_TYPES.includes(media?.[2]))) {
      return problem(404, 'Not Found', `No Media Edge API route for ${req.method} ${path}`);
    }
    const hint = (media ?? interact)[1] ?? null;
    if (media) record.eventType = media[2];
    const parsed = parseJson(raw.text);
    describeEdge(record, parsed, raw, Boolean(interact));
    // An outage answers before anything is applied (the client is expected to retry).
    if (scope.random() < scope.faults.errorRate) {
      return problem(scope.faults.errorStatus, 'Emulated failure', `Emulated failure (errorRate ${scope.faults.errorRate})`);
    }
    const refuse = (status, title, error, options) => {
      record.errors = [error];
      return problem(status, title, `Invalid request: ${error}`, options);
    };
    if (raw.tooLarge) return refuse(413, 'Payload Too Large', `the body is larger than ${BODY_LIMIT} bytes`);
    // Adobe's Web SDK sends text/plain (no CORS preflight); the body is JSON either way.
    const type = (req.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && type !== 'text/plain') {
      return refuse(
        415,
        'Unsupported Media Type',
        `Content-Type must be application/json or text/plain, not ${JSON.stringify(req.contentType ?? '')}`
      );
    }
    if (!record.configId) {
      return refuse(400, 'Invalid datastream ID', 'the configId query parameter (the datastream ID) is missing', {
        type: 'https://ns.adobe.com/aep/errors/EXEG-0003-400'
      });
    }
    if (parsed.error) return refuse(400, 'Bad Request', parsed.error);
    const envelope = envelopeProblems(parsed.value, media?.[2]);
    record.warnings.push(...envelope.warnings);
    if (envelope.problems.length) return invalid(record, envelope.problems);
    const body = parsed.value;
    const event = body.events[0];
    if (interact) {
      const xdmType = event.xdm.eventType;
      if (xdmType === 'media.sessionStart') return edgeSessionStart(scope, name, body, record, { hint, interact: true });
      if (typeof xdmType === 'string' && xdmType.startsWith('media.')) {
        return invalid(record, [
          {
            name: '$.events[0].xdm.eventType',
            reason: `the emulator takes only media.sessionStart through /v1/interact; send ${xdmType} to /va/v1/${record.eventType}`
          }
        ]);
      }
      // Not a media event (a page view, say): the Edge's identity answer, and nothing judged.
      record.warnings.push(
        `${xdmType === undefined ? 'an event without xdm.eventType' : xdmType} is not a media event: passed by unchecked`
      );
      return [200, null, {}, { requestId: randomUUID(), handle: identityHandles(body, event.xdm, true) }];
    }
    if (media[2] === 'sessionStart') return edgeSessionStart(scope, name, body, record, { hint, interact: false });
    const sid = event.xdm.mediaCollection?.sessionID;
    const session = typeof sid === 'string' ? sessionOf(scope, sid, 'edge') : undefined;
    if (typeof sid === 'string' && !session) {
      return problem(404, 'Not Found', `Unknown session id ${sid}`, {
        details: 'If the session is longer than 24h, please start a new one.'
      });
    }
    if (session?.state === 'closed') return problem(410, 'Gone', closedMessage(session, record));
    const clean = cleanXdm(event.xdm, media[2]);
    record.warnings.push(...clean.warnings);
    // Adobe's 400 example names the fields from the body (`$.events[0].xdm…`).
    const problems = validateEdge({ xdm: clean.xdm }, media[2]).map(({ name: field, reason }) => ({
      name: field.replace('$', '$.events[0]'),
      reason
    }));
    if (problems.length) return invalid(record, problems);
    const normal = edgeEventOf(media[2], clean.xdm, hint);
    if (closesBefore(scope, session, normal)) return problem(410, 'Gone', closedMessage(session, record));
    accept(session, normal, record);
    return [204, null];
  }

  /**
   * The Edge's sessionStart, through `/va/v1/sessionStart` or `/v1/interact`: a 200 with the
   * session id, the location hint and the cookies Adobe's Edge asks the Web SDK to store (on
   * interact also the identity), or a 207 and no session.
   */
  function edgeSessionStart(scope, name, body, record, { interact }) {
    const hint = { type: 'locationHint:result', payload: [{ scope: 'EdgeNetwork', hint: edgeHint, ttlSeconds: CLUSTER_MAX_AGE }] };
    const clean = cleanXdm(body.events[0].xdm, 'sessionStart');
    record.warnings.push(...clean.warnings);
    const problems = validateEdge({ xdm: clean.xdm }, 'sessionStart');
    if (problems.length) {
      record.errors = problems.map(({ name: field, reason }) => `${field}: ${reason}`);
      // Adobe's 207 example: the errors of event 0, with the paths from the event (`$.xdm…`).
      const error = {
        type: 'https://ns.adobe.com/aep/errors/va-edge-0400-400',
        status: 400,
        title: 'Invalid request',
        report: { eventIndex: 0, details: problems }
      };
      return [207, `Invalid request: ${record.errors.join('; ')}`, {}, { requestId: randomUUID(), handle: [hint], errors: [error] }];
    }
    const sid = randomBytes(32).toString('hex');
    const normal = edgeEventOf('sessionStart', clean.xdm, null);
    const session = newSession(sid, normal, { api: 'edge', hint: edgeHint });
    record.sid = sid;
    accept(session, normal, record);
    open(scope, name, session);
    const created = { type: 'media-analytics:new-session', payload: [{ sessionId: sid }], eventIndex: 0 };
    return [200, null, {}, { requestId: randomUUID(), handle: [created, ...identityHandles(body, clean.xdm, interact)] }];
  }

  /** Answers an API request; returns [status, message, headers?, json?] and fills the record. */
  function answer(scope, name, req, path, raw, record) {
    if (record.api === 'edge') return edgeAnswer(scope, name, req, path, raw, record);
    const sid = EVENTS_PATH.exec(path)?.[1];
    if (req.method === 'POST' && (path === '/api/v1/sessions' || sid)) {
      // An outage answers before anything is applied (the client is expected to retry).
      if (scope.random() < scope.faults.errorRate) {
        describe(record, parseJson(raw.text), raw);
        record.sid = sid ?? null;
        return [scope.faults.errorStatus, `Emulated failure (errorRate ${scope.faults.errorRate})`];
      }
      return sid ? postEvent(scope, sid, req, raw, record) : startSession(scope, name, req, raw, record);
    }
    const type = SCHEMA_PATH.exec(path)?.[1];
    if (req.method === 'GET' && type) {
      return Object.hasOwn(schemas, type) ? [200, null, {}, schemas[type]] : [404, `No schema for event type ${type}`];
    }
    return [404, `No API route for ${req.method} ${path}`];
  }

  /**
   * The scope of an unscoped request: that of the session it addresses (by the path's sid on the
   * Media Collection API, by `xdm.mediaCollection.sessionID` on the Edge), else `default`.
   */
  function ownerOf(api, inner, raw) {
    let sid = api === 'media-collection' ? EVENTS_PATH.exec(inner)?.[1] : undefined;
    if (api === 'edge' && EDGE_PATH.test(inner)) {
      const id = parseJson(raw.text).value?.events?.[0]?.xdm?.mediaCollection?.sessionID;
      if (typeof id === 'string') sid = id;
    }
    return (sid !== undefined && owners.get(sid)) || 'default';
  }

  /**
   * Applies one API request (everything but CORS preflights and the control API): records it,
   * moves its session on and returns the response with how long the faults delay it.
   * `req` is `{ method, contentType, query, origin }` (query: URLSearchParams); `path` is the
   * request's path, scope prefix included.
   */
  function apiRequest(req, path, raw) {
    const { scope: prefix, inner } = unscoped(path);
    const api = apiOf(inner);
    const name = prefix ?? ownerOf(api, inner, raw);
    const scope = scopeOf(name);
    const record = {
      n: 0,
      api,
      ...(api === 'edge' ? { configId: null } : {}),
      receivedAt: Date.now(),
      method: req.method,
      path,
      sid: null,
      eventType: null,
      playhead: null,
      ts: null,
      body: null,
      status: 0,
      message: null,
      errors: [],
      violations: [],
      warnings: []
    };
    const [status, message, headers = {}, json] = answer(scope, name, req, inner, raw, record);
    record.status = status;
    record.message = message;
    record.n = scope.records.length + 1;
    scope.records.push(record);
    log?.(
      `[${name}] ${status} ${req.method} ${path}${record.eventType ? ` ${record.eventType}` : ''}` +
        (message ? `: ${message}` : '') +
        (record.violations.length ? ` (violations: ${record.violations.join('; ')})` : '') +
        (record.warnings.length ? ` (warnings: ${record.warnings.join('; ')})` : '')
    );
    return {
      response: responseOf(status, {
        json: json ?? (message ? { message } : undefined),
        headers,
        cors: api === 'edge' ? edgeCors(req.origin) : CORS
      }),
      // slowStart delays the answers that create a session: the 201, and the Edge's 200.
      delay: scope.faults.latency + (status === 201 || (api === 'edge' && status === 200) ? scope.faults.slowStart : 0)
    };
  }

  async function api(req, res, url, raw) {
    const { response, delay: ms } = apiRequest(
      { method: req.method, contentType: req.headers['content-type'], query: url.searchParams, origin: req.headers.origin },
      url.pathname,
      raw
    );
    await delay(ms);
    write(res, response);
  }

  /** The CORS headers of a preflight or a control answer on `pathname`, as its API's answers carry them. */
  const corsOf = (pathname, origin) => (apiOf(unscoped(pathname).inner) === 'edge' ? edgeCors(origin) : CORS);

  /**
   * Applies one API request in-process, as handle() does over HTTP, without faults' latency:
   * the latency and slowStart faults are ignored (the answer is immediate), while errorRate
   * and goneAfter apply. Records and violations are kept exactly as for HTTP. A CORS preflight
   * (OPTIONS) is answered 204 and not recorded, as over HTTP.
   *
   * @param {object} request
   * @param {string} [request.scope] The scope, as the `/p/<scope>` prefix of an HTTP path
   *   chooses it. `path` may carry that prefix instead; then `scope` must be left out or agree.
   * @param {string} [request.method] `POST` unless given.
   * @param {string} request.path The API path, e.g. `/api/v1/sessions`,
   *   `/p/<scope>/api/v1/sessions/<sid>/events`, `/ee/va/v1/sessionStart?configId=x` or
   *   `/ee/v1/interact?configId=x` (the query string is read as over HTTP: only the Edge's
   *   `configId` matters).
   * @param {unknown} [request.body] The parsed JSON, or the raw text as a string; undefined for none.
   * @param {string} [request.contentType] The Content-Type header; `application/json` unless given.
   * @param {string} [request.origin] The Origin header (a page's), which the Edge's CORS echoes.
   * @returns {{ status: number, headers: Record<string, string>, body: unknown }} The headers
   *   include CORS, Content-Type when there is a body and Location on a 201; `body` is the JSON
   *   sent back, null when none.
   *   On the Edge (`/ee/…`), `contentType` may also be `text/plain`, as Adobe's Web SDK sends.
   * @throws {TypeError} For a malformed scope, a scope that disagrees with the path's prefix, a
   *   path that is not absolute or a path of the control API (use the methods instead).
   */
  function receive({ scope, method = 'POST', path, body, contentType = 'application/json', origin }) {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`path must start with "/", got ${JSON.stringify(path)}`);
    const url = new URL(path, 'http://emulator');
    if (url.pathname.startsWith('/__emulator/')) {
      throw new TypeError(
        'receive takes API requests only; use records(), sessions(), report(), setFaults() and reset() to control the emulator'
      );
    }
    if (scope !== undefined && (typeof scope !== 'string' || !SCOPE.test(scope))) {
      throw new TypeError(`scope must match ${SCOPE}, got ${JSON.stringify(scope)}`);
    }
    const prefix = SCOPED_PATH.exec(url.pathname)?.[1];
    if (prefix !== undefined && scope !== undefined && scope !== prefix) {
      throw new TypeError(`scope "${scope}" disagrees with the path's prefix /p/${prefix}`);
    }
    const pathname = prefix === undefined && scope !== undefined && scope !== 'default' ? `/p/${scope}${url.pathname}` : url.pathname;
    if (method === 'OPTIONS') return responseOf(204, { cors: corsOf(pathname, origin) });
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    return apiRequest({ method, contentType, query: url.searchParams, origin }, pathname, rawOf(text)).response;
  }

  async function control(req, res, url, raw) {
    if (url.pathname === '/__emulator/health' && req.method === 'GET') return send(res, 200, { json: { ok: true } });
    if (url.pathname === '/__emulator/scopes' && req.method === 'GET') return send(res, 200, { json: { scopes: scopeList() } });
    if (req.method === 'GET' && (await servePage(res, url.pathname))) return undefined;
    const [, name, part] = CONTROL_PATH.exec(url.pathname) ?? [];
    if (!name || !SCOPE.test(name)) return send(res, 404, { json: { message: `No control route ${req.method} ${url.pathname}` } });
    const route = `${req.method} ${part ?? ''}`;
    if (route === 'GET /requests') {
      const since = Number(url.searchParams.get('since') ?? 0);
      if (!Number.isInteger(since)) return send(res, 400, { json: { message: 'since must be an integer' } });
      return send(res, 200, { json: { records: records(name).filter((r) => r.n > since), sessions: sessions(name) } });
    }
    if (route === 'GET /faults') return send(res, 200, { json: faults(name) });
    if (route === 'GET /report') {
      const sid = url.searchParams.get('sid') ?? undefined;
      const json = report(name, sid);
      if (sid !== undefined && !json.sessions.length) return send(res, 404, { json: { message: `Unknown session id ${sid}` } });
      return send(res, 200, { json });
    }
    if (route === 'PUT /faults') {
      const parsed = raw.tooLarge ? { error: `the body is larger than ${BODY_LIMIT} bytes` } : parseJson(raw.text);
      if (parsed.error) return send(res, raw.tooLarge ? 413 : 400, { json: { message: parsed.error } });
      try {
        return send(res, 200, { json: setFaults(name, parsed.value) });
      } catch (error) {
        return send(res, 400, { json: { message: error.message } });
      }
    }
    if (route === 'DELETE ') {
      reset(name);
      return send(res, 204);
    }
    return send(res, 404, { json: { message: `No control route ${req.method} ${url.pathname}` } });
  }

  async function handle(req, res) {
    try {
      const url = new URL(req.url, 'http://emulator');
      // §1: CORS preflight; the page runs on another origin.
      if (req.method === 'OPTIONS') return send(res, 204, { cors: corsOf(url.pathname, req.headers.origin) });
      const raw = await readBody(req);
      if (url.pathname === '/__emulator' || url.pathname.startsWith('/__emulator/')) return await control(req, res, url, raw);
      return await api(req, res, url, raw);
    } catch (error) {
      log?.(`emulator error: ${error.stack ?? error}`);
      if (!res.headersSent) send(res, 500, { json: { message: `Emulator error: ${error.message}` } });
    }
  }

  return { handle, receive, records, sessions, scopes: scopeList, setFaults, reset, report, edgeHint, orgId };
}

/**
 * The emulator's own pages, read-only: its timeline and report page (`/__emulator/`), which
 * draws the report with the demo page's own report.js and style.css. Returns whether it served one.
 */
const PAGES = {
  '/__emulator/': ['pages/index.html', 'text/html; charset=utf-8'],
  '/__emulator/pages/timeline.js': ['pages/timeline.js', 'text/javascript; charset=utf-8'],
  '/__emulator/pages/report.js': ['../page/report.js', 'text/javascript; charset=utf-8'],
  '/__emulator/pages/style.css': ['../page/style.css', 'text/css; charset=utf-8']
};

async function servePage(res, pathname) {
  const page = PAGES[pathname === '/__emulator' ? '/__emulator/' : pathname];
  if (!page) return false;
  const text = await readFile(fileURLToPath(new URL(page[0], import.meta.url)));
  res.writeHead(200, { 'Content-Type': page[1], 'Cache-Control': 'no-store', 'Content-Length': text.length });
  res.end(text);
  return true;
}

/** The event as the rules see it. */
function eventOf(body) {
  return {
    eventType: body.eventType,
    ts: body.playerTime.ts,
    playhead: body.playerTime.playhead,
    params: body.params ?? {},
    qoeData: body.qoeData ?? {}
  };
}

/** The sessionDetails fields whose Media Collection param is not `media.` + the field (the digest's pairs). */
const SESSION_PARAMS = {
  name: 'media.id',
  friendlyName: 'media.name',
  hasResume: 'media.resume',
  assetID: 'media.assetId',
  mvpd: 'media.pass.mvpd',
  authorized: 'media.pass.auth',
  appVersion: 'media.libraryVersion',
  isDownloaded: 'media.downloaded'
};

/** The Media Collection params of the other XDM details, by detail and field. */
const DETAIL_PARAMS = {
  advertisingPodDetails: { index: 'media.ad.podIndex', offset: 'media.ad.podSecond', friendlyName: 'media.ad.podFriendlyName' },
  advertisingDetails: {
    name: 'media.ad.id',
    friendlyName: 'media.ad.name',
    length: 'media.ad.length',
    podPosition: 'media.ad.podPosition',
    playerName: 'media.ad.playerName',
    advertiser: 'media.ad.advertiser',
    campaignID: 'media.ad.campaignId',
    creativeID: 'media.ad.creativeId',
    creativeURL: 'media.ad.creativeURL',
    placementID: 'media.ad.placementId',
    siteID: 'media.ad.siteId'
  },
  chapterDetails: {
    index: 'media.chapter.index',
    offset: 'media.chapter.offset',
    length: 'media.chapter.length',
    friendlyName: 'media.chapter.friendlyName'
  },
  // The values are kept as sent: the Edge's bitrate is in kbps (no rule reads QoE).
  qoeDataDetails: {
    bitrate: 'media.qoe.bitrate',
    droppedFrames: 'media.qoe.droppedFrames',
    framesPerSecond: 'media.qoe.framesPerSecond',
    timeToStart: 'media.qoe.timeToStart'
  },
  errorDetails: { name: 'media.qoe.errorID', source: 'media.qoe.errorSource' }
};

/**
 * A valid Edge event (its `xdm`, sent to the path's `eventType`) as the rules see it: the
 * Media Collection API's event form, with its param names, plus `hint`, the location hint of the
 * path it came through (null for `/ee/va/v1/…`). `statesUpdate` keeps its `statesStart` and
 * `statesEnd` lists of `{ 'media.state.name' }`, as on the Media Collection API.
 */
function edgeEventOf(eventType, xdm, hint) {
  const { playhead, sessionDetails = {}, statesStart, statesEnd, ...details } = xdm.mediaCollection;
  const params = {};
  // QoE and errors travel in qoeData on the Media Collection API.
  const qoeData = {};
  for (const [field, value] of Object.entries(sessionDetails)) params[SESSION_PARAMS[field] ?? `media.${field}`] = value;
  for (const [detail, names] of Object.entries(DETAIL_PARAMS)) {
    for (const [field, value] of Object.entries(details[detail] ?? {})) {
      const name = names[field];
      (name.startsWith('media.qoe.') ? qoeData : params)[name] = value;
    }
  }
  const states = (list) => list.map(({ name }) => ({ 'media.state.name': name }));
  if (statesStart) params.statesStart = states(statesStart);
  if (statesEnd) params.statesEnd = states(statesEnd);
  return { eventType, ts: Date.parse(xdm.timestamp), playhead, params, qoeData, hint };
}

/**
 * What is wrong with an Edge body's envelope, as `{ name, reason }` from `$`, and what it passes
 * by: it must be `{ events: [{ xdm: {...} }] }` with exactly one event, and on a Media Edge API
 * path `xdm.eventType` must be `media.` + the path's event type (`eventType`; on interact the
 * body names it). Adobe's OpenAPI file does not close the envelope: the Edge Network's `meta` and
 * `query` (and an event's `data`, `meta` and `query`) pass unchecked, anything else with a
 * warning. What is inside `xdm` is for its schema (validateEdge).
 *
 * @returns {{ problems: Array<{ name: string, reason: string }>, warnings: string[] }}
 */
function envelopeProblems(body, eventType) {
  if (!isObject(body)) return { problems: [{ name: '$', reason: 'must be a JSON object' }], warnings: [] };
  const unknown = (object, known, at) =>
    Object.keys(object)
      .filter((key) => !known.has(key))
      .map((key) => `${at}.${key}: not a member of an Edge Network request known to the emulator; passed by`);
  const warnings = unknown(body, ENVELOPE_FIELDS, '$');
  const refuse = (name, reason) => ({ problems: [{ name, reason }], warnings });
  if (!Array.isArray(body.events)) return refuse('$.events', body.events === undefined ? 'Missing required field' : 'must be array');
  if (body.events.length !== 1) return refuse('$.events', `must hold exactly one event, not ${body.events.length}`);
  const [event] = body.events;
  if (!isObject(event)) return refuse('$.events[0]', 'must be object');
  warnings.push(...unknown(event, EVENT_FIELDS, '$.events[0]'));
  if (!isObject(event.xdm)) return refuse('$.events[0].xdm', event.xdm === undefined ? 'Missing required field' : 'must be object');
  const expected = `media.${eventType}`;
  if (eventType !== undefined && event.xdm.eventType !== expected) {
    const sent = event.xdm.eventType === undefined ? 'none' : JSON.stringify(event.xdm.eventType);
    return refuse('$.events[0].xdm.eventType', `must be "${expected}" on the ${eventType} path, not ${sent}`);
  }
  return { problems: [], warnings };
}

/** The detail objects an Edge event type requires in `xdm.mediaCollection` (Adobe's OpenAPI file). */
const edgeRequired = (eventType) => edgeSchemas[eventType].properties.xdm.properties.mediaCollection.required;

function violationsOf(session, event) {
  return checks.map((check) => check(session, event)).filter(Boolean);
}

/**
 * Records the event's violations and moves the session on past it, in ts order: an event that
 * arrives after one with a later ts goes into its place in the timeline, and the whole session is
 * judged again from its sessionStart (REORDER says how far Adobe reorders).
 */
function accept(session, event, record) {
  session.received.push(event);
  const entry = { event, record, arrival: ++session.arrivals, order: [] };
  if (event.eventType === 'sessionStart') {
    session.start = entry;
    judge(session, entry);
    return;
  }
  const at = session.timeline.findIndex((other) => other.event.ts > event.ts);
  if (at === -1) {
    session.timeline.push(entry);
    judge(session, entry);
    return;
  }
  // The later event that arrived first: Adobe's window must have held it until this one came.
  const first = session.timeline.slice(at).reduce((a, b) => (b.arrival < a.arrival ? b : a));
  const ms = record.receivedAt - first.record.receivedAt;
  const since = entry.arrival - first.arrival;
  const later = `${first.event.eventType} (ts ${first.event.ts})`;
  if (ms <= REORDER.ms && since < REORDER.events) {
    record.warnings.push(
      `arrived after ${later}, which it precedes: judged in ts order, as Adobe's backend reorders events that arrive within ` +
        `${REORDER.ms / 1000} s and ${REORDER.events} events of each other`
    );
  } else {
    entry.order.push(
      `arrived ${ms} ms and ${since} events after ${later}, which it precedes: Adobe's backend reorders only within ` +
        `${REORDER.ms / 1000} s and ${REORDER.events} events, so it may count this event out of order`
    );
  }
  session.timeline.splice(at, 0, entry);
  replay(session);
}

/** Judges one entry against the session as it stands, and moves the session on past it. */
function judge(session, { event, record, order }) {
  record.violations = [...order, ...violationsOf(session, event)];
  apply(session, event);
}

/** Judges the whole session again in ts order, from its sessionStart. */
function replay(session) {
  Object.assign(session, freshState());
  judge(session, session.start);
  for (const entry of session.timeline) judge(session, entry);
}

/**
 * Starts an emulator on an HTTP server, or an HTTPS one with `tls` (Adobe's Web SDK sends to
 * `https://` only).
 *
 * @param {{ port?: number, host?: string, log?: (line: string) => void, edgeHint?: string, orgId?: string,
 *   tls?: { key: string | Buffer, cert: string | Buffer } }} [options] Port 0 picks a free port;
 *   `edgeHint` and `orgId` as for createEmulator; `tls` the PEM key and certificate of an HTTPS server.
 * @returns {Promise<{ url: string, port: number, emulator: ReturnType<typeof createEmulator>, close: () => Promise<void> }>}
 *   Rejects with a readable Error when the port is in use.
 */
export function startEmulator({ port = 0, host = '127.0.0.1', log, edgeHint, orgId, tls } = {}) {
  const emulator = createEmulator({ log, edgeHint, orgId });
  const server = tls ? createSecureServer({ key: tls.key, cert: tls.cert }, emulator.handle) : createServer(emulator.handle);
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is already in use: choose another with --port N (or --port 0 for any free port)`)
          : error
      );
    });
    server.listen(port, host, () => {
      const actual = server.address().port;
      const where = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `${tls ? 'https' : 'http'}://${where}:${actual}`,
        port: actual,
        emulator,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // Keep-alive connections of fetch would otherwise hold close() open.
            server.closeAllConnections();
          })
      });
    });
  });
}

/** Whether Node was asked to run this file (rather than import it). */
function isMain() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false; // no script path (node -e, a REPL): imported
  }
}

// `node demo/emulator/emulator.mjs` runs the command line of cli.mjs (`npm run emulator`).
if (isMain()) {
  const { main } = await import('./cli.mjs');
  process.exitCode = await main(process.argv.slice(2));
}
