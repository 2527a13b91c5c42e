// The Media Collection transport alone: events to request bodies, answers to outcomes.
import { describe, expect, it } from 'vitest';
import { validate } from '../../demo/emulator/validate.mjs';
import type { EventType, TrackedEvent } from '../../src/events';
import { mediaCollection, requestBody } from '../../src/transport/media-collection';
import { AD } from './fixtures';
import { ENDPOINT, PARAMS, T0, created, status } from './helpers';

const transport = mediaCollection(ENDPOINT);
const at = (type: EventType, more: Partial<TrackedEvent> = {}): TrackedEvent => ({ type, ts: T0, playhead: 12.5, ...more });

describe('requestBody', () => {
  it.each<[string, TrackedEvent, Record<string, unknown>]>([
    [
      'sessionStart: the media params and custom metadata',
      at('sessionStart', {
        media: {
          params: { ...PARAMS, 'media.id': 'ep1', 'media.length': 60, 'media.contentType': 'vod', 'media.playerName': 'p' },
          customMetadata: { 'acme.tier': 'gold' }
        }
      }),
      {
        params: { ...PARAMS, 'media.id': 'ep1', 'media.length': 60, 'media.contentType': 'vod', 'media.playerName': 'p' },
        customMetadata: { 'acme.tier': 'gold' }
      }
    ],
    ['play: no params', at('play'), {}],
    ['ping: never params', at('ping', { qoe: { droppedFrames: 2 } }), { qoeData: { 'media.qoe.droppedFrames': 2 } }],
    [
      'bitrateChange: the QoE in qoeData',
      at('bitrateChange', { qoe: { bitrate: 2500, framesPerSecond: 30, timeToStart: 900 } }),
      { qoeData: { 'media.qoe.bitrate': 2500, 'media.qoe.framesPerSecond': 30, 'media.qoe.timeToStart': 900 } }
    ],
    [
      'error: its id and source in qoeData',
      at('error', { error: { id: '3', source: 'player' }, qoe: { bitrate: 700 } }),
      { qoeData: { 'media.qoe.bitrate': 700, 'media.qoe.errorID': '3', 'media.qoe.errorSource': 'player' } }
    ],
    [
      'adBreakStart: index, second and name',
      at('adBreakStart', { adBreak: { index: 2, offset: 12.5, name: 'midroll' } }),
      { params: { 'media.ad.podIndex': 2, 'media.ad.podSecond': 12.5, 'media.ad.podFriendlyName': 'midroll' } }
    ],
    [
      'adStart: every ad field, and its custom metadata',
      at('adStart', { ad: AD }),
      {
        params: {
          'media.ad.id': 'a1',
          'media.ad.length': 15,
          'media.ad.podPosition': 1,
          'media.ad.playerName': 'p',
          'media.ad.name': 'Sale',
          'media.ad.advertiser': 'Acme',
          'media.ad.campaignId': 'c',
          'media.ad.creativeId': 'cr',
          'media.ad.creativeURL': 'https://ads.example.com/a.mp4',
          'media.ad.placementId': 'pl',
          'media.ad.siteId': 's'
        },
        customMetadata: { 'acme.slot': 'A' }
      }
    ],
    [
      'chapterStart: index, offset, length and name',
      at('chapterStart', { chapter: { index: 2, offset: 20, length: 25, name: 'Interview' } }),
      {
        params: {
          'media.chapter.index': 2,
          'media.chapter.offset': 20,
          'media.chapter.length': 25,
          'media.chapter.friendlyName': 'Interview'
        }
      }
    ],
    ['stateStart: the state name', at('stateStart', { state: 'fullscreen' }), { params: { 'media.state.name': 'fullscreen' } }],
    ['stateEnd: the state name', at('stateEnd', { state: 'mute' }), { params: { 'media.state.name': 'mute' } }]
  ])('%s', (_, event, more) => {
    const body = requestBody(event);
    expect(body).toEqual({ eventType: event.type, playerTime: { playhead: 12.5, ts: T0 }, ...more });
    expect(validate(body, event.type === 'sessionStart' ? 'sessions' : 'events')).toEqual([]);
  });

  it.each<EventType>([
    'pauseStart',
    'bufferStart',
    'adComplete',
    'adSkip',
    'adBreakComplete',
    'chapterComplete',
    'chapterSkip',
    'sessionComplete',
    'sessionEnd'
  ])('%s: the type, the ts and the playhead alone', (type) => {
    expect(requestBody(at(type))).toEqual({ eventType: type, playerTime: { playhead: 12.5, ts: T0 } });
  });
});

describe('mediaCollection', () => {
  it("posts sessionStart to the sessions URL and the rest to the session's events URL", () => {
    expect(transport.request(at('sessionStart'), null).url).toBe(`${ENDPOINT}/api/v1/sessions`);
    expect(transport.request(at('play'), 's1').url).toBe(`${ENDPOINT}/api/v1/sessions/s1/events`);
    expect(JSON.parse(transport.request(at('play'), 's1').body)).toEqual({ eventType: 'play', playerTime: { playhead: 12.5, ts: T0 } });
  });

  it.each<[string, EventType, () => Response, unknown]>([
    ['a 201 with a Location: started', 'sessionStart', () => created('abc'), { kind: 'started', sid: 'abc' }],
    [
      'a 201 without a readable Location: rejected',
      'sessionStart',
      () => status(201),
      { kind: 'rejected', reason: expect.stringContaining('Location') }
    ],
    ['a 204: accepted', 'play', () => status(204), { kind: 'accepted' }],
    ['a 429 with Retry-After: retried after it', 'play', () => status(429, '', { 'Retry-After': '7' }), { kind: 'retry', after: 7000 }],
    ['a 503: retried', 'sessionStart', () => status(503), { kind: 'retry', after: undefined }],
    ['a 408: retried', 'play', () => status(408), { kind: 'retry', after: undefined }],
    ['a 404: gone', 'play', () => status(404), { kind: 'gone' }],
    ['a 410: gone', 'ping', () => status(410), { kind: 'gone' }],
    ['a 404 to sessionStart: rejected', 'sessionStart', () => status(404), { kind: 'rejected', reason: 'HTTP 404' }],
    [
      "a 400: rejected with the server's message",
      'play',
      () => status(400, '{"message":"bad playhead"}'),
      { kind: 'rejected', reason: 'HTTP 400: bad playhead' }
    ]
  ])('reads %s', async (_, type, response, outcome) => {
    expect(await transport.outcome(at(type), response())).toEqual(outcome);
  });
});
