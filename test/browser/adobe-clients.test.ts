// Adobe's Web SDK 2.33 (the devDependency @adobe/alloy, its standalone build) as a client of the
// emulator's Edge, in Chromium: a player's integration of it (pages/alloy-vod.js) plays one short
// VOD through the Web SDK's streamingMedia commands and through its legacy tracker, and the
// emulator must accept every request, let the Web SDK read every answer and report what played.
//
// The Web SDK sends to `https://{edgeDomain}/{edgeBasePath}/…` only, and its edgeDomain is a host
// name without a port: the emulator serves HTTPS with a certificate made here by openssl, and
// Chromium maps a host name of the reserved `.test` domain to the emulator's port
// (--host-resolver-rules) and accepts that certificate (--ignore-certificate-errors). The page
// itself is the demo server's (http://127.0.0.1), another origin, as a site is to Adobe's Edge.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startEmulator } from '../../demo/emulator/emulator.mjs';
import { startDemo } from '../../demo/server.mjs';
import { FLAGS, watchConsole } from './chromium.mjs';
import { chromiumPath, describeOnce, itOnce, type ApiRecord, type Metric } from './harness';

const EDGE_HOST = 'edge.emulator.test';
const ORG = 'ALLOYTEST@AdobeOrg';
const HINT = 'emu1';

interface EdgeRecord extends ApiRecord {
  warnings: string[];
  body: any;
}

interface Played {
  marks: Array<{ what: string; at: number }>;
  sessionId: string | null;
  outcomes: string[];
}

let folder: string;
let edge: Awaited<ReturnType<typeof startEmulator>>;
let demo: Awaited<ReturnType<typeof startDemo>>;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'emulator-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', 'key.pem', '-out', 'cert.pem'].concat([
      '-subj',
      `/CN=${EDGE_HOST}`,
      '-addext',
      `subjectAltName=DNS:${EDGE_HOST}`
    ]),
    { cwd: folder, stdio: 'ignore' }
  );
  const tls = { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) };
  edge = await startEmulator({ port: 0, tls, orgId: ORG, edgeHint: HINT });
  demo = await startDemo({ port: 0, apiPort: 0 });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...FLAGS, '--ignore-certificate-errors', `--host-resolver-rules=MAP ${EDGE_HOST} 127.0.0.1:${edge.port}`],
    headless: true
  });
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await edge?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let counter = 0;

/** Plays the VOD through the Web SDK in a new page of its own scope; returns what the page and the emulator saw. */
async function play(mode: 'streaming' | 'legacy') {
  const scope = `alloy-${mode}-${++counter}-${process.pid}`;
  context = await browser.newContext();
  const page = await context.newPage();
  const logged = watchConsole(page);
  await page.goto(new URL('test/alloy.html', demo.url).href);
  const played: Played = await page.evaluate((options) => (window as any).playVod(options), {
    mode,
    config: {
      datastreamId: 'ds-alloy',
      orgId: ORG,
      edgeDomain: EDGE_HOST,
      edgeBasePath: `p/${scope}/ee`,
      // Else the Web SDK's first request goes to Adobe's third-party identity domain, not to edgeDomain.
      thirdPartyCookiesEnabled: false,
      streamingMedia: { channel: 'alloy-tests', playerName: 'alloy-e2e', appVersion: 'test-1' }
    },
    media: { ad: new URL('media/ad-1.mp4', demo.url).href, content: new URL('media/short.mp4', demo.url).href }
  });
  const records = edge.emulator.records(scope) as EdgeRecord[];
  const [session] = edge.emulator.report(scope).sessions as Array<{ sid: string; metrics: Metric[] }>;
  return { scope, played, records, session, logged };
}

/** The event types of the page's marks, as the Edge's paths name them. */
const pathType = (what: string) => (what === 'stateStart' || what === 'stateEnd' ? 'statesUpdate' : what);

/** The warnings the emulator may give a good client of Adobe's: a reordered arrival, and (legacy) a null QoE object. */
const ALLOWED_WARNINGS = [
  /^arrived after \w+ \(ts \d+\), which it precedes: judged in ts order/,
  /^\$\.xdm\.mediaCollection\.qoeDataDetails is null: judged absent/
];

/** Every request accepted and valid, in the order the page sent them; no violation, only allowed warnings. */
function expectAccepted({ scope, played, records, logged }: Awaited<ReturnType<typeof play>>) {
  expect(
    played.outcomes.filter((outcome) => outcome !== 'fulfilled'),
    'Web SDK promises that rejected'
  ).toEqual([]);
  const events = records.filter((r) => r.eventType !== 'ping');
  // The page's events, in ts order (the order the emulator judges them in, whatever their arrival).
  const byTs = [...events].sort((a, b) => a.ts - b.ts || a.n - b.n);
  expect(byTs.map((r) => r.eventType)).toEqual(played.marks.map((mark) => pathType(mark.what)));
  expect(records.map((r) => [r.path, r.status])).toEqual(
    records.map((r) =>
      r.eventType === 'sessionStart' ? [`/p/${scope}/ee/v1/interact`, 200] : [`/p/${scope}/ee/${HINT}/va/v1/${r.eventType}`, 204]
    )
  );
  expect(records.flatMap((r) => r.errors)).toEqual([]);
  expect(records.flatMap((r) => r.violations.map((v) => `${r.eventType}@${r.ts}: ${v}`))).toEqual([]);
  expect(records.flatMap((r) => r.warnings).filter((w) => !ALLOWED_WARNINGS.some((pattern) => pattern.test(w)))).toEqual([]);
  expect(logged, 'console errors and warnings').toEqual([]);
  // The Web SDK read the session id from the emulator's answer, across origins, with credentials.
  expect(played.sessionId).toBe(records[0].sid);
  expect(records.every((r) => r.sid === played.sessionId)).toBe(true);
}

/** The report's figures: the counts exactly, the times within 50 ms of what the page played. */
function expectFigures({ played, session }: Awaited<ReturnType<typeof play>>) {
  const at = (what: string, n = 0) => played.marks.filter((mark) => mark.what === what)[n].at;
  const s = (ms: number) => ms / 1000;
  // Content plays from each content play to the pause and to the end, and for the instant
  // between the break's end and the stall (Adobe's model: after a break the content plays on).
  const content = s(
    at('pauseStart') - at('play', 1) + (at('sessionComplete') - at('play', 2)) + (at('bufferStart') - at('adBreakComplete'))
  );
  const ad = s(at('adComplete') - at('adStart'));
  const chapters = content - s(at('bufferStart') - at('adBreakComplete')) - s(at('sessionComplete') - at('chapterComplete', 1));
  const figure = (name: string) => session.metrics.find((metric) => metric.name === name)!.value;
  expect(
    Object.fromEntries(
      [
        'Media starts',
        'Content starts',
        'Content completes',
        'Pause events',
        'Ad breaks',
        'Ad starts',
        'Ad completes',
        'Chapter starts',
        'Chapter completes',
        'Buffer events',
        'Error events'
      ].map((name) => [name, figure(name)])
    )
  ).toEqual({
    'Media starts': 1,
    'Content starts': 1,
    'Content completes': 1,
    'Pause events': 1,
    'Ad breaks': 1,
    'Ad starts': 1,
    'Ad completes': 1,
    'Chapter starts': 2,
    'Chapter completes': 2,
    'Buffer events': 1,
    'Error events': 0
  });
  const times = {
    'Content time spent': content,
    'Media time spent': content + ad,
    'Ad time spent': ad,
    'Chapter time spent': chapters,
    'Total pause duration': s(at('play', 2) - at('pauseStart')),
    'Total buffer duration': s(at('play', 1) - at('bufferStart'))
  };
  for (const [name, value] of Object.entries(times)) {
    expect(Math.abs(figure(name)! - value), `${name}: ${figure(name)} s reported, ${value} s played`).toBeLessThan(0.05);
  }
  // What played: a 2 s ad, about 6 s of content and a pause of about half a second.
  expect(ad).toBeGreaterThan(1.5);
  expect(content).toBeGreaterThan(5);
  expect(times['Total pause duration']).toBeGreaterThanOrEqual(0.5);
}

describeOnce("Adobe's Web SDK 2.33 against the emulator's Edge", () => {
  itOnce('streamingMedia: every request accepted through /v1/interact and the location hint, and the report is what played', async () => {
    const run = await play('streaming');
    expectAccepted(run);
    expectFigures(run);
    // The session opened as the Web SDK opens it: an experience event with its context, `meta` and `query`.
    const start = run.records[0].body;
    expect(Object.keys(start).sort()).toEqual(['events', 'meta', 'query']);
    expect(start.query).toEqual({ identity: { fetch: ['ECID'] } });
    expect(Object.keys(start.events[0].xdm).sort()).toEqual([
      'device',
      'environment',
      'eventType',
      'implementationDetails',
      'mediaCollection',
      'placeContext',
      'timestamp',
      'web'
    ]);
    expect(start.events[0].xdm.implementationDetails).toEqual({
      name: 'https://ns.adobe.com/experience/alloy',
      version: '2.33.1',
      environment: 'browser'
    });
    expect(start.events[0].xdm.mediaCollection).toEqual({
      playhead: 0,
      sessionDetails: {
        name: 'short',
        friendlyName: 'Short VOD',
        length: 6,
        contentType: 'vod',
        streamType: 'video',
        playerName: 'alloy-e2e',
        channel: 'alloy-tests',
        appVersion: 'test-1'
      }
    });
    // Later calls carry the emulator's cookies back, as the Web SDK stores them for a third-party edge.
    const later = run.records[1].body;
    expect(later.meta.state.entries.map((entry: { key: string }) => entry.key)).toEqual([
      'kndctr_ALLOYTEST_AdobeOrg_cluster',
      'kndctr_ALLOYTEST_AdobeOrg_identity'
    ]);
  });

  itOnce(
    'getMediaAnalyticsTracker: every request accepted, qoeDataDetails: null judged absent, and the report is what played',
    async () => {
      const run = await play('legacy');
      expectAccepted(run);
      expectFigures(run);
      expect(run.records[0].body.events[0].xdm.mediaCollection.qoeDataDetails).toBeNull();
      expect(run.records[0].warnings).toContain(
        '$.xdm.mediaCollection.qoeDataDetails is null: judged absent, as the sessionStart event may go without it'
      );
    }
  );
});
