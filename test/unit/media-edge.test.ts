// The Media Edge transport alone: events to XDM requests, answers to outcomes. The emulator's
// schemas (demo/emulator/edge-schemas.mjs, through validateEdge) judge every body.
import { describe, expect, it } from 'vitest';
import { edgeSchemas } from '../../demo/emulator/edge-schemas.mjs';
import { createEmulator } from '../../demo/emulator/emulator.mjs';
import { validateEdge } from '../../demo/emulator/validate.mjs';
import type { EventType, TrackedEvent } from '../../src/events';
import { mediaEdge, xdmField, xdmOf } from '../../src/transport/media-edge';
import { AD as FULL_AD } from './fixtures';
import { PARAMS, T0 } from './helpers';

const EDGE = 'https://edge.example.com/ee';
const ISO = '2026-01-01T00:00:00.000Z';
const at = (type: EventType, more: Partial<TrackedEvent> = {}): TrackedEvent => ({ type, ts: T0, playhead: 12.5, ...more });
const pathOf = (type: EventType) => (type.startsWith('state') ? 'statesUpdate' : type);
/** The one event of a request body. */
const sent = (body: string) => JSON.parse(body).events[0];
const answer = (status: number, body?: unknown, headers?: Record<string, string>) =>
  new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), { status, headers });

/** Every `media.*` param the options module knows. */
const MEDIA_PARAMS = (
  'id name contentType playerName channel sdkVersion libraryVersion publisher show season episode assetId genre firstAirDate ' +
  'firstDigitalDate rating originator network showType adLoad pass.mvpd pass.auth dayPart feed streamFormat artist album label ' +
  'author station length streamType resume'
)
  .split(' ')
  .map((name) => `media.${name}`);
const SESSION_FIELDS = Object.keys(edgeSchemas.sessionStart.properties.xdm.properties.mediaCollection.properties.sessionDetails.properties);

/** Adobe's 200 to a sessionStart (the OpenAPI file's example): a hint per scope, the Edge's third. */
const started = (sessionId: string, hint = 'va6') => ({
  requestId: 'dd850e05-8c3e-4ae4-9ea8-506490978004',
  handle: [
    { payload: [{ sessionId }], type: 'media-analytics:new-session', eventIndex: 0 },
    {
      payload: [
        { scope: 'Target', hint: '34', ttlSeconds: 1800 },
        { scope: 'AAM', hint: '7', ttlSeconds: 1800 },
        { scope: 'EdgeNetwork', hint, ttlSeconds: 1800 }
      ],
      type: 'locationHint:result'
    },
    { payload: [{ key: 'kndctr_X_AdobeOrg_cluster', value: hint, maxAge: 1800 }], type: 'state:store' }
  ]
});
const PROBLEM = { 'Content-Type': 'application/problem+json; charset=utf-8' };

describe('xdmField', () => {
  it.each([
    ['media.show', 'show'],
    ['media.length', 'length'],
    ['media.assetId', 'assetID'],
    ['media.id', 'name'],
    ['media.name', 'friendlyName'],
    ['media.resume', 'hasResume'],
    ['media.libraryVersion', 'appVersion'],
    ['media.sdkVersion', 'appVersion'],
    ['media.pass.mvpd', 'mvpd'],
    ['media.pass.auth', 'authorized'],
    ['media.ad.id', undefined],
    ['media.state.name', undefined],
    ['media.toString', 'toString'],
    ['analytics.reportSuite', undefined],
    ['visitor.marketingCloudUserId', undefined],
    ['appInstallationId', undefined],
    ['show', undefined]
  ])('%s → %s', (param, field) => {
    expect(xdmField(param)).toBe(field);
  });

  it("maps every media param of the options module to a field of the emulator's sessionDetails, and reaches every field but isDownloaded", () => {
    const fields = MEDIA_PARAMS.map((param) => [param, xdmField(param)]);
    expect(fields.filter(([, field]) => !SESSION_FIELDS.includes(field!))).toEqual([]);
    expect(new Set(fields.map(([, field]) => field))).toEqual(new Set(SESSION_FIELDS.filter((field) => field !== 'isDownloaded')));
  });
});

describe('xdmOf', () => {
  const AD = { ...FULL_AD, length: 15.4, playerName: 'video.js' };

  // Each event, the mediaCollection besides playhead and sessionID, and the xdm besides those.
  it.each<[string, TrackedEvent, Record<string, unknown>, Record<string, unknown>?]>([
    [
      'sessionStart: the media params as sessionDetails, custom metadata as a list, the ECID',
      at('sessionStart', {
        media: {
          params: {
            ...PARAMS,
            'media.id': 'ep1',
            'media.name': 'Episode 1',
            'media.length': 59.6,
            'media.contentType': 'vod',
            'media.streamType': 'video',
            'media.playerName': 'video.js',
            'media.libraryVersion': 'videojs-media-collection-0.1.0',
            'media.resume': false,
            'media.show': 'Show',
            'media.assetId': 'asset-1',
            'media.pass.mvpd': 'Cable',
            'media.pass.auth': 'true',
            'analytics.enableSSL': true,
            'visitor.aamLocationHint': 9,
            appInstallationId: 'app-1'
          },
          customMetadata: { 'acme.tier': 'gold', genre: 'drama' }
        }
      }),
      {
        sessionDetails: {
          name: 'ep1',
          friendlyName: 'Episode 1',
          length: 60,
          contentType: 'vod',
          streamType: 'video',
          playerName: 'video.js',
          channel: 'web',
          appVersion: 'videojs-media-collection-0.1.0',
          hasResume: false,
          show: 'Show',
          assetID: 'asset-1',
          mvpd: 'Cable',
          authorized: 'true'
        },
        customMetadata: [
          { name: 'acme.tier', value: 'gold' },
          { name: 'genre', value: 'drama' }
        ]
      },
      { identityMap: { ECID: [{ id: 'ecid-1', authenticatedState: 'ambiguous' }] } }
    ],
    ['play', at('play'), {}],
    [
      'ping: its QoE, in integers',
      at('ping', { qoe: { bitrate: 2499.6, droppedFrames: 2, framesPerSecond: 29.97, timeToStart: 900.4 } }),
      { qoeDataDetails: { bitrate: 2500, droppedFrames: 2, framesPerSecond: 30, timeToStart: 900 } }
    ],
    ['pauseStart', at('pauseStart'), {}],
    ['bufferStart', at('bufferStart'), {}],
    ['bitrateChange: the new bitrate', at('bitrateChange', { qoe: { bitrate: 700 } }), { qoeDataDetails: { bitrate: 700 } }],
    [
      'error: its id and source, and the QoE',
      at('error', { error: { id: 'MEDIA_ERR_DECODE', source: 'player' }, qoe: { bitrate: 700 } }),
      { errorDetails: { name: 'MEDIA_ERR_DECODE', source: 'player' }, qoeDataDetails: { bitrate: 700 } }
    ],
    ['sessionComplete', at('sessionComplete'), {}],
    ['sessionEnd', at('sessionEnd'), {}],
    [
      'adBreakStart: index, offset and name',
      at('adBreakStart', { adBreak: { index: 2, offset: 12.5, name: 'midroll' } }),
      { advertisingPodDetails: { index: 2, offset: 13, friendlyName: 'midroll' } }
    ],
    [
      'adStart: every ad field, and its custom metadata',
      at('adStart', { ad: AD }),
      {
        advertisingDetails: {
          name: 'a1',
          length: 15,
          podPosition: 1,
          playerName: 'video.js',
          friendlyName: 'Sale',
          advertiser: 'Acme',
          campaignID: 'c',
          creativeID: 'cr',
          creativeURL: 'https://ads.example.com/a.mp4',
          placementID: 'pl',
          siteID: 's'
        },
        customMetadata: [{ name: 'acme.slot', value: 'A' }]
      }
    ],
    [
      'adStart: the required fields alone',
      at('adStart', { ad: { id: 'a2', length: 30, position: 2, playerName: 'p' } }),
      { advertisingDetails: { name: 'a2', length: 30, podPosition: 2, playerName: 'p' } }
    ],
    ['adComplete', at('adComplete'), {}],
    ['adSkip', at('adSkip'), {}],
    ['adBreakComplete', at('adBreakComplete'), {}],
    [
      'chapterStart: index, offset, length and name',
      at('chapterStart', { chapter: { index: 2, offset: 20.2, length: 24.5, name: 'Interview' } }),
      { chapterDetails: { index: 2, offset: 20, length: 25, friendlyName: 'Interview' } }
    ],
    ['chapterComplete', at('chapterComplete'), {}],
    ['chapterSkip', at('chapterSkip'), {}],
    ['stateStart: a statesUpdate with statesStart', at('stateStart', { state: 'fullscreen' }), { statesStart: [{ name: 'fullscreen' }] }],
    ['stateEnd: a statesUpdate with statesEnd', at('stateEnd', { state: 'mute' }), { statesEnd: [{ name: 'mute' }] }]
  ])('%s', (_, event, mediaCollection, more = {}) => {
    const start = event.type === 'sessionStart';
    const sid = start ? null : 's1';
    const request = mediaEdge(EDGE, 'ds-1').request(event, sid);
    const xdm = {
      eventType: `media.${pathOf(event.type)}`,
      timestamp: ISO,
      mediaCollection: { playhead: 13, ...(start ? {} : { sessionID: 's1' }), ...mediaCollection },
      ...more
    };
    expect(JSON.parse(request.body)).toStrictEqual({ events: [{ xdm }] });
    expect(xdmOf(event, sid)).toEqual(xdm);
    expect(validateEdge(sent(request.body), pathOf(event.type))).toEqual([]);
  });

  it('leaves out empty custom metadata and the identityMap without an ECID', () => {
    const params = { 'media.id': 'ep1', 'media.length': 60, 'media.contentType': 'vod', 'media.playerName': 'p', 'media.channel': 'web' };
    const xdm = xdmOf(at('sessionStart', { media: { params, customMetadata: {} } }), null);
    expect(JSON.parse(JSON.stringify(xdm))).toStrictEqual({
      eventType: 'media.sessionStart',
      timestamp: ISO,
      mediaCollection: { playhead: 13, sessionDetails: { name: 'ep1', length: 60, contentType: 'vod', playerName: 'p', channel: 'web' } }
    });
  });

  it('sends whole seconds: fractions rounded to the nearest, the timestamp in ISO 8601 UTC', () => {
    const xdm = xdmOf({ type: 'play', ts: T0 + 1234, playhead: 7.49 }, 's1');
    expect(xdm).toEqual({
      eventType: 'media.play',
      timestamp: '2026-01-01T00:00:01.234Z',
      mediaCollection: { playhead: 7, sessionID: 's1' }
    });
    expect(validateEdge({ xdm }, 'play')).toEqual([]);
  });
});

describe('mediaEdge', () => {
  it('posts text/plain to the path of the event type, with the datastream id on every call', () => {
    const transport = mediaEdge(EDGE, 'ds 1/2');
    expect(transport.request(at('sessionStart'), null)).toMatchObject({
      url: `${EDGE}/va/v1/sessionStart?configId=ds%201%2F2`,
      type: 'text/plain'
    });
    expect(transport.request(at('play'), 's1')).toMatchObject({ url: `${EDGE}/va/v1/play?configId=ds%201%2F2`, type: 'text/plain' });
    expect(transport.request(at('stateEnd', { state: 'mute' }), 's1').url).toBe(`${EDGE}/va/v1/statesUpdate?configId=ds%201%2F2`);
  });

  it("sends the session's later events through the location hint of its sessionStart's answer, and no other session's", async () => {
    const transport = mediaEdge(EDGE, 'ds-1');
    expect(await transport.outcome(at('sessionStart'), answer(200, started('abc', 'va6')))).toEqual({ kind: 'started', sid: 'abc' });
    expect(transport.request(at('play'), 'abc').url).toBe(`${EDGE}/va6/va/v1/play?configId=ds-1`);
    expect(transport.request(at('stateStart', { state: 'mute' }), 'abc').url).toBe(`${EDGE}/va6/va/v1/statesUpdate?configId=ds-1`);
    expect(transport.request(at('play'), 'other').url).toBe(`${EDGE}/va/v1/play?configId=ds-1`);
    expect(transport.request(at('sessionStart'), null).url).toBe(`${EDGE}/va/v1/sessionStart?configId=ds-1`);
    // A session whose answer had no hint keeps the base path.
    const noHint = { handle: [{ type: 'media-analytics:new-session', payload: [{ sessionId: 'def' }] }] };
    expect(await transport.outcome(at('sessionStart'), answer(200, noHint))).toEqual({ kind: 'started', sid: 'def' });
    expect(transport.request(at('play'), 'def').url).toBe(`${EDGE}/va/v1/play?configId=ds-1`);
  });

  const error207 = {
    requestId: 'e3d87437',
    handle: [started('x').handle[1]],
    errors: [
      {
        type: 'https://ns.adobe.com/aep/errors/va-edge-0400-400',
        status: 400,
        title: 'Invalid request',
        report: { eventIndex: 0, details: [{ name: '$.xdm.mediaCollection.sessionDetails.name', reason: 'Missing required field' }] }
      }
    ]
  };
  const problem400 = {
    type: 'https://ns.adobe.com/aep/errors/EXEG-0003-400',
    status: 400,
    title: 'Invalid datastream ID',
    detail: "The datastream ID 'ds-x' referenced in your request does not exist.",
    report: { requestId: '75af7733' }
  };
  const noSession = { kind: 'rejected', reason: 'no media session in the answer: is Media Analytics on?' };

  it.each<[string, EventType, () => Response, unknown]>([
    ['a 200 with the session handle: started', 'sessionStart', () => answer(200, started('abc')), { kind: 'started', sid: 'abc' }],
    ['a 200 without a session handle: rejected', 'sessionStart', () => answer(200, { requestId: 'r', handle: [] }), noSession],
    [
      'a 200 with an empty payload: rejected',
      'sessionStart',
      () => answer(200, { handle: [{ type: 'media-analytics:new-session' }] }),
      noSession
    ],
    ['a 200 whose body is not JSON: rejected, not thrown', 'sessionStart', () => answer(200, '<html>oops</html>'), noSession],
    ['a 200 with no body: rejected', 'sessionStart', () => answer(200), noSession],
    ['a 200 of JSON null: rejected', 'sessionStart', () => answer(200, 'null'), noSession],
    [
      "a 207: rejected with Adobe's error paths",
      'sessionStart',
      () => answer(207, error207),
      { kind: 'rejected', reason: 'HTTP 207, invalid sessionStart: $.xdm.mediaCollection.sessionDetails.name: Missing required field' }
    ],
    [
      'a 207 without errors: rejected',
      'sessionStart',
      () => answer(207, {}),
      { kind: 'rejected', reason: 'HTTP 207, invalid sessionStart' }
    ],
    [
      "a 400: rejected with the problem's detail",
      'sessionStart',
      () => answer(400, problem400, PROBLEM),
      { kind: 'rejected', reason: `HTTP 400: ${problem400.detail}` }
    ],
    [
      "a 400 without a detail: rejected with the problem's title",
      'play',
      () => answer(400, { status: 400, title: 'Bad Request' }, PROBLEM),
      { kind: 'rejected', reason: 'HTTP 400: Bad Request' }
    ],
    ['a 400 that is not JSON: rejected', 'play', () => answer(400, 'Bad Request'), { kind: 'rejected', reason: 'HTTP 400' }],
    ['a 204: accepted', 'play', () => answer(204), { kind: 'accepted' }],
    ['a 200 to an event: accepted', 'ping', () => answer(200, {}), { kind: 'accepted' }],
    ['a 404: gone', 'play', () => answer(404, { status: 404, title: 'Not Found' }, PROBLEM), { kind: 'gone' }],
    ['a 410: gone', 'ping', () => answer(410, { status: 410, title: 'Gone' }, PROBLEM), { kind: 'gone' }],
    [
      'a 404 to sessionStart: rejected',
      'sessionStart',
      () => answer(404, { title: 'Not Found' }, PROBLEM),
      { kind: 'rejected', reason: 'HTTP 404: Not Found' }
    ],
    ['a 429 with Retry-After: retried after it', 'play', () => answer(429, '', { 'Retry-After': '7' }), { kind: 'retry', after: 7000 }],
    ['a 408: retried', 'play', () => answer(408), { kind: 'retry', after: undefined }],
    ['a 502: retried', 'sessionStart', () => answer(502, '<html>Bad Gateway</html>'), { kind: 'retry', after: undefined }],
    ['a 503: retried', 'play', () => answer(503), { kind: 'retry', after: undefined }],
    ['a 504: retried', 'sessionEnd', () => answer(504), { kind: 'retry', after: undefined }],
    [
      'a 500: rejected (Adobe says not to retry it)',
      'play',
      () => answer(500, { status: 500, title: 'Internal Server Error' }, PROBLEM),
      { kind: 'rejected', reason: 'HTTP 500: Internal Server Error' }
    ]
  ])('reads %s', async (_, type, response, outcome) => {
    expect(await mediaEdge(EDGE, 'ds-1').outcome(at(type), response())).toEqual(outcome);
  });

  it("plays a session against the emulator's /ee: started, through the hint, accepted, then gone", async () => {
    const emulator = createEmulator({ edgeHint: 'va6' });
    const transport = mediaEdge('/ee', 'ds-1');
    const params = { ...PARAMS, 'media.id': 'ep1', 'media.length': 60, 'media.contentType': 'vod', 'media.playerName': 'video.js' };
    const exchange = async (event: TrackedEvent, sid: string | null) => {
      const { url, body, type } = transport.request(event, sid);
      const { status, headers, body: json } = emulator.receive({ path: url, body, contentType: type });
      return { url, outcome: await transport.outcome(event, answer(status, json ?? undefined, headers)) };
    };
    const start = await exchange(at('sessionStart', { playhead: 0, media: { params, customMetadata: {} } }), null);
    expect(start.outcome).toEqual({ kind: 'started', sid: expect.any(String) });
    const sid = (start.outcome as { sid: string }).sid;
    const play = await exchange(at('play', { ts: T0 + 100, playhead: 0 }), sid);
    expect(play).toEqual({ url: '/ee/va6/va/v1/play?configId=ds-1', outcome: { kind: 'accepted' } });
    expect((await exchange(at('stateStart', { ts: T0 + 200, playhead: 0, state: 'mute' }), sid)).outcome).toEqual({ kind: 'accepted' });
    expect((await exchange(at('sessionEnd', { ts: T0 + 300, playhead: 0 }), sid)).outcome).toEqual({ kind: 'accepted' });
    expect((await exchange(at('play', { ts: T0 + 400, playhead: 0 }), sid)).outcome).toEqual({ kind: 'gone' });
    expect((await exchange(at('play', { ts: T0 + 400, playhead: 0 }), 'unknown')).outcome).toEqual({ kind: 'gone' });
  });
});
