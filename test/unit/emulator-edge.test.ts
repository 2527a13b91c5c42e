// @vitest-environment node
// The emulator's Media Edge API (demo/emulator/emulator.mjs under /ee), over real HTTP with Node's
// fetch, and in-process through receive().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulator } from '../../demo/emulator/emulator.mjs';

/** 2026-01-01T00:00:00Z, second of the day 0. */
const T0 = 1767225600000;
const HINT = 'emu1';
const SESSION_DETAILS = { name: 'ep-1', friendlyName: 'Episode 1', length: 60, contentType: 'vod', playerName: 'video.js', channel: 'web' };

let server: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  server = await startEmulator({ port: 0 });
});
afterAll(() => server.close());

const iso = (ts: number) => new Date(ts).toISOString();
/** The body of one Edge event: `{ events: [{ xdm }] }`. */
const body = (eventType: string, ts: number | string, mediaCollection: object, xdm: object = {}) => ({
  events: [{ xdm: { eventType: `media.${eventType}`, timestamp: typeof ts === 'string' ? ts : iso(ts), mediaCollection, ...xdm } }]
});
const startBody = (details: object = {}, ts = T0, playhead = 0) =>
  body('sessionStart', ts, { playhead, sessionDetails: { ...SESSION_DETAILS, ...details } });

/** The Edge base of `scope`, with the location hint's segment when given. */
const base = (scope: string | null, hint?: string) => `${server.url}${scope ? `/p/${scope}` : ''}/ee${hint ? `/${hint}` : ''}/va/v1`;

function post(url: string, payload: unknown, contentType = 'application/json', headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload)
  });
}

/** The ECID in the value of Adobe's identity cookie: base64 of a protobuf whose field 1 (tag 0x0a) is the ECID. */
function ecidOf(cookie: string) {
  const bytes = Buffer.from(cookie, 'base64');
  expect(bytes[0]).toBe(0x0a);
  return bytes.subarray(2, 2 + bytes[1]).toString('utf8');
}

interface Handle {
  type: string;
  payload: Array<Record<string, unknown>>;
  eventIndex?: number;
}

/**
 * Starts an Edge session in `scope` and returns its id and a function that posts its events,
 * through the location hint unless the function's `hint` is given ('' for none).
 */
async function open(scope: string, details: object = {}, ts = T0, playhead = 0) {
  const response = await post(`${base(scope)}/sessionStart?configId=ds-1`, startBody(details, ts, playhead));
  expect(response.status).toBe(200);
  const json = (await response.json()) as { handle: Handle[] };
  const sid = json.handle.find((h) => h.type === 'media-analytics:new-session')!.payload[0].sessionId as string;
  const send = (eventType: string, eventTs: number | string, eventPlayhead: number, extra: object = {}, hint = HINT) =>
    post(
      `${base(scope, hint)}/${eventType}?configId=ds-1`,
      body(eventType, eventTs, { sessionID: sid, playhead: eventPlayhead, ...extra })
    );
  return { sid, send };
}

type Send = Awaited<ReturnType<typeof open>>['send'];

/** Sends events one after another and returns their statuses. */
async function sendAll(send: Send, events: Array<[string, number, number, object?]>) {
  const statuses: number[] = [];
  for (const [eventType, ts, playhead, extra] of events) statuses.push((await send(eventType, ts, playhead, extra)).status);
  return statuses;
}

const last = (scope: string) => server.emulator.records(scope).at(-1)!;
const violations = (scope: string) => server.emulator.records(scope).flatMap((record) => record.violations);

describe('sessionStart', () => {
  it("answers 200 with the session id, the location hint and the cookies of Adobe's example, and records the session", async () => {
    const response = await post(`${base('start')}/sessionStart?configId=ds-1`, startBody());
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    // No Origin (no browser): no CORS grant.
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const json = await response.json();
    expect(json).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      handle: [
        { type: 'media-analytics:new-session', payload: [{ sessionId: expect.stringMatching(/^[0-9a-f]{64}$/) }], eventIndex: 0 },
        { type: 'locationHint:result', payload: [{ scope: 'EdgeNetwork', hint: HINT, ttlSeconds: 1800 }] },
        {
          type: 'state:store',
          payload: [
            { key: 'kndctr_EMULATOR_AdobeOrg_cluster', value: HINT, maxAge: 1800 },
            { key: 'kndctr_EMULATOR_AdobeOrg_identity', value: expect.any(String), maxAge: 34128000 }
          ]
        }
      ]
    });
    expect(ecidOf(json.handle[2].payload[1].value)).toMatch(/^\d{38}$/);
    const sid = json.handle[0].payload[0].sessionId;
    expect(server.emulator.sessions('start')).toEqual([{ sid, state: 'open', events: 0, resume: false }]);
    expect(server.emulator.records('start')).toEqual([
      {
        n: 1,
        api: 'edge',
        configId: 'ds-1',
        receivedAt: expect.any(Number),
        method: 'POST',
        path: '/p/start/ee/va/v1/sessionStart',
        sid,
        eventType: 'sessionStart',
        playhead: 0,
        ts: T0,
        body: startBody(),
        status: 200,
        message: null,
        errors: [],
        violations: [],
        warnings: []
      }
    ]);
  });

  it('answers 207 with the JSON path of a missing sessionDetails.name, and opens no session', async () => {
    const details: Partial<typeof SESSION_DETAILS> = { ...SESSION_DETAILS };
    delete details.name;
    const payload = body('sessionStart', T0, { playhead: 0, sessionDetails: details });
    const response = await post(`${base('no-name')}/sessionStart?configId=ds-1`, payload);
    expect(response.status).toBe(207);
    const json = await response.json();
    expect(json.handle.map((h: Handle) => h.type)).not.toContain('media-analytics:new-session');
    expect(json.errors).toEqual([
      {
        type: 'https://ns.adobe.com/aep/errors/va-edge-0400-400',
        status: 400,
        title: 'Invalid request',
        report: { eventIndex: 0, details: [{ name: '$.xdm.mediaCollection.sessionDetails.name', reason: 'Missing required field' }] }
      }
    ]);
    expect(server.emulator.sessions('no-name')).toEqual([]);
    expect(last('no-name')).toMatchObject({
      api: 'edge',
      status: 207,
      sid: null,
      eventType: 'sessionStart',
      errors: ['$.xdm.mediaCollection.sessionDetails.name: Missing required field']
    });
  });

  it('answers 207 to fields of the wrong type or unknown to the OpenAPI file', async () => {
    const payload = body('sessionStart', T0, {
      playhead: 0,
      sessionDetails: { ...SESSION_DETAILS, length: 60.5, show: 3, color: 'red' },
      customMetadata: [{ name: 'genre', value: 'drama' }, { name: 'year' }]
    });
    const response = await post(`${base('types')}/sessionStart?configId=ds-1`, payload);
    expect(response.status).toBe(207);
    expect(last('types').errors).toEqual([
      '$.xdm.mediaCollection.sessionDetails.color: Unknown field',
      '$.xdm.mediaCollection.sessionDetails.show: must be string',
      '$.xdm.mediaCollection.sessionDetails.length: must be integer'
    ]);
  });

  it('accepts an identityMap with the ECID and any other namespace, and refuses an identity without id', async () => {
    const identityMap = {
      ECID: [{ id: '12345678901234567890123456789012345678', authenticatedState: 'ambiguous', primary: true }],
      CRM: [{ id: 'user-1', authenticatedState: 'authenticated' }]
    };
    const url = `${base('identity')}/sessionStart?configId=ds-1`;
    const xdm = (map: object) => body('sessionStart', T0, { playhead: 0, sessionDetails: SESSION_DETAILS }, { identityMap: map });
    expect((await post(url, xdm(identityMap))).status).toBe(200);
    expect((await post(url, xdm({ ECID: [{ authenticatedState: 'nobody' }] }))).status).toBe(207);
    expect(last('identity').errors).toEqual([
      '$.xdm.identityMap.ECID[0].id: Missing required field',
      '$.xdm.identityMap.ECID[0].authenticatedState: must be equal to one of the allowed values: "ambiguous", "authenticated", "loggedOut"'
    ]);
  });
});

describe('requests refused whole', () => {
  it('answers 400 problem+json to a missing configId', async () => {
    const response = await post(`${base('no-config')}/sessionStart`, startBody());
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual({
      type: 'https://ns.adobe.com/aep/errors/EXEG-0003-400',
      status: 400,
      title: 'Invalid datastream ID',
      detail: 'Invalid request: the configId query parameter (the datastream ID) is missing',
      report: { requestId: expect.any(String) }
    });
    expect(last('no-config')).toMatchObject({ api: 'edge', configId: null, status: 400, sid: null });
    expect(server.emulator.sessions('no-config')).toEqual([]);
  });

  it('answers 400 to an xdm.eventType that is not the path’s', async () => {
    const { send } = await open('mismatch');
    const response = await post(`${base('mismatch', HINT)}/play?configId=ds-1`, body('ping', T0 + 1, { sessionID: 'x', playhead: 0 }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      status: 400,
      title: 'Bad Request',
      report: { details: [{ name: '$.events[0].xdm.eventType', reason: 'must be "media.play" on the play path, not "media.ping"' }] }
    });
    // Also on sessionStart: a 400, not a 207.
    const start = await post(`${base('mismatch')}/sessionStart?configId=ds-1`, {
      events: [{ xdm: { ...startBody().events[0].xdm, eventType: 'sessionStart' } }]
    });
    expect(start.status).toBe(400);
    expect(server.emulator.records('mismatch').map((r) => [r.status, r.eventType])).toEqual([
      [200, 'sessionStart'],
      [400, 'play'],
      [400, 'sessionStart']
    ]);
    expect(server.emulator.sessions('mismatch')).toHaveLength(1);
    expect((await send('play', T0 + 1, 0)).status).toBe(204);
  });

  it('answers 400 to a body that is not exactly one event', async () => {
    const url = `${base('envelope')}/sessionStart?configId=ds-1`;
    const event = startBody().events[0];
    expect((await post(url, { events: [event, event] })).status).toBe(400);
    expect((await post(url, { events: [] })).status).toBe(400);
    expect((await post(url, { xdm: event.xdm })).status).toBe(400);
    expect((await post(url, '{"events":')).status).toBe(400);
    expect(server.emulator.records('envelope').map((r) => [r.errors[0], r.warnings])).toEqual([
      ['$.events: must hold exactly one event, not 2', []],
      ['$.events: must hold exactly one event, not 0', []],
      ['$.events: Missing required field', ['$.xdm: not a member of an Edge Network request known to the emulator; passed by']],
      [expect.stringMatching(/^the body is not valid JSON \(/), []]
    ]);
    expect(server.emulator.sessions('envelope')).toEqual([]);
  });

  it('accepts text/plain as Adobe’s Web SDK sends it, and answers 415 to another Content-Type', async () => {
    const url = `${base('text')}/sessionStart?configId=ds-1`;
    expect((await post(url, startBody(), 'text/plain;charset=UTF-8')).status).toBe(200);
    const form = await post(url, startBody(), 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect((await form.json()).detail).toBe(
      'Invalid request: Content-Type must be application/json or text/plain, not "application/x-www-form-urlencoded"'
    );
  });

  it('answers 404 to an event type the Media Edge API does not have', async () => {
    const response = await post(`${base('route')}/stateStart?configId=ds-1`, body('stateStart', T0, { playhead: 0 }));
    expect(response.status).toBe(404);
    expect((await response.json()).detail).toBe('No Media Edge API route for POST /ee/va/v1/stateStart');
    expect(last('route')).toMatchObject({ api: 'edge', status: 404, eventType: null });
  });
});

describe('events', () => {
  it('accepts a full session through the location hint: 204s and no violations', async () => {
    const { sid, send } = await open('full');
    const adStart = {
      advertisingDetails: { name: 'ad-1', friendlyName: 'Ad 1', length: 15, podPosition: 1, playerName: 'video.js', advertiser: 'Adobe' }
    };
    const statuses = await sendAll(send, [
      ['adBreakStart', T0 + 1, 0, { advertisingPodDetails: { index: 0, offset: 0, friendlyName: 'pre-roll' } }],
      ['adStart', T0 + 2, 0, adStart],
      ['ping', T0 + 10002, 0],
      ['adComplete', T0 + 15002, 0],
      ['adBreakComplete', T0 + 15003, 0],
      ['chapterStart', T0 + 15004, 0, { chapterDetails: { index: 1, offset: 0, length: 60, friendlyName: 'One' } }],
      ['play', T0 + 15005, 0, { qoeDataDetails: { timeToStart: 900 } }],
      ['bitrateChange', T0 + 20000, 5, { qoeDataDetails: { bitrate: 2500, framesPerSecond: 30 } }],
      ['pauseStart', T0 + 25000, 10],
      ['ping', T0 + 35000, 10],
      ['play', T0 + 40000, 10],
      ['bufferStart', T0 + 45000, 15],
      ['play', T0 + 46000, 15],
      ['error', T0 + 50000, 19, { errorDetails: { name: 'MEDIA_ERR_NETWORK', source: 'player' } }],
      ['ping', T0 + 60000, 29],
      ['ping', T0 + 70000, 39],
      ['ping', T0 + 80000, 49],
      ['chapterComplete', T0 + 90000, 59],
      ['sessionComplete', T0 + 90001, 60],
      ['sessionEnd', T0 + 200000, 60]
    ]);
    expect(statuses.every((status) => status === 204)).toBe(true);
    expect(violations('full')).toEqual([]);
    expect(server.emulator.sessions('full')).toEqual([{ sid, state: 'closed', closedBecause: 'sessionEnd', events: 20, resume: false }]);
    expect(server.emulator.records('full')[2]).toMatchObject({
      api: 'edge',
      path: `/p/full/ee/${HINT}/va/v1/adStart`,
      sid,
      eventType: 'adStart',
      playhead: 0,
      ts: T0 + 2,
      status: 204
    });
    // The report reads the Edge session as it reads a Media Collection one, QoE and errors included.
    const metrics = Object.fromEntries(server.emulator.report('full').sessions[0].metrics.map((m) => [m.name, m.value]));
    expect(metrics).toMatchObject({
      'Content starts': 1,
      'Content completes': 1,
      'Ad starts': 1,
      'Ad completes': 1,
      'Chapter starts': 1,
      'Pause events': 1,
      'Buffer events': 1,
      'Error events': 1,
      'Time to start': 0.9
    });
  });

  it('answers 400 to a bad timestamp and a non-integer playhead, naming the fields from the body', async () => {
    const { send } = await open('fields');
    const cases: Array<[number | string, number, string]> = [
      ['2026-01-01 00:00:01', 0, '$.events[0].xdm.timestamp: must match format "date-time"'],
      ['2026-02-30T00:00:00Z', 0, '$.events[0].xdm.timestamp: must match format "date-time"'],
      ['2026-01-01T01:00:01+01:00', 0, '$.events[0].xdm.timestamp: must match format "date-time"'],
      [T0 + 1, 0.5, '$.events[0].xdm.mediaCollection.playhead: must be integer'],
      [T0 + 1, -1, '$.events[0].xdm.mediaCollection.playhead: must be >= 0']
    ];
    for (const [ts, playhead, error] of cases) {
      const response = await send('play', ts, playhead);
      expect(response.status).toBe(400);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8');
      const json = await response.json();
      expect(json.report.details).toEqual([{ name: error.split(': ')[0], reason: error.split(': ')[1] }]);
      expect(last('fields').errors).toEqual([error]);
    }
    // Adobe's examples write UTC as +00:00, and that is accepted.
    expect((await send('play', '2026-01-01T00:00:01+00:00', 0)).status).toBe(204);
    expect(server.emulator.sessions('fields')[0].events).toBe(1);
  });

  it('answers 400 to a missing sessionID and to fields an event type does not take', async () => {
    const { sid } = await open('missing');
    const url = `${base('missing', HINT)}/ping?configId=ds-1`;
    expect((await post(url, body('ping', T0 + 1, { playhead: 0 }))).status).toBe(400);
    expect((await post(url, body('ping', T0 + 1, { sessionID: sid, playhead: 0, chapterDetails: { index: 1 } }))).status).toBe(400);
    const adStart = body('adStart', T0 + 1, { sessionID: sid, playhead: 0, advertisingDetails: { name: 'a', length: 15 } });
    expect((await post(`${base('missing', HINT)}/adStart?configId=ds-1`, adStart)).status).toBe(400);
    expect(server.emulator.records('missing').map((r) => r.errors)).toEqual([
      [],
      ['$.events[0].xdm.mediaCollection.sessionID: Missing required field'],
      ['$.events[0].xdm.mediaCollection.chapterDetails: Unknown field'],
      [
        '$.events[0].xdm.mediaCollection.advertisingDetails.playerName: Missing required field',
        '$.events[0].xdm.mediaCollection.advertisingDetails.podPosition: Missing required field'
      ]
    ]);
  });

  it('answers 404 to an unknown session and 410 to a closed one', async () => {
    const unknown = await post(`${base('gone')}/ping?configId=ds-1`, body('ping', T0, { sessionID: 'abc123', playhead: 0 }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 404, title: 'Not Found', detail: 'Unknown session id abc123' });
    const { sid, send } = await open('gone');
    expect(
      await sendAll(send, [
        ['play', T0 + 1, 0],
        ['sessionEnd', T0 + 2, 0],
        ['ping', T0 + 10002, 10]
      ])
    ).toEqual([204, 204, 410]);
    expect(await (await send('ping', T0 + 10003, 10)).json()).toMatchObject({
      type: 'https://ns.adobe.com/aep/errors/va-edge-0410-410',
      status: 410,
      title: 'Gone',
      detail: `Session ${sid} is closed: it was ended by sessionEnd`
    });
    expect(last('gone')).toMatchObject({ sid, status: 410, violations: ['ping after sessionEnd'] });
  });

  it('keeps the sessions of the two APIs apart', async () => {
    const { sid } = await open('apart');
    const mc = await post(`${server.url}/p/apart/api/v1/sessions/${sid}/events`, {
      eventType: 'play',
      playerTime: { playhead: 0, ts: T0 + 1 }
    });
    expect(mc.status).toBe(404);
    expect(server.emulator.records('apart').map((r) => [r.api, r.status])).toEqual([
      ['edge', 200],
      ['media-collection', 404]
    ]);
  });
});

describe('sequence rules on the Edge', () => {
  it('reports an event that does not come through the location hint', async () => {
    const { send } = await open('hint');
    await send('play', T0 + 1, 0, {}, '');
    await send('ping', T0 + 10001, 10, {}, 'or2');
    await send('ping', T0 + 20001, 20);
    expect(server.emulator.records('hint').map((r) => [r.path, r.status, r.violations])).toEqual([
      ['/p/hint/ee/va/v1/sessionStart', 200, []],
      ['/p/hint/ee/va/v1/play', 204, [`play not sent to the location hint "${HINT}" (came through /ee/va/v1)`]],
      ['/p/hint/ee/or2/va/v1/ping', 204, [`ping not sent to the location hint "${HINT}" (came through /ee/or2/va/v1)`]],
      [`/p/hint/ee/${HINT}/va/v1/ping`, 204, []]
    ]);
  });

  it('judges a late event in ts order, and reports a duplicate and a playhead that moves while paused', async () => {
    const { send } = await open('ts');
    await sendAll(send, [
      ['play', T0 + 10, 0],
      ['ping', T0 + 5, 0],
      ['pauseStart', T0 + 5000, 5],
      ['ping', T0 + 15000, 7],
      ['ping', T0 + 15000, 7]
    ]);
    expect(server.emulator.records('ts').map((r) => [r.eventType, r.ts, r.violations, r.warnings.length])).toEqual([
      ['sessionStart', T0, [], 0],
      ['play', T0 + 10, [], 0],
      ['ping', T0 + 5, [], 1],
      ['pauseStart', T0 + 5000, [], 0],
      ['ping', T0 + 15000, ['playhead moved while paused (5 → 7)'], 0],
      ['ping', T0 + 15000, [`duplicate: a ping with ts ${T0 + 15000} was already accepted`, 'playhead moved while paused (5 → 7)'], 0]
    ]);
  });

  it('applies the ad and live rules with the XDM details in their Media Collection names', async () => {
    const noon = T0 + 43200 * 1000;
    const { send } = await open('live', { contentType: 'live', length: 86400 }, noon, 43200);
    await sendAll(send, [
      ['play', noon + 1000, 43201],
      ['adStart', noon + 2000, 43202, { advertisingDetails: { name: 'a', length: 15, podPosition: 1, playerName: 'p' } }],
      ['adBreakStart', noon + 3000, 43203, { advertisingPodDetails: { index: 1, offset: 43000 } }],
      ['play', noon + 4000, 43203],
      ['ping', noon + 5000, 43205]
    ]);
    expect(violations('live')).toEqual([
      'adStart outside an ad break',
      "live media.ad.podSecond 43000 is not the break's playhead 43203",
      'play between adBreakStart and the first adStart',
      'live playhead 43205 moved while the content stands at 43203'
    ]);
  });

  it('tracks states through statesUpdate', async () => {
    const { send } = await open('states');
    const names = (list: string[]) => list.map((name) => ({ name }));
    const statuses = await sendAll(send, [
      ['play', T0 + 1, 0],
      ['statesUpdate', T0 + 2, 0, { statesStart: names(['fullscreen', 'mute']) }],
      ['statesUpdate', T0 + 3, 0, { statesStart: names(['pictureInPicture']), statesEnd: names(['fullscreen']) }],
      ['statesUpdate', T0 + 4, 0, { statesEnd: names(['fullscreen', 'closedCaptioning']) }],
      ['statesUpdate', T0 + 5, 0, { statesStart: names(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) }]
    ]);
    expect(statuses).toEqual([204, 204, 204, 204, 204]);
    expect(server.emulator.records('states').at(2)).toMatchObject({ eventType: 'statesUpdate', violations: [] });
    expect(violations('states')).toEqual([
      'ending "fullscreen", "closedCaptioning", not started',
      'more than 10 distinct states in this session: "s8"'
    ]);
    // A state name outside the yaml's pattern is a 400.
    expect((await send('statesUpdate', T0 + 6, 0, { statesStart: names(['has space']) })).status).toBe(400);
  });
});

describe("Adobe's Edge as its Web SDK meets it", () => {
  const interact = (scope: string, hint = '') => `${server.url}/p/${scope}/ee${hint ? `/${hint}` : ''}/v1/interact?configId=ds-1`;
  const PAGE = 'http://page.example:8080';

  it("echoes the page's origin with credentials allowed and Vary: Origin; the Media Collection API keeps *", async () => {
    const response = await post(`${base('cors')}/sessionStart?configId=ds-1`, startBody(), 'text/plain;charset=UTF-8', { Origin: PAGE });
    expect(response.status).toBe(200);
    const cors = (r: Response) =>
      ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Vary'].map((name) => r.headers.get(name));
    expect(cors(response)).toEqual([PAGE, 'true', 'Origin']);
    // Errors too, and the preflight of a client that sends JSON.
    expect(cors(await post(`${base('cors')}/nope?configId=ds-1`, {}, 'text/plain', { Origin: PAGE }))).toEqual([PAGE, 'true', 'Origin']);
    const preflight = await fetch(interact('cors'), {
      method: 'OPTIONS',
      headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' }
    });
    expect([preflight.status, ...cors(preflight), preflight.headers.get('Access-Control-Allow-Headers')]).toEqual([
      204,
      PAGE,
      'true',
      'Origin',
      'Content-Type'
    ]);
    const mc = await fetch(`${server.url}/p/cors/api/v1/sessions`, { method: 'OPTIONS', headers: { Origin: PAGE } });
    expect(cors(mc)).toEqual(['*', null, null]);
    expect(server.emulator.receive({ path: '/ee/va/v1/sessionStart?configId=x', body: startBody(), origin: PAGE }).headers).toEqual({
      'Access-Control-Allow-Origin': PAGE,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'OPTIONS,POST',
      'Access-Control-Allow-Headers': 'Content-Type',
      Vary: 'Origin',
      'Content-Type': 'application/json; charset=utf-8'
    });
  });

  it('opens a session from a media.sessionStart on /v1/interact, with the identity, the location hint and the cookies', async () => {
    const payload = {
      ...startBody(),
      meta: { state: { domain: 'page.example', cookiesEnabled: true } },
      query: { identity: { fetch: ['ECID'] } }
    };
    const response = await post(interact('interact'), payload, 'text/plain;charset=UTF-8');
    expect(response.status).toBe(200);
    const json = await response.json();
    const sid = json.handle[0].payload[0].sessionId;
    const ecid = json.handle[1].payload[0].id;
    expect(json).toEqual({
      requestId: expect.any(String),
      handle: [
        { type: 'media-analytics:new-session', payload: [{ sessionId: expect.stringMatching(/^[0-9a-f]{64}$/) }], eventIndex: 0 },
        { type: 'identity:result', payload: [{ id: expect.stringMatching(/^\d{38}$/), namespace: { code: 'ECID' } }] },
        { type: 'locationHint:result', payload: [{ scope: 'EdgeNetwork', hint: HINT, ttlSeconds: 1800 }] },
        {
          type: 'state:store',
          payload: [
            { key: 'kndctr_EMULATOR_AdobeOrg_cluster', value: HINT, maxAge: 1800 },
            { key: 'kndctr_EMULATOR_AdobeOrg_identity', value: expect.any(String), maxAge: 34128000 }
          ]
        }
      ]
    });
    expect(ecidOf(json.handle[3].payload[1].value)).toBe(ecid);
    expect(last('interact')).toMatchObject({
      path: '/p/interact/ee/v1/interact',
      eventType: 'sessionStart',
      sid,
      status: 200,
      warnings: []
    });
    // The session's events go to the Media Edge API through the hint, as those of /va/v1/sessionStart.
    const play = await post(`${base('interact', HINT)}/play?configId=ds-1`, body('play', T0 + 1, { sessionID: sid, playhead: 0 }));
    expect(play.status).toBe(204);
    expect(server.emulator.sessions('interact')).toEqual([{ sid, state: 'open', events: 1, resume: false }]);
    // A later interact through the hint, with the identity cookie the Web SDK stored, keeps the ECID.
    const entries = json.handle[3].payload.map(({ key, value }: { key: string; value: string }) => ({ key, value }));
    const again = await post(interact('interact', HINT), { ...startBody(), meta: { state: { entries } } });
    expect((await again.json()).handle[1].payload[0].id).toBe(ecid);
    // Without a cookie, the identityMap's ECID.
    const given = '12345678901234567890123456789012345678';
    const mapped = await post(
      interact('interact'),
      body('sessionStart', T0, startBody().events[0].xdm.mediaCollection, { identityMap: { ECID: [{ id: given }] } })
    );
    expect((await mapped.json()).handle[1].payload[0].id).toBe(given);
  });

  it('passes by an experience event that is not a media one, and refuses other media events on interact', async () => {
    const pageView = {
      events: [{ xdm: { eventType: 'web.webpagedetails.pageViews', timestamp: iso(T0), web: { webPageDetails: { URL: 'x' } } } }]
    };
    const viewed = await post(interact('other'), pageView);
    expect(viewed.status).toBe(200);
    expect((await viewed.json()).handle.map((h: Handle) => h.type)).toEqual(['identity:result', 'locationHint:result', 'state:store']);
    expect(last('other')).toMatchObject({
      eventType: 'web.webpagedetails.pageViews',
      sid: null,
      warnings: ['web.webpagedetails.pageViews is not a media event: passed by unchecked']
    });
    const play = await post(interact('other'), body('play', T0, { sessionID: 'x', playhead: 0 }));
    expect(play.status).toBe(400);
    expect(last('other').errors).toEqual([
      '$.events[0].xdm.eventType: the emulator takes only media.sessionStart through /v1/interact; send media.play to /va/v1/play'
    ]);
    expect(server.emulator.sessions('other')).toEqual([]);
  });

  it("accepts the envelope's meta and query and the experience event's context, checks what Adobe's file describes, and warns of the rest", async () => {
    const context = {
      web: { webPageDetails: { URL: 'http://page.example/' }, webReferrer: { URL: '' } },
      device: { screenHeight: 720, screenWidth: 1280, screenOrientation: 'landscape' },
      environment: { type: 'browser', browserDetails: { viewportWidth: 1280, viewportHeight: 720 } },
      placeContext: { localTimezoneOffset: 0, localTime: '2026-01-01T00:00:00.000+00:00', ianaTimezone: 'UTC' },
      implementationDetails: { name: 'https://ns.adobe.com/experience/alloy', version: '2.33.1', environment: 'browser' },
      _acme: { anything: true }
    };
    const payload = {
      ...body('sessionStart', T0, { playhead: 0, sessionDetails: SESSION_DETAILS }, { ...context, colour: 'red' }),
      meta: { state: { domain: 'page.example' } },
      query: { identity: { fetch: ['ECID'] } },
      extra: 1
    };
    expect((await post(`${base('context')}/sessionStart?configId=ds-1`, payload)).status).toBe(200);
    expect(last('context').warnings).toEqual([
      '$.extra: not a member of an Edge Network request known to the emulator; passed by',
      "$.xdm.colour: not a field of Adobe's OpenAPI file nor of XDM's ExperienceEvent known to the emulator; passed by"
    ]);
    const wrong = body(
      'sessionStart',
      T0,
      { playhead: 0, sessionDetails: SESSION_DETAILS },
      {
        implementationDetails: { ...context.implementationDetails, environment: 'web' }
      }
    );
    expect((await post(`${base('context')}/sessionStart?configId=ds-1`, wrong)).status).toBe(207);
    expect(last('context').errors).toEqual([
      '$.xdm.implementationDetails.environment: must be equal to one of the allowed values: "browser", "app", "device", "server", "iot"'
    ]);
  });

  it('judges a null detail object as absent: a warning where the event may go without it, missing where it must not', async () => {
    const start = await post(
      `${base('null')}/sessionStart?configId=ds-1`,
      body('sessionStart', T0, { playhead: 0, sessionDetails: SESSION_DETAILS, qoeDataDetails: null })
    );
    expect(start.status).toBe(200);
    expect(last('null').warnings).toEqual([
      '$.xdm.mediaCollection.qoeDataDetails is null: judged absent, as the sessionStart event may go without it'
    ]);
    const sid = server.emulator.sessions('null')[0].sid;
    const send = (eventType: string, ts: number, extra: object) =>
      post(`${base('null', HINT)}/${eventType}?configId=ds-1`, body(eventType, ts, { sessionID: sid, playhead: 0, ...extra }));
    expect((await send('play', T0 + 1, { qoeDataDetails: null })).status).toBe(204);
    expect((await send('bitrateChange', T0 + 2, { qoeDataDetails: null })).status).toBe(400);
    expect(last('null').errors).toEqual(['$.events[0].xdm.mediaCollection.qoeDataDetails: Missing required field']);
    const noDetails = await post(
      `${base('null')}/sessionStart?configId=ds-1`,
      body('sessionStart', T0, { playhead: 0, sessionDetails: null })
    );
    expect(noDetails.status).toBe(207);
    expect(last('null').errors).toEqual(['$.xdm.mediaCollection.sessionDetails: Missing required field']);
  });

  it('finds the session of an event on an unscoped path by its id, and keeps scopes apart on scoped paths', async () => {
    const { sid } = await open('edge-owner');
    const unscoped = await post(`${server.url}/ee/${HINT}/va/v1/play?configId=ds-1`, body('play', T0 + 1, { sessionID: sid, playhead: 0 }));
    expect(unscoped.status).toBe(204);
    expect(last('edge-owner')).toMatchObject({ n: 2, path: `/ee/${HINT}/va/v1/play`, sid, status: 204 });
    const elsewhere = await post(`${base('edge-other', HINT)}/ping?configId=ds-1`, body('ping', T0 + 2, { sessionID: sid, playhead: 0 }));
    expect(elsewhere.status).toBe(404);
    expect(server.emulator.records('edge-other').map((r) => [r.sid, r.status])).toEqual([[sid, 404]]);
  });

  it("reads the ECID from the identity cookie of Adobe's own example answer", () => {
    // The OpenAPI file's sessionStart 200: org EA0C49475E8AE1870A494023@AdobeOrg, and its identity cookie.
    const emulator = createEmulator({ orgId: 'EA0C49475E8AE1870A494023@AdobeOrg' });
    const entries = [
      {
        key: 'kndctr_EA0C49475E8AE1870A494023_AdobeOrg_identity',
        value: 'CiY0Mzg5NTEyNzMzNTUxMDc5MzgzMzU2MjU5NDY5MTY3Mzc3MTc2OFIOCJ-YppX6MBgBKgNWQTbwAZ-YppX6MA=='
      }
    ];
    const started = emulator.receive({ path: '/ee/v1/interact?configId=x', body: { ...startBody(), meta: { state: { entries } } } });
    expect((started.body as { handle: Handle[] }).handle[1]).toEqual({
      type: 'identity:result',
      payload: [{ id: '43895127335510793833562594691673771768', namespace: { code: 'ECID' } }]
    });
  });

  it("names its cookies after the datastream's org, which must be an IMS org id", () => {
    const emulator = createEmulator({ orgId: 'ABC123@AdobeOrg' });
    const started = emulator.receive({ path: '/ee/va/v1/sessionStart?configId=x', body: startBody() }).body as { handle: Handle[] };
    expect(started.handle[2].payload.map((cookie) => cookie.key)).toEqual([
      'kndctr_ABC123_AdobeOrg_cluster',
      'kndctr_ABC123_AdobeOrg_identity'
    ]);
    expect(() => createEmulator({ orgId: 'no org' })).toThrow('orgId must match');
  });
});

describe('faults and receive()', () => {
  it('applies errorRate, goneAfter and slowStart to the Edge', async () => {
    server.emulator.setFaults('edge-faults', { goneAfter: 1, slowStart: 50 });
    const t = performance.now();
    const { send } = await open('edge-faults');
    expect(performance.now() - t).toBeGreaterThanOrEqual(50);
    expect(
      await sendAll(send, [
        ['play', T0 + 1, 0],
        ['ping', T0 + 2, 0]
      ])
    ).toEqual([204, 410]);
    expect(last('edge-faults').message).toMatch(/the goneAfter fault closed it$/);
    server.emulator.setFaults('edge-faults', { errorRate: 1, slowStart: 0 });
    const failed = await post(`${base('edge-faults')}/sessionStart?configId=ds-1`, startBody());
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ status: 503, detail: 'Emulated failure (errorRate 1)' });
    expect(server.emulator.sessions('edge-faults')).toHaveLength(1);
  });

  it('takes Edge requests in-process, with the scope as an option or a prefix, and a hint of its own', () => {
    const emulator = createEmulator({ edgeHint: 'va6' });
    const started = emulator.receive({ path: '/ee/va/v1/sessionStart?configId=x', body: startBody() });
    expect(started).toMatchObject({ status: 200, body: { handle: [{}, { payload: [{ hint: 'va6' }] }, { type: 'state:store' }] } });
    const sid = (started.body as { handle: Handle[] }).handle[0].payload[0].sessionId as string;
    const play = emulator.receive({
      path: '/ee/va6/va/v1/play?configId=x',
      body: JSON.stringify(body('play', T0 + 1, { sessionID: sid, playhead: 0 })),
      contentType: 'text/plain'
    });
    expect(play).toMatchObject({ status: 204, body: null });
    expect(emulator.records().map((r) => [r.api, r.eventType, r.status, r.violations])).toEqual([
      ['edge', 'sessionStart', 200, []],
      ['edge', 'play', 204, []]
    ]);
    expect(emulator.receive({ scope: 'other', path: '/ee/va/v1/sessionStart?configId=x', body: startBody() }).status).toBe(200);
    expect(emulator.records('other')[0].path).toBe('/p/other/ee/va/v1/sessionStart');
    expect(() => createEmulator({ edgeHint: 'no/slash' })).toThrow(TypeError);
  });
});
