// @vitest-environment node
// The Media Collection API emulator (demo/emulator/emulator.mjs), over real HTTP with Node's fetch.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulator, startEmulator } from '../../demo/emulator/emulator.mjs';
import { schemas } from '../../demo/emulator/schemas.mjs';
import { PARAMS, T0 } from './fixtures';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'OPTIONS,POST,PUT,GET,DELETE',
  'access-control-allow-headers': 'Content-Type',
  'access-control-expose-headers': 'Location'
};

let server: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  server = await startEmulator({ port: 0 });
});
afterAll(() => server.close());

const at = (scope: string | null) => (scope ? `${server.url}/p/${scope}` : server.url);
const event = (eventType: string, ts: number, playhead: number, extra: object = {}) => ({
  eventType,
  playerTime: { playhead, ts },
  ...extra
});
const sessionStart = (params: object = {}, ts = T0, playhead = 0) =>
  event('sessionStart', ts, playhead, { params: { ...PARAMS, ...params } });

function post(url: string, body: unknown, contentType = 'application/json') {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  });
}

/**
 * Starts a session in `scope` and returns a function that posts events to it, as the plugin
 * does: to `{endpoint}/api/v1/sessions/{sid}/events`, the endpoint with its scope prefix.
 */
async function open(scope: string | null, params: object = {}, ts = T0, playhead = 0) {
  const response = await post(`${at(scope)}/api/v1/sessions`, sessionStart(params, ts, playhead));
  expect(response.status).toBe(201);
  const location = response.headers.get('Location')!;
  const sid = location.split('/').pop()!;
  const send = (eventType: string, eventTs: number, eventPlayhead: number, extra: object = {}) =>
    post(`${at(scope)}/api/v1/sessions/${sid}/events`, event(eventType, eventTs, eventPlayhead, extra));
  return { sid, location, send };
}

/** Sends events one after another and returns their statuses. */
async function sendAll(
  send: (...args: [string, number, number, object?]) => Promise<Response>,
  events: Array<[string, number, number, object?]>
) {
  const statuses: number[] = [];
  for (const args of events) statuses.push((await send(...args)).status);
  return statuses;
}

const last = (scope: string) => server.emulator.records(scope).at(-1)!;
const violations = (scope: string) => server.emulator.records(scope).flatMap((record) => record.violations);

describe('sessions endpoint', () => {
  it('creates a session with a 201, an empty body and a Location on the default scope', async () => {
    server.emulator.reset('default');
    const response = await post(`${server.url}/api/v1/sessions`, sessionStart());
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
    const location = response.headers.get('Location')!;
    expect(location).toMatch(/^\/api\/v1\/sessions\/[0-9a-f]{64}$/);
    expect(response.headers.get('Access-Control-Expose-Headers')).toBe('Location');
    const sid = location.slice('/api/v1/sessions/'.length);
    expect(server.emulator.sessions()).toEqual([{ sid, state: 'open', events: 0, resume: false }]);
    expect(server.emulator.records()).toMatchObject([
      {
        n: 1,
        method: 'POST',
        path: '/api/v1/sessions',
        sid,
        eventType: 'sessionStart',
        playhead: 0,
        ts: T0,
        status: 201,
        message: null,
        errors: [],
        violations: []
      }
    ]);
  });

  it('answers the Location Adobe sends on every scope, and finds the session on the scoped path and on the unscoped one', async () => {
    const { sid, location, send } = await open('loc-1');
    // As Adobe's: no scope prefix. Adobe's Media SDK takes the id from the fifth /-segment.
    expect(location).toBe(`/api/v1/sessions/${sid}`);
    expect(location.split('/')[4]).toBe(sid);
    expect(sid).toMatch(/^[0-9a-f]{64}$/);
    const response = await send('play', T0 + 1, 0);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    // The Location as a path of the emulator: unscoped, yet the scope's session.
    const unscoped = await post(`${server.url}${location}/events`, event('ping', T0 + 10001, 10));
    expect(unscoped.status).toBe(204);
    expect(server.emulator.records('loc-1').map((r) => [r.n, r.path, r.sid, r.eventType, r.status, r.violations])).toEqual([
      [1, '/p/loc-1/api/v1/sessions', sid, 'sessionStart', 201, []],
      [2, `/p/loc-1/api/v1/sessions/${sid}/events`, sid, 'play', 204, []],
      [3, `/api/v1/sessions/${sid}/events`, sid, 'ping', 204, []]
    ]);
    expect(server.emulator.sessions('loc-1')).toEqual([{ sid, state: 'open', events: 2, resume: false }]);
    expect(server.emulator.records().filter((r) => r.sid === sid)).toEqual([]);
  });

  it.each([
    ['an unknown params key', { 'media.nope': 'x' }, 'sessionStart: /params must NOT have additional properties (media.nope)'],
    ['a string media.length', { 'media.length': '60' }, 'sessionStart: /params/media.length must be number']
  ])('answers 400 to %s, naming the problem', async (_, params, problem) => {
    const scope = `bad-start-${Object.keys(params)[0].replace('.', '_')}`;
    const response = await post(`${at(scope)}/api/v1/sessions`, sessionStart(params));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(await response.json()).toEqual({ message: `Invalid request: ${problem}` });
    expect(last(scope)).toMatchObject({ status: 400, sid: null, errors: [problem], violations: [] });
    expect(server.emulator.sessions(scope)).toEqual([]);
  });

  it('answers 400 to a float ts', async () => {
    const response = await post(`${at('float-ts')}/api/v1/sessions`, sessionStart({}, T0 + 0.5));
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe('Invalid request: sessionStart: /playerTime/ts must be integer');
  });

  it('answers 415 to another Content-Type, 400 to broken JSON and 413 to a body over 64 KB', async () => {
    const url = `${at('format')}/api/v1/sessions`;
    const text = await post(url, sessionStart(), 'text/plain');
    expect(text.status).toBe(415);
    expect((await text.json()).message).toBe('Invalid request: Content-Type must be application/json, not "text/plain"');
    const broken = await post(url, '{"eventType":');
    expect(broken.status).toBe(400);
    expect((await broken.json()).message).toMatch(/^Invalid request: the body is not valid JSON \(/);
    const huge = await post(url, sessionStart({ 'media.name': 'x'.repeat(70000) }));
    expect(huge.status).toBe(413);
    expect(server.emulator.records('format').map((r) => [r.status, r.eventType])).toEqual([
      [415, 'sessionStart'],
      [400, null],
      [413, null]
    ]);
    expect(server.emulator.sessions('format')).toEqual([]);
  });
});

describe('events endpoint', () => {
  it('answers 400 to a ping with params', async () => {
    const { send } = await open('ping-params');
    const response = await send('ping', T0 + 10000, 10, { params: { 'media.id': 'x' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Invalid request: ping: (body) must NOT have additional properties (params)'
    });
    expect(server.emulator.sessions('ping-params')[0].events).toBe(0);
  });

  it('answers 404 to an unknown sid', async () => {
    const response = await post(`${at('no-sid')}/api/v1/sessions/abc123/events`, event('ping', T0, 0));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Unknown session id abc123' });
    expect(last('no-sid')).toMatchObject({ sid: 'abc123', eventType: 'ping', status: 404 });
  });

  it('answers 410 after sessionEnd and reports the late event as a violation', async () => {
    const { sid, send } = await open('ended');
    expect(
      await sendAll(send, [
        ['play', T0 + 1, 0],
        ['sessionEnd', T0 + 5000, 5],
        ['ping', T0 + 10000, 5],
        ['sessionEnd', T0 + 10001, 5]
      ])
    ).toEqual([204, 204, 410, 410]);
    const records = server.emulator.records('ended');
    expect(records[3]).toMatchObject({
      status: 410,
      message: `Session ${sid} is closed: it was ended by sessionEnd`,
      violations: ['ping after sessionEnd']
    });
    // §3.1: sending sessionEnd twice is safe.
    expect(records[4].violations).toEqual([]);
    expect(server.emulator.sessions('ended')).toEqual([{ sid, state: 'closed', closedBecause: 'sessionEnd', events: 2, resume: false }]);
  });

  it('closes a session on the first event more than 10 minutes of ts after the previous one', async () => {
    const { sid, send } = await open('idle');
    expect(
      await sendAll(send, [
        ['play', T0 + 1, 0],
        ['ping', T0 + 1 + 600000, 1],
        ['ping', T0 + 1 + 1200001, 2]
      ])
    ).toEqual([204, 204, 410]);
    expect(last('idle')).toMatchObject({
      status: 410,
      message: `Session ${sid} is closed: it timed out: no events for more than 10 minutes of ts`,
      violations: []
    });
    expect(server.emulator.sessions('idle')[0]).toMatchObject({ state: 'closed', closedBecause: 'idle', events: 2 });
    expect((await send('ping', T0 + 1200100, 2)).status).toBe(410);
  });

  it('closes a VOD session whose playhead stood still for more than 30 minutes of ts', async () => {
    const { send } = await open('still');
    const paused = T0 + 2;
    const statuses = await sendAll(send, [
      ['play', T0 + 1, 0],
      ['pauseStart', paused, 5],
      ['ping', paused + 540000, 5],
      ['ping', paused + 1080000, 5],
      ['ping', paused + 1620000, 5],
      ['ping', paused + 1800000, 5],
      ['ping', paused + 1800001, 5]
    ]);
    expect(statuses).toEqual([204, 204, 204, 204, 204, 204, 410]);
    expect(server.emulator.sessions('still')[0]).toMatchObject({ state: 'closed', closedBecause: 'still', events: 6 });
    expect(last('still').message).toMatch(/the playhead did not move for more than 30 minutes of ts$/);
    expect(violations('still')).toEqual([
      ...Array(3).fill('540000 ms since the previous event (a ping is due every 10 s)'),
      '180000 ms since the previous event (a ping is due every 10 s)'
    ]);
  });
});

describe('faults', () => {
  it('goneAfter N answers 410 to the event after N accepted events; the client resumes on a new session', async () => {
    server.emulator.setFaults('gone', { goneAfter: 2 });
    const first = await open('gone');
    expect(
      await sendAll(first.send, [
        ['play', T0 + 1, 0],
        ['ping', T0 + 10001, 10],
        ['ping', T0 + 20001, 20]
      ])
    ).toEqual([204, 204, 410]);
    expect(last('gone').message).toBe(`Session ${first.sid} is closed: the goneAfter fault closed it`);
    const second = await open('gone', { 'media.resume': true }, T0 + 20002, 20);
    expect(server.emulator.sessions('gone')).toEqual([
      { sid: first.sid, state: 'closed', closedBecause: 'goneAfter', events: 2, resume: false },
      { sid: second.sid, state: 'open', events: 0, resume: true }
    ]);
  });

  it('errorRate 1 answers errorStatus without applying the request', async () => {
    const { sid, send } = await open('outage');
    server.emulator.setFaults('outage', { errorRate: 1 });
    const start = await post(`${at('outage')}/api/v1/sessions`, sessionStart());
    expect(start.status).toBe(503);
    expect(await start.json()).toEqual({ message: 'Emulated failure (errorRate 1)' });
    expect((await send('play', T0 + 1, 0)).status).toBe(503);
    expect(server.emulator.sessions('outage')).toEqual([{ sid, state: 'open', events: 0, resume: false }]);
    server.emulator.setFaults('outage', { errorRate: 0 });
    // The retry with the same ts is the first delivery as far as the session knows.
    expect((await send('play', T0 + 1, 0)).status).toBe(204);
    expect(server.emulator.records('outage').map((r) => [r.status, r.eventType, r.violations])).toEqual([
      [201, 'sessionStart', []],
      [503, 'sessionStart', []],
      [503, 'play', []],
      [204, 'play', []]
    ]);
  });

  it('picks the failures of an errorRate with a seeded PRNG that a new seed restarts', async () => {
    const { send } = await open('seeded');
    const run = async (from: number) => {
      server.emulator.setFaults('seeded', { errorRate: 0.5, seed: 42 });
      const statuses = await sendAll(
        send,
        Array.from({ length: 12 }, (_, i): [string, number, number] => ['ping', from + i, 0])
      );
      server.emulator.setFaults('seeded', { errorRate: 0 });
      return statuses;
    };
    const a = await run(T0 + 1);
    const b = await run(T0 + 100);
    expect(a).toEqual(b);
    expect(a.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(a.filter((status) => status === 204).length).toBeGreaterThan(0);
  });

  it('latency delays every API response and slowStart delays a 201', async () => {
    server.emulator.setFaults('slow', { latency: 50 });
    let t = performance.now();
    expect((await fetch(`${at('slow')}/api/v1/schemas/nope`)).status).toBe(404);
    expect(performance.now() - t).toBeGreaterThanOrEqual(50);
    server.emulator.setFaults('slow', { latency: 0, slowStart: 50 });
    t = performance.now();
    await open('slow');
    expect(performance.now() - t).toBeGreaterThanOrEqual(50);
  });

  it('reads and merges faults through the control API and rejects unknown ones', async () => {
    const url = `${server.url}/__emulator/scopes/ctl-faults/faults`;
    const put = (body: object) =>
      fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(await (await put({ latency: 5 })).json()).toEqual({
      latency: 5,
      errorRate: 0,
      errorStatus: 503,
      slowStart: 0,
      goneAfter: 0,
      seed: 1
    });
    const bad = await put({ errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'invalid value for fault "errorRate": 2' });
    expect(await (await fetch(url)).json()).toMatchObject({ latency: 5, errorRate: 0 });
  });
});

describe('sequence violations (accepted, reported)', () => {
  it('reports nothing for a clean session with a pre-roll, a chapter, states, a pause and completion', async () => {
    const { send } = await open('clean');
    const statuses = await sendAll(send, [
      ['adBreakStart', T0 + 1, 0, { params: { 'media.ad.podIndex': 0, 'media.ad.podSecond': 0 } }],
      [
        'adStart',
        T0 + 2,
        0,
        { params: { 'media.ad.id': 'a1', 'media.ad.length': 15, 'media.ad.podPosition': 1, 'media.ad.playerName': 'p' } }
      ],
      ['ping', T0 + 10002, 0],
      ['adComplete', T0 + 15002, 0],
      ['adBreakComplete', T0 + 15003, 0],
      ['chapterStart', T0 + 15004, 0, { params: { 'media.chapter.index': 1, 'media.chapter.offset': 0, 'media.chapter.length': 60 } }],
      ['play', T0 + 15005, 0],
      ['stateStart', T0 + 20000, 5, { params: { 'media.state.name': 'fullscreen' } }],
      ['pauseStart', T0 + 25000, 10],
      ['ping', T0 + 35000, 10],
      ['play', T0 + 40000, 10],
      [
        'statesUpdate',
        T0 + 45000,
        15,
        { params: { statesEnd: [{ 'media.state.name': 'fullscreen' }], statesStart: [{ 'media.state.name': 'mute' }] } }
      ],
      ['ping', T0 + 55000, 25],
      ['ping', T0 + 65000, 35],
      ['ping', T0 + 75000, 45],
      ['ping', T0 + 85000, 55],
      ['chapterComplete', T0 + 89000, 59],
      ['sessionComplete', T0 + 89001, 60],
      ['sessionEnd', T0 + 200000, 60]
    ]);
    expect(statuses.every((status) => status === 204)).toBe(true);
    expect(violations('clean')).toEqual([]);
  });

  it('judges a late event in ts order with a warning, and reports an equal ts and a duplicate', async () => {
    const { send } = await open('ts');
    await sendAll(send, [
      ['play', T0 + 10, 0],
      ['ping', T0 + 5, 0],
      ['ping', T0 + 10010, 10],
      ['ping', T0 + 10010, 10],
      ['pauseStart', T0 + 10010, 10]
    ]);
    expect(server.emulator.records('ts').map((r) => [r.status, r.violations, r.warnings])).toEqual([
      [201, [], []],
      [204, [], []],
      [
        204,
        [],
        [
          `arrived after play (ts ${T0 + 10}), which it precedes: judged in ts order, as Adobe's backend reorders events ` +
            'that arrive within 1 s and 10 events of each other'
        ]
      ],
      [204, [], []],
      [204, [`duplicate: a ping with ts ${T0 + 10010} was already accepted`], []],
      [204, [`ts ${T0 + 10010} is not after the previous event's ts ${T0 + 10010}`], []]
    ]);
  });

  it('reports a gap of 15 s without events, but not after sessionComplete', async () => {
    const { send } = await open('gap');
    expect(
      await sendAll(send, [
        ['play', T0 + 1, 0],
        ['ping', T0 + 15001, 15],
        ['sessionComplete', T0 + 20000, 60],
        ['sessionEnd', T0 + 90000, 60]
      ])
    ).toEqual([204, 204, 204, 204]);
    expect(violations('gap')).toEqual(['15000 ms since the previous event (a ping is due every 10 s)']);
  });

  it('reports anything but sessionEnd after sessionComplete', async () => {
    const { send } = await open('after-complete');
    await sendAll(send, [
      ['play', T0 + 1, 0],
      ['sessionComplete', T0 + 2, 60],
      ['ping', T0 + 10002, 60]
    ]);
    expect(violations('after-complete')).toEqual(['ping after sessionComplete']);
  });

  it('reports ad events outside a break, a play before the first adStart and a break closed over an open ad', async () => {
    const { send } = await open('ads');
    const adStart = { params: { 'media.ad.id': 'a1', 'media.ad.length': 15, 'media.ad.podPosition': 1, 'media.ad.playerName': 'p' } };
    const breakStart = (podSecond: number) => ({ params: { 'media.ad.podIndex': 1, 'media.ad.podSecond': podSecond } });
    await sendAll(send, [
      ['play', T0 + 1, 0],
      ['adStart', T0 + 2, 0, adStart],
      ['adComplete', T0 + 3, 0],
      ['ping', T0 + 5000, 5],
      ['adBreakStart', T0 + 6000, 6, breakStart(6)],
      ['play', T0 + 6001, 6],
      ['adStart', T0 + 6002, 6, adStart],
      ['adBreakComplete', T0 + 6003, 6]
    ]);
    expect(server.emulator.records('ads').map((r) => r.violations)).toEqual([
      [],
      [],
      ['adStart outside an ad break'],
      ['adComplete outside an ad break'],
      [],
      [],
      ['play between adBreakStart and the first adStart'],
      [],
      ['adBreakComplete while an ad is open']
    ]);
  });

  it('reports a play sent before the pre-roll', async () => {
    const { send } = await open('preroll');
    await sendAll(send, [
      ['play', T0 + 1, 0],
      ['adBreakStart', T0 + 2, 0, { params: { 'media.ad.podIndex': 0, 'media.ad.podSecond': 0 } }]
    ]);
    expect(violations('preroll')).toEqual([
      'play before the pre-roll (adBreakStart with media.ad.podSecond 0 after a play, before any content played)'
    ]);
  });

  it('reports a playhead that moves while paused or buffering, or runs past media.length', async () => {
    const { send } = await open('frozen');
    await sendAll(send, [
      ['play', T0 + 1, 0],
      ['pauseStart', T0 + 5000, 5],
      ['ping', T0 + 15000, 7.5],
      ['play', T0 + 20000, 5],
      ['bufferStart', T0 + 25000, 10],
      ['ping', T0 + 35000, 10],
      ['play', T0 + 36000, 10],
      ['ping', T0 + 46000, 62]
    ]);
    expect(violations('frozen')).toEqual(['playhead moved while paused (5 → 7.5)', 'playhead 62 is beyond media.length 60']);
  });

  it('checks a live playhead against the second of the day of its ts', async () => {
    const noon = T0 + 43200 * 1000;
    const { send } = await open('live', { 'media.contentType': 'live', 'media.length': 86400 }, noon, 43200);
    await sendAll(send, [
      ['play', noon + 1000, 43201],
      ['ping', noon + 11000, 43200]
    ]);
    expect(violations('live')).toEqual(['live playhead 43200 is not the second of the day of its ts (43211)']);
  });

  it('reports overlapping chapters and states that end without a start or pass the limit of 10', async () => {
    const { send } = await open('chapters-states');
    const chapter = { params: { 'media.chapter.index': 1, 'media.chapter.offset': 0, 'media.chapter.length': 30 } };
    const states = (names: string[]) => ({ params: { statesStart: names.map((name) => ({ 'media.state.name': name })) } });
    await sendAll(send, [
      ['chapterStart', T0 + 1, 0, chapter],
      ['chapterStart', T0 + 2, 0, chapter],
      ['chapterComplete', T0 + 3, 0],
      ['chapterSkip', T0 + 4, 0],
      ['stateEnd', T0 + 5, 0, { params: { 'media.state.name': 'mute' } }],
      ['statesUpdate', T0 + 6, 0, states(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'])],
      ['statesUpdate', T0 + 7, 0, states(['s1', 's10', 's11'])]
    ]);
    expect(violations('chapters-states')).toEqual([
      'chapterStart while a chapter is open',
      'chapterSkip without an open chapter',
      'ending "mute", not started',
      'more than 10 distinct states in this session: "s11"'
    ]);
  });
});

describe("ts order: the rules judge a session as Adobe's backend orders it", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A session in-process whose events arrive at wall-clock times the test chooses (receivedAt). */
  function session() {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const emulator = createEmulator();
    const sid = emulator.receive({ path: '/api/v1/sessions', body: sessionStart() }).headers.Location.split('/')[4];
    const send = (eventType: string, ts: number, playhead: number, arrivesAfterMs = 0, extra: object = {}) => {
      vi.setSystemTime(Date.now() + arrivesAfterMs);
      return emulator.receive({ path: `/api/v1/sessions/${sid}/events`, body: event(eventType, ts, playhead, extra) }).status;
    };
    const judged = () => emulator.records().map((r) => [r.eventType, r.violations, r.warnings.length]);
    return { emulator, send, judged };
  }

  it('takes a chapterComplete that arrives after the later sessionComplete in its place, with a warning', () => {
    const { emulator, send, judged } = session();
    const chapter = { params: { 'media.chapter.index': 1, 'media.chapter.offset': 0, 'media.chapter.length': 60 } };
    expect([
      send('chapterStart', T0 + 1, 0, 0, chapter),
      send('play', T0 + 2, 0),
      send('sessionComplete', T0 + 5002, 5, 10),
      send('chapterComplete', T0 + 5001, 5, 10)
    ]).toEqual([204, 204, 204, 204]);
    // In arrival order it would be "chapterComplete after sessionComplete" (and without an open chapter).
    expect(judged()).toEqual([
      ['sessionStart', [], 0],
      ['chapterStart', [], 0],
      ['play', [], 0],
      ['sessionComplete', [], 0],
      ['chapterComplete', [], 1]
    ]);
    expect(emulator.records().at(-1)!.warnings).toEqual([
      `arrived after sessionComplete (ts ${T0 + 5002}), which it precedes: judged in ts order, as Adobe's backend reorders ` +
        'events that arrive within 1 s and 10 events of each other'
    ]);
    // The report counts in ts order too: the chapter completes, then the content.
    const figures = Object.fromEntries(emulator.report().sessions[0].metrics.map((m) => [m.name, m.value]));
    expect([figures['Chapter completes'], figures['Content completes']]).toEqual([1, 1]);
  });

  it('reports an event that arrives more than 1 s after a later one, which Adobe may not reorder', () => {
    const { send, judged } = session();
    send('play', T0 + 1, 0);
    send('ping', T0 + 10001, 10, 10);
    send('pauseStart', T0 + 5001, 5, 1001);
    expect(judged()).toEqual([
      ['sessionStart', [], 0],
      ['play', [], 0],
      // Judged after the pause, in ts order: the ping's playhead moved while paused.
      ['ping', ['playhead moved while paused (5 → 10)'], 0],
      [
        'pauseStart',
        [
          `arrived 1001 ms and 1 events after ping (ts ${T0 + 10001}), which it precedes: Adobe's backend reorders only within ` +
            '1 s and 10 events, so it may count this event out of order'
        ],
        0
      ]
    ]);
  });

  it('reports an event that arrives 10 events after a later one, however fast', () => {
    const { send, judged } = session();
    send('play', T0 + 1, 0);
    for (let i = 2; i <= 11; i += 1) send('ping', T0 + 1000 * i, i - 1);
    send('ping', T0 + 1500, 0);
    const late = judged().at(-1)!;
    expect(late[1]).toEqual([
      `arrived 0 ms and 10 events after ping (ts ${T0 + 2000}), which it precedes: Adobe's backend reorders only within ` +
        '1 s and 10 events, so it may count this event out of order'
    ]);
    // Nine events later is still within Adobe's window.
    const { send: again, judged: judgedAgain } = session();
    again('play', T0 + 1, 0);
    for (let i = 2; i <= 10; i += 1) again('ping', T0 + 1000 * i, i - 1);
    again('ping', T0 + 1500, 0);
    expect(judgedAgain().at(-1)).toEqual(['ping', [], 1]);
  });

  it('keeps sessionStart first, as Adobe processes it at once: an event with an earlier ts is reported', () => {
    const { send, judged } = session();
    expect(send('play', T0 - 5, 0)).toBe(204);
    expect(judged()).toEqual([
      ['sessionStart', [], 0],
      ['play', [`ts ${T0 - 5} is not after the previous event's ts ${T0}`], 0]
    ]);
  });
});

describe('scopes, control API, CORS and schemas', () => {
  it('answers a CORS preflight with 204 and Adobe’s headers, and puts them on every response', async () => {
    const preflight = await fetch(`${at('cors')}/api/v1/sessions`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:8080',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type'
      }
    });
    expect(preflight.status).toBe(204);
    const headers = (response: Response) => Object.fromEntries(Object.keys(CORS).map((name) => [name, response.headers.get(name)]));
    expect(headers(preflight)).toEqual(CORS);
    expect(headers(await fetch(`${at('cors')}/nowhere`))).toEqual(CORS);
    expect(headers(await fetch(`${server.url}/__emulator/health`))).toEqual(CORS);
    // Preflights are not API requests.
    expect(server.emulator.records('cors').map((r) => [r.method, r.status])).toEqual([['GET', 404]]);
  });

  it('keeps scopes apart', async () => {
    const a = await open('scope-a');
    const other = await post(`${at('scope-b')}/api/v1/sessions/${a.sid}/events`, event('play', T0 + 1, 0));
    expect(other.status).toBe(404);
    expect(server.emulator.sessions('scope-b')).toEqual([]);
    expect(server.emulator.records('scope-a').map((r) => r.n)).toEqual([1]);
    expect(server.emulator.records('scope-b').map((r) => [r.n, r.status])).toEqual([[1, 404]]);
  });

  it('lists the scopes, and records since n, and forgets a scope on DELETE', async () => {
    server.emulator.setFaults('ctl', { latency: 1 });
    const { sid, send } = await open('ctl');
    await send('play', T0 + 1, 0);
    const listed = await (await fetch(`${server.url}/__emulator/scopes/ctl/requests?since=1`)).json();
    expect(listed.records.map((r: { n: number; eventType: string }) => [r.n, r.eventType])).toEqual([[2, 'play']]);
    expect(listed.sessions).toEqual([{ sid, state: 'open', events: 1, resume: false }]);
    const deleted = await fetch(`${server.url}/__emulator/scopes/ctl`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await (await fetch(`${server.url}/__emulator/scopes/ctl/requests`)).json()).toEqual({ records: [], sessions: [] });
    expect(await (await fetch(`${server.url}/__emulator/scopes/ctl/faults`)).json()).toMatchObject({ latency: 0 });
    expect((await send('ping', T0 + 10001, 10)).status).toBe(404);
    expect(server.emulator.records('ctl').map((r) => r.n)).toEqual([1]);
    // Forgotten on the unscoped path too: the 404 of an unknown id is the default scope's.
    expect((await post(`${server.url}/api/v1/sessions/${sid}/events`, event('ping', T0 + 10002, 10))).status).toBe(404);
    expect(server.emulator.records().at(-1)).toMatchObject({ sid, status: 404, message: `Unknown session id ${sid}` });
    const scopes = await (await fetch(`${server.url}/__emulator/scopes`)).json();
    expect(scopes.scopes).toContainEqual({ scope: 'ctl', requests: 1, sessions: 0 });
  });

  it('serves the schema of each event type and 404 for an unknown one', async () => {
    const ping = await fetch(`${at('schemas')}/api/v1/schemas/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual(schemas.ping);
    const unknown = await fetch(`${server.url}/api/v1/schemas/contentComplete`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'No schema for event type contentComplete' });
    expect(await (await fetch(`${server.url}/__emulator/health`)).json()).toEqual({ ok: true });
  });

  it('rejects a busy port with a message that says how to choose another', async () => {
    await expect(startEmulator({ port: server.port })).rejects.toThrow(
      `Port ${server.port} on 127.0.0.1 is already in use: choose another with --port N (or --port 0 for any free port)`
    );
  });
});

describe('receive: the in-process door', () => {
  const start = (emulator: ReturnType<typeof createEmulator>, scope?: string) =>
    emulator.receive({ scope, path: '/api/v1/sessions', body: sessionStart() });

  it('answers a valid sessionStart with a 201 and a Location, and an event with a 204, recording both as over HTTP', () => {
    const emulator = createEmulator();
    const started = start(emulator, 'in-1');
    expect(started).toEqual({
      status: 201,
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'OPTIONS,POST,PUT,GET,DELETE',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Expose-Headers': 'Location',
        Location: expect.stringMatching(/^\/api\/v1\/sessions\/[0-9a-f]{64}$/),
        'Content-Type': 'application/octet-stream'
      },
      body: null
    });
    const location = started.headers.Location;
    const sid = location.split('/').pop()!;
    // The Location as a path finds the scope's session by its id, as over HTTP.
    const played = emulator.receive({ path: `${location}/events`, body: event('play', T0 + 1, 0) });
    expect(played).toMatchObject({ status: 204, body: null });
    expect(emulator.records('in-1')).toMatchObject([
      {
        n: 1,
        method: 'POST',
        path: '/p/in-1/api/v1/sessions',
        sid,
        eventType: 'sessionStart',
        ts: T0,
        status: 201,
        errors: [],
        violations: []
      },
      {
        n: 2,
        method: 'POST',
        path: `${location}/events`,
        sid,
        eventType: 'play',
        playhead: 0,
        ts: T0 + 1,
        status: 204,
        errors: [],
        violations: []
      }
    ]);
    expect(emulator.sessions('in-1')).toEqual([{ sid, state: 'open', events: 1, resume: false }]);
    expect(emulator.records()).toEqual([]);
  });

  it('records sequence violations, and refuses malformed requests with the errors as over HTTP', () => {
    const emulator = createEmulator();
    const sid = start(emulator).headers.Location.split('/').pop()!;
    const path = `/api/v1/sessions/${sid}/events`;
    expect(emulator.receive({ path, body: event('play', T0 + 10, 0) }).status).toBe(204);
    expect(emulator.receive({ path, body: event('ping', T0 + 10, 0) }).status).toBe(204);
    expect(emulator.receive({ path, body: event('ping', T0 + 20, 0, { params: {} }) })).toMatchObject({
      status: 400,
      body: { message: 'Invalid request: ping: (body) must NOT have additional properties (params)' }
    });
    expect(emulator.receive({ path, body: '{"eventType":', contentType: 'text/plain' }).status).toBe(415);
    expect(emulator.receive({ path, body: JSON.stringify(event('ping', T0 + 30, 0)) }).status).toBe(204);
    expect(emulator.records().map((r) => [r.status, r.eventType, r.errors, r.violations])).toEqual([
      [201, 'sessionStart', [], []],
      [204, 'play', [], []],
      [204, 'ping', [], [`ts ${T0 + 10} is not after the previous event's ts ${T0 + 10}`]],
      [400, 'ping', ['ping: (body) must NOT have additional properties (params)'], []],
      [415, null, ['Content-Type must be application/json, not "text/plain"'], []],
      [204, 'ping', [], []]
    ]);
  });

  it('applies errorRate and goneAfter but answers at once, whatever the latency', () => {
    const emulator = createEmulator();
    emulator.setFaults('f', { latency: 60000, slowStart: 60000, goneAfter: 1 });
    const sid = start(emulator, 'f').headers.Location.split('/').pop()!;
    const send = (ts: number) =>
      emulator.receive({ scope: 'f', path: `/api/v1/sessions/${sid}/events`, body: event('ping', ts, 0) }).status;
    expect([send(T0 + 1), send(T0 + 2)]).toEqual([204, 410]);
    emulator.setFaults('f', { errorRate: 1 });
    expect(start(emulator, 'f')).toMatchObject({ status: 503, body: { message: 'Emulated failure (errorRate 1)' } });
    expect(emulator.sessions('f')).toEqual([{ sid, state: 'closed', closedBecause: 'goneAfter', events: 1, resume: false }]);
  });

  it('answers other routes as over HTTP and refuses what is not an API request', () => {
    const emulator = createEmulator();
    expect(emulator.receive({ method: 'GET', path: '/api/v1/schemas/ping' })).toMatchObject({ status: 200, body: schemas.ping });
    expect(emulator.receive({ method: 'OPTIONS', path: '/api/v1/sessions' }).status).toBe(204);
    expect(emulator.receive({ method: 'GET', path: '/nowhere' })).toMatchObject({
      status: 404,
      body: { message: 'No API route for GET /nowhere' }
    });
    expect(emulator.records().map((r) => [r.method, r.status])).toEqual([
      ['GET', 200],
      ['GET', 404]
    ]);
    expect(() => emulator.receive({ path: '/__emulator/health' })).toThrow(TypeError);
    expect(() => emulator.receive({ scope: 'a', path: '/p/b/api/v1/sessions' })).toThrow(
      'scope "a" disagrees with the path\'s prefix /p/b'
    );
    expect(() => emulator.receive({ scope: 'no spaces', path: '/api/v1/sessions' })).toThrow(TypeError);
    expect(() => emulator.receive({ path: 'api/v1/sessions' })).toThrow(TypeError);
  });
});
