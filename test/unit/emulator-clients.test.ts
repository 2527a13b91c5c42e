// @vitest-environment node
// The emulator judged by Adobe's own JavaScript clients' requests, replayed:
// - Adobe's Media SDK 3.x on the Media Collection API. The SDK is not on npm and may not be copied
//   here, so its requests are written from its documentation (ADB.MediaConfig, AppMeasurement and
//   the Visitor API give the params, ../shared/spec/media-collection-api.md §2) and it takes the
//   session id as it does: the fifth `/`-segment of `Location` (Adobe's own pattern,
//   `^/api/(.*)/sessions/(.*)`, gives the same), then posts to `{trackingServer}/api/v1/sessions/{sid}/events`.
// - Adobe's Web SDK 2.33 (@adobe/alloy) on the Edge: the shapes of the requests it sent in Chromium
//   (test/browser/adobe-clients.test.ts drives the library itself), replayed in-process with the
//   arrival order a client without a send queue gives.
// And the emulator's own command line (`npm run emulator`, demo/emulator/cli.mjs) and its page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner, start } from '../../demo/emulator/cli.mjs';
import { createEmulator, startEmulator } from '../../demo/emulator/emulator.mjs';
import { T0 } from './fixtures';

let server: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  server = await startEmulator({ port: 0 });
});
afterAll(() => server.close());

const figures = (emulator: ReturnType<typeof createEmulator>, scope: string) =>
  Object.fromEntries(emulator.report(scope).sessions[0].metrics.map((metric) => [metric.name, metric.value]));

describe("Adobe's Media SDK 3.x on the Media Collection API", () => {
  /** What the SDK puts in sessionStart's params, and where it takes each from. */
  const PARAMS = {
    // AppMeasurement (ADB.Media.configure's second argument): its trackingServer and account.
    'analytics.trackingServer': 'example.sc.omtrdc.net',
    'analytics.reportSuite': 'rsid',
    // ADB.MediaConfig: ssl (false: the emulator here is plain HTTP), playerName, channel, appVersion.
    'analytics.enableSSL': false,
    'media.playerName': 'player_name',
    'media.channel': 'sample_channel',
    'media.sdkVersion': 'app_version',
    // The Visitor API on the page: the org, the ECID and the Audience Manager location hint.
    'visitor.marketingCloudOrgId': 'ABC@AdobeOrg',
    'visitor.marketingCloudUserId': '12345678901234567890123456789012345678',
    'visitor.aamLocationHint': 9,
    // ADB.Media.createMediaObject(name, id, length, streamType, mediaType), and no resume.
    'media.name': 'video-name',
    'media.id': 'video-id',
    'media.length': 30,
    'media.contentType': 'vod',
    'media.streamType': 'video',
    'media.resume': false
  };
  const chapter = (index: number, offset: number, name: string) => ({
    params: { 'media.chapter.index': index, 'media.chapter.offset': offset, 'media.chapter.length': 15, 'media.chapter.friendlyName': name }
  });

  /**
   * A 30 s VOD as the SDK reports it, by ms after T0: a pre-roll of one 2 s ad, two chapters, a
   * muted state, a 6 s pause, a 1 s stall, a bitrate change and the SDK's pings every 10 s (its
   * playhead is a float, the player's).
   */
  const VOD: Array<[string, number, number, object?]> = [
    ['sessionStart', 0, 0, { params: PARAMS, customMetadata: { 'acme.genre': 'drama' }, qoeData: { 'media.qoe.timeToStart': 1200 } }],
    ['adBreakStart', 1, 0, { params: { 'media.ad.podFriendlyName': 'pre-roll', 'media.ad.podIndex': 1, 'media.ad.podSecond': 0 } }],
    [
      'adStart',
      2,
      0,
      {
        params: {
          'media.ad.id': 'ad-1',
          'media.ad.name': 'Ad 1',
          'media.ad.length': 2,
          'media.ad.podPosition': 1,
          'media.ad.playerName': 'player_name'
        }
      }
    ],
    ['play', 3, 0],
    ['adComplete', 2003, 0],
    ['adBreakComplete', 2004, 0],
    ['chapterStart', 2005, 0, chapter(1, 0, 'Part 1')],
    ['play', 2006, 0],
    ['ping', 10000, 7.994],
    ['stateStart', 11006, 9, { params: { 'media.state.name': 'mute' } }],
    ['stateEnd', 13006, 11, { params: { 'media.state.name': 'mute' } }],
    ['pauseStart', 14006, 12],
    ['ping', 20000, 12],
    ['play', 20006, 12],
    ['chapterComplete', 23006, 15],
    ['chapterStart', 23007, 15, chapter(2, 15, 'Part 2')],
    ['bufferStart', 25006, 17],
    ['play', 26006, 17],
    ['ping', 30000, 20.994],
    ['bitrateChange', 31006, 22, { qoeData: { 'media.qoe.bitrate': 2000, 'media.qoe.framesPerSecond': 24, 'media.qoe.droppedFrames': 0 } }],
    ['chapterComplete', 39006, 30],
    ['sessionComplete', 39007, 30]
  ];

  /** Plays the VOD as the SDK sends it, one request after another, to `trackingServer` (scheme and host, and path if any). */
  async function replay(trackingServer: string) {
    const post = (path: string, [eventType, t, playhead, extra]: (typeof VOD)[number]) =>
      fetch(`${trackingServer}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ eventType, playerTime: { playhead, ts: T0 + t }, ...extra })
      });
    const started = await post('/api/v1/sessions', VOD[0]);
    const location = started.headers.get('Location')!;
    // The SDK's parsing: the fifth /-segment. Adobe's documented pattern agrees.
    const sid = location.split('/')[4];
    expect(/^\/api\/(.*)\/sessions\/(.*)/.exec(location)!.slice(1)).toEqual(['v1', sid]);
    const statuses = [started.status];
    for (const event of VOD.slice(1)) statuses.push((await post(`/api/v1/sessions/${sid}/events`, event)).status);
    return { sid, statuses };
  }

  it.each([
    ['through a scope', 'media-sdk', (url: string) => `${url}/p/media-sdk`],
    ['on the default scope', 'default', (url: string) => url]
  ])('accepts every request of a full VOD %s, with no problem reported, and reports what played', async (_, scope, at) => {
    server.emulator.reset(scope);
    const { sid, statuses } = await replay(at(server.url));
    expect(statuses).toEqual([201, ...Array(VOD.length - 1).fill(204)]);
    const records = server.emulator.records(scope);
    expect(records.map((r) => [r.sid, r.eventType, r.errors, r.violations, r.warnings])).toEqual(
      VOD.map(([eventType]) => [sid, eventType, [], [], []])
    );
    expect(server.emulator.sessions(scope)).toEqual([{ sid, state: 'complete', events: VOD.length - 1, resume: false }]);
    expect(figures(server.emulator, scope)).toMatchObject({
      'Media starts': 1,
      'Content starts': 1,
      'Content completes': 1,
      // 12 s, 5 s and 13.001 s of play, and 2 ms from the break's end to the content's play.
      'Content time spent': 30.003,
      'Media time spent': 32.004,
      'Pause events': 1,
      'Total pause duration': 6,
      'Ad breaks': 1,
      'Ad starts': 1,
      'Ad completes': 1,
      'Ad time spent': 2.001,
      'Chapter starts': 2,
      'Chapter completes': 2,
      'Chapter time spent': 30,
      'Time to start': 1.2,
      'Bitrate changes': 1,
      'Buffer events': 1,
      'Total buffer duration': 1,
      'Error events': 0
    });
  });
});

describe("Adobe's Web SDK 2.33 on the Edge", () => {
  const ORIGIN = 'http://127.0.0.1:8080';
  const ORG = 'ABC123@AdobeOrg';
  const iso = (t: number) => new Date(T0 + t).toISOString();
  /** The Web SDK's configured streamingMedia and the player's session details, as it merges them. */
  const SESSION_DETAILS = {
    playerName: 'alloy-e2e',
    channel: 'alloy-tests',
    appVersion: 'test-1',
    name: 'short',
    friendlyName: 'Short VOD',
    length: 6,
    contentType: 'vod',
    streamType: 'video'
  };
  /** What the Web SDK's Context component adds to every experience event. */
  const CONTEXT = {
    web: { webPageDetails: { URL: `${ORIGIN}/test/alloy.html` }, webReferrer: { URL: '' } },
    device: { screenHeight: 720, screenWidth: 1280, screenOrientation: 'landscape' },
    environment: { type: 'browser', browserDetails: { viewportWidth: 1280, viewportHeight: 720 } },
    placeContext: { localTimezoneOffset: 0, localTime: '2026-01-01T00:00:00.000+00:00', ianaTimezone: 'UTC' },
    implementationDetails: { name: 'https://ns.adobe.com/experience/alloy', version: '2.33.1', environment: 'browser' }
  };

  /** The interact request of createMediaSession (or the legacy trackSessionStart, with `qoeDataDetails: null`). */
  const sessionStart = (legacy: boolean) => ({
    events: [
      {
        xdm: {
          timestamp: iso(0),
          eventType: 'media.sessionStart',
          mediaCollection: { sessionDetails: SESSION_DETAILS, playhead: 0, ...(legacy ? { qoeDataDetails: null } : {}) },
          ...CONTEXT
        },
        query: {
          personalization: {
            schemas: ['https://ns.adobe.com/personalization/default-content-item'],
            decisionScopes: ['__view__'],
            surfaces: [`web://127.0.0.1:8080/test/alloy.html`]
          }
        }
      }
    ],
    query: { identity: { fetch: ['ECID'] } },
    meta: { queueTimeMillis: 3, state: { domain: '127.0.0.1', cookiesEnabled: true } }
  });

  /** A media event of the session, carrying the cookies the Web SDK stored from the sessionStart's answer. */
  const mediaEvent = (
    entries: object[],
    sid: string,
    legacy: boolean,
    [type, t, playhead, details]: [string, number, number, object?]
  ) => ({
    events: [
      {
        xdm: {
          timestamp: iso(t),
          mediaCollection: { ...details, playhead, ...(legacy ? { qoeDataDetails: null } : {}), sessionID: sid },
          eventType: `media.${type}`
        }
      }
    ],
    query: { identity: { fetch: ['ECID'] } },
    meta: { queueTimeMillis: 0, state: { domain: '127.0.0.1', cookiesEnabled: true, entries } }
  });

  /**
   * The page's events by ms after T0, in the order they arrived: the ad's events wait for the
   * session and go out together, and the adStart came in after the play that follows it.
   */
  const ARRIVALS: Array<[string, number, number, object?]> = [
    ['adBreakStart', 1, 0, { advertisingPodDetails: { friendlyName: 'pre-roll', index: 1, offset: 0 } }],
    ['play', 40, 0],
    ['adStart', 2, 0, { advertisingDetails: { name: 'ad-1', friendlyName: 'Ad 1', length: 2, podPosition: 1, playerName: 'alloy-e2e' } }],
    ['adComplete', 2040, 0],
    ['adBreakComplete', 2041, 0],
    ['bufferStart', 2042, 0],
    ['chapterStart', 2200, 0, { chapterDetails: { friendlyName: 'Part 1', index: 1, offset: 0, length: 3 } }],
    ['play', 2201, 0],
    ['statesUpdate', 3200, 1, { statesStart: [{ name: 'mute' }] }],
    ['statesUpdate', 4200, 2, { statesEnd: [{ name: 'mute' }] }],
    ['chapterComplete', 5200, 3],
    ['chapterStart', 5201, 3, { chapterDetails: { friendlyName: 'Part 2', index: 2, offset: 3, length: 3 } }],
    ['pauseStart', 6200, 4],
    ['play', 6700, 4],
    ['chapterComplete', 8700, 6],
    ['sessionComplete', 8701, 6]
  ];

  it.each([
    ['createMediaSession and sendMediaEvent', false],
    ['getMediaAnalyticsTracker', true]
  ])('accepts every request of %s and answers what the Web SDK reads, across origins', (_, legacy) => {
    const emulator = createEmulator({ orgId: ORG });
    const scope = 'alloy';
    const text = 'text/plain; charset=UTF-8';
    const started = emulator.receive({
      scope,
      path: '/ee/v1/interact?configId=ds-alloy&requestId=00000000-0000-4000-8000-000000000000',
      body: JSON.stringify(sessionStart(legacy)),
      contentType: text,
      origin: ORIGIN
    });
    expect(started.status).toBe(200);
    expect(started.headers).toMatchObject({
      'Access-Control-Allow-Origin': ORIGIN,
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin'
    });
    const handle = (started.body as { handle: Array<{ type: string; payload: Array<Record<string, string | number>> }> }).handle;
    // What the Web SDK reads: the session id (StreamingMedia), the ECID (Identity), and the
    // cookies it stores, the cluster naming the location hint of every later request's path.
    const sid = handle.find((h) => h.type === 'media-analytics:new-session')!.payload[0].sessionId as string;
    expect(handle.find((h) => h.type === 'identity:result')!.payload[0]).toMatchObject({ namespace: { code: 'ECID' } });
    const stored = handle.find((h) => h.type === 'state:store')!.payload;
    expect(stored.map((cookie) => [cookie.key, String(cookie.key).endsWith('_cluster') ? cookie.value : 'identity'])).toEqual([
      ['kndctr_ABC123_AdobeOrg_cluster', 'emu1'],
      ['kndctr_ABC123_AdobeOrg_identity', 'identity']
    ]);
    const entries = stored.map(({ key, value }) => ({ key, value }));
    const statuses = ARRIVALS.map(
      (event) =>
        emulator.receive({
          scope,
          path: `/ee/emu1/va/v1/${event[0]}?configId=ds-alloy&requestId=00000000-0000-4000-8000-000000000001`,
          body: JSON.stringify(mediaEvent(entries, sid, legacy, event)),
          contentType: text,
          origin: ORIGIN
        }).status
    );
    expect(statuses).toEqual(ARRIVALS.map(() => 204));
    const records = emulator.records(scope);
    expect(records.flatMap((r) => [...r.errors, ...r.violations])).toEqual([]);
    const nulls = (type: string) =>
      legacy ? [`$.xdm.mediaCollection.qoeDataDetails is null: judged absent, as the ${type} event may go without it`] : [];
    expect(records.map((r) => [r.eventType, r.warnings])).toEqual([
      ['sessionStart', nulls('sessionStart')],
      ...ARRIVALS.map(([type, t]) => [
        type,
        [
          ...nulls(type),
          ...(t === 2
            ? [
                `arrived after play (ts ${T0 + 40}), which it precedes: judged in ts order, as Adobe's backend reorders events that arrive ` +
                  'within 1 s and 10 events of each other'
              ]
            : [])
        ]
      ])
    ]);
    expect(figures(emulator, scope)).toMatchObject({
      'Media starts': 1,
      'Content starts': 1,
      'Content completes': 1,
      // 1 ms from the break's end to the stall, 3.999 s to the pause and 2.001 s to the end.
      'Content time spent': 6.001,
      'Ad time spent': 2.038,
      'Total pause duration': 0.5,
      'Total buffer duration': 0.159,
      'Chapter starts': 2,
      'Chapter completes': 2,
      'Ad starts': 1,
      'Ad completes': 1
    });
  });
});

describe('the emulator on its own: npm run emulator', () => {
  it('starts with its port, scope and faults, prints where to point each client, and serves its page', async () => {
    const lines: string[] = [];
    const { code, started } = await start(['--port', '0', '--scope', 'cli-1', '--latency', '20', '--gone-after', '3', '--quiet'], {
      out: (line) => lines.push(line),
      err: (line) => lines.push(`error: ${line}`)
    });
    expect(code).toBe(0);
    try {
      const url = started!.url;
      const host = new URL(url).host;
      expect(lines).toEqual([
        `Media Collection API:  ${url}/p/cli-1`,
        `  Media SDK 3.x:       trackingServer "${host}/p/cli-1", ssl false`,
        `Media Edge API:        ${url}/p/cli-1/ee   (/va/v1/{eventType}?configId=…, and /v1/interact for the Web SDK)`,
        '  Web SDK 2.x:         needs HTTPS on port 443 (--tls-cert, --tls-key, --port 443), or a browser that maps a host name to ' +
          'this port; then edgeDomain "<that host>", edgeBasePath "p/cli-1/ee", orgId "EMULATOR@AdobeOrg"',
        '  location hint:       emu1',
        `Timeline and report:   ${url}/__emulator/?scope=cli-1`,
        'Faults of "cli-1":     latency 20, goneAfter 3'
      ]);
      const t = performance.now();
      const ping = await fetch(`${url}/p/cli-1/api/v1/sessions/nope/events`, { method: 'POST' });
      expect([ping.status, performance.now() - t >= 20]).toEqual([404, true]);
      const page = await fetch(`${url}/__emulator/?scope=cli-1`);
      expect([page.status, page.headers.get('Content-Type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await page.text()).toContain('<script type="module" src="/__emulator/pages/timeline.js"></script>');
      // The demo page's report drawing, read-only.
      const report = await fetch(`${url}/__emulator/pages/report.js`);
      expect(await report.text()).toBe(readFileSync(new URL('../../demo/page/report.js', import.meta.url), 'utf8'));
      expect((await fetch(`${url}/__emulator/pages/nope.js`)).status).toBe(404);
    } finally {
      await started?.close();
    }
  });

  it.each([
    [['--bogus'], 2, /^Unknown option '--bogus'/],
    [['--port', 'x'], 1, /^--port must be an integer from 0 to 65535, not x$/],
    [['--port', '0', '--scope', 'no/slash'], 1, /^--scope must match/],
    [['--port', '0', '--error-rate', '2'], 1, /^invalid value for fault "errorRate": 2$/],
    [['--port', '0', '--tls-cert', 'cert.pem'], 1, /^--tls-cert and --tls-key go together$/],
    [['--port', '0', '--org-id', 'nobody'], 1, /^orgId must match/]
  ])('refuses %j with exit code %i and says why', async (argv, exit, message) => {
    const errors: string[] = [];
    const { code, started } = await start(argv as string[], { out: () => undefined, err: (line) => errors.push(line) });
    expect([code, started]).toEqual([exit, undefined]);
    expect(errors[0]).toMatch(message);
  });

  it('prints the Web SDK configuration as is for HTTPS on port 443', () => {
    const lines = banner({ url: 'https://edge.emulator.test', scope: 'default', orgId: 'ABC@AdobeOrg', edgeHint: 'va6', faults: {} });
    expect(lines.slice(0, 4)).toEqual([
      'Media Collection API:  https://edge.emulator.test',
      '  Media SDK 3.x:       trackingServer "edge.emulator.test", ssl true',
      'Media Edge API:        https://edge.emulator.test/ee   (/va/v1/{eventType}?configId=…, and /v1/interact for the Web SDK)',
      '  Web SDK 2.x:         edgeDomain "edge.emulator.test", edgeBasePath "ee", orgId "ABC@AdobeOrg"'
    ]);
  });
});
