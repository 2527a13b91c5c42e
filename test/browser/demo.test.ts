// The demo page of `npm run demo` in Chromium: it plays, its timeline shows what the emulator
// received, its report (and the emulator's JSON one) counts a full viewing with ads as Adobe's
// metrics define it, its fault knobs reach the emulator, it never renders request data as HTML,
// its Edge path with an identity stand-in is valid, and with a real collection host it shows no
// knobs or timeline and sends nothing anywhere.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../demo/server.mjs';
import { FLAGS, watchConsole } from './chromium.mjs';
import { ONE_AD_BREAK, TWO_ADS_SECOND_SKIPPED, chromiumPath } from './harness';

/** What one timeline row shows, read from the page. */
interface Row {
  n: number;
  event: string;
  status: number;
  bad: boolean;
  sid: string;
  text: string;
}

/** What the emulator records of one Media Edge API request (the fields read here). */
interface EdgeRecord {
  n: number;
  api: string;
  configId: string | null;
  path: string;
  sid: string | null;
  eventType: string | null;
  status: number;
  body: { events: Array<{ xdm: Record<string, unknown> }> };
  errors: string[];
  violations: string[];
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: FLAGS, headless: true });
});
afterAll(async () => {
  await browser?.close();
});

/** A new page, with what its console said (bar Chromium's own lines about HTTP errors). */
async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  return { context, page, console: watchConsole(page) };
}

const rows = (page: Page): Promise<Row[]> =>
  page.$$eval('#timeline tbody tr', (trs) =>
    trs.map((tr) => ({
      n: Number(tr.querySelector('.n')?.textContent),
      event: (tr as HTMLElement).dataset.event ?? '',
      status: Number((tr as HTMLElement).dataset.status),
      bad: tr.classList.contains('bad'),
      sid: (tr.querySelector('.sid') as HTMLElement | null)?.title ?? '',
      text: tr.textContent ?? ''
    }))
  );

/** Polls the timeline until `check` finds what it wants, or fails at the deadline. */
async function waitForRows<T>(page: Page, check: (rows: Row[]) => T | undefined, what: string, timeout = 20000): Promise<T> {
  let found: T | undefined;
  let seen: Row[] = [];
  await expect
    .poll(
      async () => {
        seen = await rows(page);
        found = check(seen);
        return found !== undefined && found !== false;
      },
      { timeout, interval: 100, message: `timeline rows for ${what}` }
    )
    .toBe(true)
    .catch((error) => {
      throw new Error(`${error.message}; the timeline showed: ${seen.map((r) => `${r.event}:${r.status}`).join(' ')}`);
    });
  return found!;
}

const poll = { timeout: 20000, interval: 100 };
const run = (page: Page, code: string) => page.evaluate(code);

describe('the demo page', () => {
  it('shows the requests of a VOD, a media switch and a 410, as text only', async () => {
    const demo = await startDemo({ port: 0, apiPort: 0 });
    const { context, page, console } = await open();
    try {
      await page.goto(demo.url);
      // The knobs are PUT once at load: the scope exists and the page is set up.
      await expect.poll(() => page.locator('#fault-status').textContent(), poll).toMatch(/^Applied: .*410 after off/);
      const scope = (await page.locator('#scope').textContent())!;
      expect(scope).toMatch(/^demo-[0-9a-f]+$/);

      await page.getByLabel('MP4 VOD').check();
      await run(page, "videojs.getPlayer('demo-player').play()");
      const first = await waitForRows(page, (r) => r.find((row) => row.event === 'play'), 'play');
      expect(first.status).toBe(204);
      const start = (await rows(page)).find((row) => row.event === 'sessionStart')!;
      expect(start.status).toBe(201);
      expect(start.text).toContain('media.name=Demo VOD (MP4, 30 s)');
      expect(start.text).toContain('media.contentType=vod');
      await expect.poll(() => page.locator('#session-id').textContent(), poll).toBe(start.sid);
      await expect.poll(() => page.locator('#summary').textContent(), poll).toContain('All requests valid, no sequence violations');

      // A new media item: the plugin ends the session itself, and playback goes on with a new one.
      await page.getByLabel('HLS VOD, 2 renditions').check();
      const hlsPlay = await waitForRows(
        page,
        (r) => {
          const starts = r.map((row, i) => (row.event === 'sessionStart' ? i : -1)).filter((i) => i >= 0);
          const i = starts[starts.length - 1] ?? -1;
          return i > 0 && r[i].sid !== start.sid ? r.slice(i).find((row) => row.event === 'play') : undefined;
        },
        'a new sessionStart and its play',
        30000
      );
      const seen = await rows(page);
      const hlsStart = seen.find((row) => row.event === 'sessionStart' && row.sid === hlsPlay.sid)!;
      expect(hlsStart.text).toContain('media.name=Demo VOD (HLS, two renditions)');
      expect(seen.find((row) => row.event === 'sessionEnd' && row.sid === start.sid)?.status).toBe(204);
      expect(seen.some((row) => row.bad)).toBe(false);
      await expect.poll(() => page.locator('#session-end').textContent(), poll).toMatch(/^source, /);

      expect(console, 'console errors and warnings of clean playback').toEqual([]);

      // 410 after 1 event: the HLS session has had its play, so the next event gets 410.
      await page.getByLabel('410 after N events (0 = off)').fill('1');
      await expect.poll(() => page.locator('#fault-status').textContent(), poll).toContain('410 after 1 event.');
      await run(page, "videojs.getPlayer('demo-player').pause()");
      const gone = await waitForRows(page, (r) => r.find((row) => row.status === 410), 'a 410');
      expect(gone.bad).toBe(true);
      expect(gone.text).toContain('✗ failed');
      expect(await page.locator('#timeline tbody tr.bad').count()).toBeGreaterThan(0);

      // Request data is text: requests whose bodies carry markup show it literally.
      const api = `${demo.emulatorUrl}/p/${scope}/api/v1/sessions`;
      const records = (await (await fetch(`${demo.emulatorUrl}/__emulator/scopes/${scope}/requests`)).json()).records;
      const body = structuredClone(records.find((r: { eventType: string }) => r.eventType === 'sessionStart').body);
      body.params['media.name'] = '<img id="injected-name" src="x" onerror="window.injected = 1">';
      body.playerTime.ts = Date.now();
      const post = (text: string) => fetch(api, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
      expect((await post(JSON.stringify(body))).status).toBe(201);
      expect((await post(JSON.stringify({ eventType: '<b id="injected-event">x</b>' }))).status).toBe(400);
      expect((await post('<i id="injected-raw">not json</i>')).status).toBe(400);
      const injected = await waitForRows(
        page,
        (r) => {
          const found = r.filter((row) => /injected-/.test(row.text));
          return found.length === 3 ? found : undefined;
        },
        'the three injected requests'
      );
      expect(injected[0].text).toContain('media.name=<img id="injected-name" src="x" onerror="window.injected = 1">');
      expect(injected[1].event).toBe('<b id="injected-event">x</b>');
      expect(injected[1].bad).toBe(true);
      expect(injected[2].text).toContain('unparsed body: <i id="injected-raw">not json</i>');
      const dom = await page.evaluate(() => ({
        injected: document.querySelectorAll('[id^="injected"], #timeline img, #timeline b, #timeline i').length,
        flag: (window as any).injected,
        elements: [
          ...new Set([...document.querySelectorAll('#timeline tbody *')].map((node) => `${node.tagName.toLowerCase()}.${node.className}`))
        ].sort()
      }));
      expect(dom.injected).toBe(0);
      expect(dom.flag).toBeUndefined();
      // Only what app.js creates: rows, cells and the spans of details and flags.
      const allowed = [
        'span.flag',
        'span.k',
        'span.kv',
        'span.problem',
        'span.v',
        'td.details',
        'td.event',
        'td.http',
        'td.n',
        'td.num',
        'td.sid',
        'td.time',
        'tr.',
        'tr.bad'
      ];
      expect(dom.elements.filter((name) => !allowed.includes(name))).toEqual([]);
      await expect.poll(() => page.locator('#summary').textContent(), poll).toMatch(/[1-9]\d* invalid requests?/);

      // Clear empties the timeline and the scope.
      await page.getByRole('button', { name: 'Clear' }).click();
      await expect.poll(() => page.locator('#timeline tbody tr').count(), poll).toBe(0);
      // Under the fault the plugin may give up and say so (through its logger and
      // mediacollection:error, which the page shows); nothing else may complain.
      const reports = console.filter((line) => /mediaCollection: ERROR: /.test(line));
      expect(console.filter((line) => !reports.includes(line))).toEqual([]);
      if (reports.length) expect(await page.locator('#plugin-error').textContent()).not.toBe('none');
    } finally {
      await context.close();
      await demo.close();
    }
  }, 90000);

  it('plays the pre-roll and the mid-roll of the Ads checkboxes, shows their events, and reports the viewing to its end', async () => {
    const demo = await startDemo({ port: 0, apiPort: 0 });
    const { context, page, console } = await open();
    try {
      await page.goto(demo.url);
      await expect.poll(() => page.locator('#fault-status').textContent(), poll).toMatch(/^Applied: /);
      await page.getByLabel('Pre-roll (1 ad)').check();
      await page.getByLabel('Mid-roll at 10 s (2 ads, the second skipped after 1 s)').check();
      // The viewer plays once the content's metadata is there (ads.test.ts covers a play before it).
      await expect.poll(() => run(page, "videojs.getPlayer('demo-player').readyState()"), poll).toBeGreaterThan(0);
      await run(page, "videojs.getPlayer('demo-player').play()");
      await expect.poll(() => page.locator('#ad-status').textContent(), poll).toBe('preroll break, ad 1: demo-preroll-1');

      // Pings and player states come and go with timing, and the mid-roll at 10 s meets the
      // chapter boundary there in either order: the ad and playback events are exact, the
      // chapters' own order too.
      const events = (r: Row[]) => r.filter((row) => !/^(ping|stateStart|stateEnd|chapter\w+)$/.test(row.event));
      const chapters = (r: Row[]) => r.filter((row) => /^chapter/.test(row.event));
      const all = await waitForRows(
        page,
        (r) =>
          events(r).length >= 1 + ONE_AD_BREAK.length + TWO_ADS_SECOND_SKIPPED.length &&
          chapters(r).some((row) => row.text.includes('media.chapter.index=2'))
            ? r
            : undefined,
        'the play after the mid-roll and the second chapter',
        40000
      );
      expect(chapters(all).map((row) => row.event)).toEqual(['chapterStart', 'chapterComplete', 'chapterStart']);
      // The first chapter starts with the content, after the pre-roll (Adobe's chapter timeline).
      const order = all.map((row) => row.event);
      expect(order.indexOf('chapterStart')).toBeGreaterThan(order.indexOf('adBreakComplete'));
      const seen = events(all);
      expect(seen.map((row) => row.event)).toEqual(['sessionStart', ...ONE_AD_BREAK, ...TWO_ADS_SECOND_SKIPPED]);
      // The session describes the content, and each ad row shows its params.
      expect(seen[0].text).toContain('media.length=30');
      const rows = (event: string) => seen.filter((row) => row.event === event).map((row) => row.text);
      const [preroll, midroll] = rows('adBreakStart');
      const [ad1, ad2, ad3] = rows('adStart');
      expect(preroll).toContain('media.ad.podIndex=1');
      expect(preroll).toContain('media.ad.podSecond=0');
      expect(preroll).toContain('media.ad.podFriendlyName=preroll');
      expect(ad1).toContain('media.ad.id=demo-preroll-1');
      expect(ad1).toContain('media.ad.podPosition=1');
      expect(ad1).toContain('media.ad.playerName=videojs-media-collection demo');
      expect(midroll).toContain('media.ad.podIndex=2');
      expect(midroll).toContain('media.ad.podFriendlyName=midroll');
      expect(ad2).toContain('media.ad.id=demo-midroll-1');
      expect(ad3).toContain('media.ad.id=demo-midroll-2');
      expect(ad3).toContain('media.ad.podPosition=2');
      expect(seen.some((row) => row.bad)).toBe(false);
      // The ad rows are marked as such.
      const marked = await page.$$eval('#timeline tbody tr', (trs) =>
        trs.filter((tr) => getComputedStyle(tr.firstElementChild!).boxShadow !== 'none').map((tr) => (tr as HTMLElement).dataset.event)
      );
      expect(marked).toEqual(all.map((row) => row.event).filter((event) => event.startsWith('ad')));
      await expect.poll(() => page.locator('#ad-status').textContent(), poll).toBe('no ad break (last: midroll)');
      await expect.poll(() => page.locator('#summary').textContent(), poll).toContain('All requests valid, no sequence violations');

      // To the end of the 30 s clip: the report counts one content start and one complete, the
      // content's time close to its length, and the ads' time (2 s, 2 s and 1 s before the skip) apart.
      await waitForRows(page, (r) => r.find((row) => row.event === 'sessionComplete'), 'the sessionComplete', 60000);
      const sid = seen[0].sid;
      const scope = (await page.locator('#scope').textContent())!;
      const response = await fetch(`${demo.emulatorUrl}/__emulator/scopes/${scope}/report?sid=${sid}`);
      expect(response.status).toBe(200);
      const report = await response.json();
      expect(report.sessions).toHaveLength(1);
      expect(report.sessions[0].state).toBe('complete');
      const figures = Object.fromEntries(report.sessions[0].metrics.map((m: { name: string; value: number }) => [m.name, m.value]));
      expect(figures).toMatchObject({
        'Media starts': 1,
        'Content starts': 1,
        'Content completes': 1,
        'Ad breaks': 2,
        'Ad starts': 3,
        'Ad completes': 2,
        'Chapter starts': 3,
        'Chapter completes': 3,
        'Error events': 0
      });
      const times = `content ${figures['Content time spent']} s, ads ${figures['Ad time spent']} s, media ${figures['Media time spent']} s`;
      expect(Math.abs(figures['Content time spent'] - 30), times).toBeLessThan(2);
      expect(Math.abs(figures['Ad time spent'] - 5), times).toBeLessThan(1.5);
      expect(Math.abs(figures['Media time spent'] - figures['Content time spent'] - figures['Ad time spent']), times).toBeLessThan(0.01);

      // The page shows the same report, and draws the session: two breaks, three ads, three chapters.
      const card = page.locator(`#report .session-report[data-sid="${sid}"]`);
      const shown = (name: string) => card.locator(`.metric[data-name="${name}"] .metric-value`).textContent();
      await expect.poll(() => shown('Content completes'), poll).toBe('1');
      expect(await shown('Content starts')).toBe('1');
      expect(await shown('Content time spent')).toBe(`${(Math.round(figures['Content time spent'] * 10) / 10).toFixed(1)} s`);
      expect(await shown('Ad time spent')).toBe(`${(Math.round(figures['Ad time spent'] * 10) / 10).toFixed(1)} s`);
      expect(await card.locator('svg.band .break-bracket').count()).toBe(2);
      expect(await card.locator('svg.band .ad-outline').count()).toBe(3);
      expect(await card.locator('svg.band rect.chapter').count()).toBe(3);
      expect(await card.locator('svg.band rect.span-content').count()).toBeGreaterThan(0);
      expect(await card.locator('svg.band .mark-bad').count()).toBe(0);
      expect(console).toEqual([]);
    } finally {
      await context.close();
      await demo.close();
    }
  }, 150000);

  it('on the Edge path with the Web SDK stand-in: the viewing is valid, its ECID in identityMap, its events at the location hint', async () => {
    const demo = await startDemo({ port: 0, apiPort: 0 });
    const { context, page, console } = await open();
    try {
      await page.goto(`${demo.url}?path=edge&identity=web-sdk`);
      await expect.poll(() => page.locator('#fault-status').textContent(), poll).toMatch(/^Applied: /);
      expect(await page.getByLabel('Edge Network (Media Edge API)').isChecked()).toBe(true);
      expect(await page.getByLabel('Web SDK (stand-in)').isChecked()).toBe(true);
      const scope = (await page.locator('#scope').textContent())!;
      const ecid = (await page.locator('#identity-ecid').textContent())!;
      expect(ecid).toMatch(/^\d{38}$/);

      // A short viewing: play, then on near the end of the 30 s clip, which plays out.
      await expect.poll(() => run(page, "videojs.getPlayer('demo-player').readyState()"), poll).toBeGreaterThan(0);
      await run(page, "videojs.getPlayer('demo-player').play()");
      await waitForRows(page, (r) => r.find((row) => row.event === 'play'), 'play');
      await run(page, "videojs.getPlayer('demo-player').currentTime(27)");
      await waitForRows(page, (r) => r.find((row) => row.event === 'sessionComplete'), 'the sessionComplete', 30000);
      // The timeline shows the XDM: the media's session details and the ECID.
      const start = (await rows(page)).find((row) => row.event === 'sessionStart')!;
      expect(start.status).toBe(200);
      expect(start.text).toContain('sessionDetails.friendlyName=Demo VOD (MP4, 30 s)');
      expect(start.text).toContain(`identityMap.ECID=${ecid}`);

      const records: EdgeRecord[] = (await (await fetch(`${demo.emulatorUrl}/__emulator/scopes/${scope}/requests`)).json()).records;
      const described = records.map((r) => `${r.n} ${r.eventType} ${r.status} ${r.path}`);
      expect(
        records.filter((r) => r.api !== 'edge' || r.configId !== 'demo-datastream' || r.status >= 300).length,
        described.join('\n')
      ).toBe(0);
      expect(records.flatMap((r) => [...r.errors, ...r.violations])).toEqual([]);
      const [first, ...rest] = records;
      expect(first.eventType).toBe('sessionStart');
      expect(first.path).toBe(`/p/${scope}/ee/va/v1/sessionStart`);
      expect(first.body.events[0].xdm.identityMap).toEqual({ ECID: [{ id: ecid, authenticatedState: 'ambiguous' }] });
      // Every later request went to the location hint of the sessionStart's answer (the emulator's `emu1`).
      expect(rest.map((r) => r.eventType)).toEqual(expect.arrayContaining(['play', 'sessionComplete']));
      expect(rest.filter((r) => !r.path.startsWith(`/p/${scope}/ee/emu1/va/v1/`)).map((r) => r.path)).toEqual([]);

      // The emulator's report, and the page's, count the viewing.
      const report = await (await fetch(`${demo.emulatorUrl}/__emulator/scopes/${scope}/report?sid=${first.sid}`)).json();
      expect(report.sessions[0].state).toBe('complete');
      const figures = Object.fromEntries(report.sessions[0].metrics.map((m: { name: string; value: number }) => [m.name, m.value]));
      expect(figures).toMatchObject({ 'Media starts': 1, 'Content starts': 1, 'Content completes': 1, 'Error events': 0 });
      const card = page.locator(`#report .session-report[data-sid="${first.sid}"]`);
      await expect.poll(() => card.locator('.metric[data-name="Content completes"] .metric-value').textContent(), poll).toBe('1');
      expect(await card.locator('summary strong').textContent()).toBe('Demo VOD (MP4, 30 s)');
      await expect.poll(() => page.locator('#summary').textContent(), poll).toContain('All requests valid, no sequence violations');
      // No warning either: the page gives no Analytics params on the Edge.
      expect(console).toEqual([]);
    } finally {
      await context.close();
      await demo.close();
    }
  }, 90000);

  it.each([
    ['a plain <video> with hls.js, on the Media Collection API', '?player=html5&media=hls&path=media-collection', 'HTML5'],
    ['a Video.js 10 <hls-video>, on the Edge Network', '?player=videojs10&media=hls&path=edge', 'Video.js 10']
  ])(
    'tracks %s on the page without video.js, every request valid',
    async (_, query, playerName) => {
      const demo = await startDemo({ port: 0, apiPort: 0 });
      const { context, page, console } = await open();
      try {
        await page.goto(`${demo.url}demo/element.html${query}`);
        await expect.poll(() => page.locator('#scope').textContent(), poll).toMatch(/^el-/);
        const scope = (await page.locator('#scope').textContent())!;
        const requests = async () => (await (await fetch(`${demo.emulatorUrl}/__emulator/scopes/${scope}/requests`)).json()).records;
        await expect.poll(() => run(page, 'typeof window.tracker'), poll).toBe('object');
        await run(page, "document.querySelector('video, hls-video').play()");
        await expect.poll(async () => (await requests()).map((r: { eventType: string }) => r.eventType), poll).toContain('play');
        await expect.poll(() => page.locator('#session-id').textContent(), poll).not.toBe('none');
        await run(page, 'window.tracker.dispose()');
        await expect.poll(async () => (await requests()).map((r: { eventType: string }) => r.eventType), poll).toContain('sessionEnd');
        const records = await requests();
        expect(records.flatMap((r: EdgeRecord) => [...r.errors, ...r.violations])).toEqual([]);
        expect(records.filter((r: EdgeRecord) => r.status >= 300)).toEqual([]);
        const start = records[0];
        const name = start.api === 'edge' ? start.body.events[0].xdm.mediaCollection : start.body.params;
        expect(JSON.stringify(name)).toContain(playerName);
        expect(console).toEqual([]);
      } finally {
        await context.close();
        await demo.close();
      }
    },
    60000
  );

  it('hides the knobs and the timeline for a real collection host, and sends nothing', async () => {
    const endpoint = 'https://collect.example.com';
    const demo = await startDemo({ port: 0, endpoint });
    const { context, page, console } = await open();
    const local = new URL(demo.url).host;
    const away: string[] = [];
    // Nothing may leave the machine: any request elsewhere is noted and refused.
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).host === local) return route.continue();
      away.push(route.request().url());
      return route.abort();
    });
    try {
      await page.goto(demo.url);
      await page.locator('#real-host').waitFor({ state: 'visible', timeout: 20000 });
      expect(await page.locator('#real-endpoint').textContent()).toBe(endpoint);
      expect(await page.locator('#faults').isVisible()).toBe(false);
      expect(await page.locator('#timeline-box').isVisible()).toBe(false);
      expect(await page.locator('#clear').isVisible()).toBe(false);
      // The player and the plugin are set up, the media loaded, and no session opened.
      await expect.poll(() => run(page, "videojs.getPlayer('demo-player').readyState()"), poll).toBeGreaterThan(0);
      expect(await run(page, "videojs.getPlayer('demo-player').mediaCollection().sessionId")).toBeNull();
      expect(await page.locator('#session-id').textContent()).toBe('none');
      expect(away).toEqual([]);
      expect(console).toEqual([]);
    } finally {
      await context.close();
      await demo.close();
    }
  });
});
