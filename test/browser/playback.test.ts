// The built plugin in a real browser, playing the sample media, against the emulator: every
// test asserts the exact event sequence the API accepted, and that it saw no invalid request
// and no broken sequence rule. All of it runs in Chromium; the scenarios where engines differ
// (those declared with `it`) run in Firefox and WebKit too.
import { describe, expect, it } from 'vitest';
import {
  ENGINE,
  accepted,
  describeChromium,
  describeOnce,
  expectClean,
  itChromium,
  itOnce,
  media,
  useHarness,
  waitFor,
  waitForEvents,
  type TestPage,
  run
} from './harness';

const harness = useHarness();

/** Opens the fixture page and makes one player with the plugin on `file`. */
async function player(file = 'short.mp4', playerOptions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, clock = false) {
  const page = await harness.open('test/fixture.html', { clock });
  await page.driver.evaluate(
    ([options, pluginOptions, src]) => {
      (window as any).player = (window as any).makePlayer('p1', options, pluginOptions, src);
    },
    [playerOptions, page.options(extra), media(harness, file)] as const
  );
  return page;
}

/**
 * Moves the page clock 10 s at a time until `count` pings have arrived. Time moves in steps,
 * as it does for a viewer: one jump of minutes would also time out the requests in flight.
 */
async function tickPings(page: TestPage, count: number) {
  let records = page.records();
  for (let i = 1; i <= count; i++) {
    await page.page.clock.runFor(10000);
    records = await waitFor(page, (r) => r.filter((x) => x.eventType === 'ping').length >= i, `ping ${i}`);
  }
  return records;
}

describe(`main content in ${ENGINE}`, () => {
  it('plays a VOD to its end and exposes the session id', async () => {
    const page = await player();
    await run(page, 'player.play()');
    const open = await waitForEvents(page, ['play']);
    expect(await run(page, 'player.mediaCollection().sessionId')).toBe(open[1].sid);
    const records = await waitForEvents(page, ['sessionComplete']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionComplete']);
    expect(await run(page, 'player.mediaCollection().sessionId')).toBeNull();
    const start = records[0];
    expect(start.body.params).toMatchObject({
      'media.id': media(harness, 'short.mp4'),
      'media.contentType': 'vod',
      'media.streamType': 'video',
      'media.playerName': 'e2e',
      'media.channel': 'browser-tests'
    });
    expect(start.body.params!['media.length']).toBeCloseTo(6, 0);
    const sid = records[1].sid;
    expect(sid).toMatch(/^[0-9a-f]{64}$/);
    const events = (await run(page, 'window.events')) as Array<{ type: string; data: unknown }>;
    expect(events).toEqual([
      { id: 'p1', type: 'mediacollection:sessionstart', data: { sessionId: sid } },
      { id: 'p1', type: 'mediacollection:sessionend', data: { sessionId: sid, reason: 'complete' } }
    ]);
    expectClean(page, records);
    await page.close();
  });

  it('reports a pause and the resume', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, 'player.pause()');
    await waitForEvents(page, ['pauseStart']);
    await run(page, 'player.play()');
    await waitForEvents(page, ['pauseStart', 'play']);
    await run(page, 'player.dispose()');
    const records = await waitForEvents(page, ['sessionEnd']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'play', 'sessionEnd']);
    expectClean(page, records);
    await page.close();
  });

  it('reports a seek, and a scrub of many seeks, as one pauseStart and one play each', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, 'player.currentTime(12)');
    await waitForEvents(page, ['pauseStart', 'play']);
    await run(
      page,
      `new Promise((done) => {
        let t = 2;
        const step = () => { player.currentTime(t); t += 2; if (t < 20) setTimeout(step, 40); else done(); };
        step();
      })`
    );
    const records = await waitForEvents(page, ['pauseStart', 'play', 'pauseStart', 'play']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'play', 'pauseStart', 'play']);
    const seekPlay = records.filter((r) => r.eventType === 'play')[1];
    expect(seekPlay.playhead).toBeGreaterThanOrEqual(12);
    expectClean(page, records);
    await page.close();
  });

  it('reports stalls of slowly served media as bufferStart then play', async () => {
    // 176 kB at 12 kB/s: the 6 s clip arrives slower than it plays, so it stalls until the
    // player is disposed after the first recovery (another stall may have begun by then).
    const page = await player('short.mp4?throttle=12000');
    await run(page, 'player.play()');
    await waitForEvents(page, ['bufferStart', 'play'], 30000);
    await run(page, 'player.dispose()');
    const records = await waitForEvents(page, ['sessionEnd']);
    expect(accepted(records).join(' ')).toMatch(/^sessionStart play (bufferStart play )+(bufferStart )?sessionEnd$/);
    expectClean(page, records);
    await page.close();
  });

  itChromium('waits for the duration with preload none and keeps the ts of play', async () => {
    const page = await player('short.mp4', { preload: 'none' });
    const before = (await run(page, 'Date.now()')) as number;
    await run(page, 'player.play()');
    const records = await waitForEvents(page, ['play']);
    expect(accepted(records)).toEqual(['sessionStart', 'play']);
    expect(records[0].body.params!['media.length']).toBeCloseTo(6, 0);
    expect(records[0].ts).toBeGreaterThanOrEqual(before);
    expect(records[0].ts).toBeLessThan(records[1].ts);
    expectClean(page, records);
    await page.close();
  });

  itChromium(
    'plays live HLS as live content with the second of the day as playhead',
    async () => {
      const page = await player('live/master.m3u8');
      await run(page, "player.src({ src: player.currentSrc(), type: 'application/x-mpegURL' }); player.play()");
      const records = await waitForEvents(page, ['play'], 30000);
      expect(records[0].body.params).toMatchObject({ 'media.contentType': 'live', 'media.length': 86400 });
      const start = records.find((r) => r.eventType === 'sessionStart')!;
      expect(start.playhead).toBe(Math.floor((start.ts % 86400000) / 1000));
      expectClean(page, records);
      await page.close();
    },
    45000
  );
});

describeOnce('time in Chromium (the page clock moved by Playwright)', () => {
  it('pings every 10 s while paused, with the playhead where the pause began', async () => {
    const page = await player('vod.mp4', {}, {}, true);
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, 'player.pause()');
    await waitForEvents(page, ['pauseStart']);
    const records = await tickPings(page, 3);
    const pause = records.find((r) => r.eventType === 'pauseStart')!;
    const pings = records.filter((r) => r.eventType === 'ping');
    expect(pings.map((r) => r.playhead)).toEqual(pings.map(() => pause.playhead));
    expect(pings.every((r) => !('params' in r.body))).toBe(true);
    expectClean(page, records);
    await page.close();
  });

  it('ends an idle session and resumes it with media.resume when playback goes on', async () => {
    const page = await player('vod.mp4', {}, { idleTimeout: 60 }, true);
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, 'player.pause()');
    await waitForEvents(page, ['pauseStart']);
    await tickPings(page, 5);
    await page.page.clock.runFor(10000);
    await waitForEvents(page, ['pauseStart', 'sessionEnd']);
    await run(page, 'player.play()');
    const records = await waitForEvents(page, ['sessionEnd', 'sessionStart', 'play']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'sessionEnd', 'sessionStart', 'play']);
    const resumed = records.filter((r) => r.eventType === 'sessionStart')[1];
    expect(resumed.body.params!['media.resume']).toBe(true);
    expect(resumed.playhead).toBeCloseTo(records.find((r) => r.eventType === 'pauseStart')!.playhead, 0);
    expectClean(page, records);
    await page.close();
  });
});

describe(`consent in ${ENGINE}`, () => {
  it('sends nothing while consent is pending, the kept events with their ts once granted, and nothing after a denial', async () => {
    const page = await player('vod.mp4', {}, { consentPending: true });
    // Every fetch the page makes from now on is counted, so that "nothing was sent" needs no wait.
    await run(page, 'window.fetches = 0; const f = window.fetch; window.fetch = (...a) => (window.fetches++, f(...a));');
    await run(page, 'player.play()');
    await page.driver.waitForFunction('player.currentTime() > 0');
    await run(page, 'player.pause()');
    await page.driver.waitForFunction('player.paused()');
    expect(await run(page, 'window.fetches')).toBe(0);
    const granted = (await run(page, 'Date.now()')) as number;
    await run(page, "player.mediaCollection().setConsent('granted')");
    const records = await waitForEvents(page, ['sessionStart', 'play', 'pauseStart']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart']);
    expect(records.every((r) => r.ts < granted)).toBe(true);
    expectClean(page, records);
    const before = (await run(page, 'window.fetches')) as number;
    await run(page, "player.mediaCollection().setConsent('denied')");
    await run(page, 'player.play()');
    await page.driver.waitForFunction('!player.paused() && player.currentTime() > 0');
    await run(page, "window.dispatchEvent(new Event('pagehide'))");
    expect(await run(page, 'window.fetches')).toBe(before);
    await page.close();
  });
});

describeOnce('consent and pings in Chromium', () => {
  it('keeps a viewing in the page while consent is pending, sends it with its original ts once granted, and nothing after a denial', async () => {
    const page = await player('vod.mp4', {}, { consentPending: true }, true);
    // Every fetch the page makes from now on is counted, so that "nothing was sent" needs no wait.
    await run(page, 'window.fetches = 0; const f = window.fetch; window.fetch = (...a) => (window.fetches++, f(...a));');
    await run(page, 'player.play()');
    await page.page.waitForFunction(() => (window as any).player.currentTime() > 0);
    await run(page, 'player.pause()');
    await page.page.clock.runFor(20000);
    expect(await run(page, 'window.fetches')).toBe(0);
    const granted = (await run(page, 'Date.now()')) as number;

    await run(page, "player.mediaCollection().setConsent('granted')");
    const records = await waitFor(page, (r) => r.filter((x) => x.eventType === 'ping').length >= 2, 'the two pings kept');
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart']);
    // Sent after the grant, with the times they happened at.
    expect(records.every((r) => r.ts < granted)).toBe(true);
    expect(records.filter((r) => r.eventType === 'ping').map((r) => r.playhead)).toEqual([
      records.find((r) => r.eventType === 'pauseStart')!.playhead,
      records.find((r) => r.eventType === 'pauseStart')!.playhead
    ]);
    expectClean(page, records);

    const before = (await run(page, 'window.fetches')) as number;
    await run(page, "player.mediaCollection().setConsent('denied')");
    await run(page, 'player.play()');
    await page.page.clock.runFor(30000);
    await run(page, "window.dispatchEvent(new Event('pagehide'))");
    expect(await run(page, 'window.fetches')).toBe(before);
    await page.close();
  });
});

describeOnce('delivery in Chromium', () => {
  it('queues what happens before a slow 201 and sends it in order with the original ts', async () => {
    const page = await player('vod.mp4');
    page.faults({ slowStart: 2500 });
    // play() resolves once playback runs, long before the 201 comes.
    await run(page, 'player.play()');
    await run(page, 'player.pause()');
    await run(page, 'player.play()');
    // The emulator records sessionStart as it arrives (on a busy machine, after play() resolved);
    // nothing else may follow it before its slow 201.
    const early = await waitFor(page, (r) => r.length > 0, 'sessionStart');
    expect(early.map((r) => r.eventType)).toEqual(['sessionStart']);
    const records = await waitForEvents(page, ['play', 'pauseStart', 'play']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'play']);
    const ts = records.map((r) => r.ts);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expectClean(page, records);
    await page.close();
  });

  it('delivers every event once, in order, through a share of 5xx answers', async () => {
    const page = await player();
    page.faults({ errorRate: 0.5, seed: 7 });
    await run(page, 'player.play()');
    const records = await waitForEvents(page, ['sessionComplete'], 40000);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionComplete']);
    expect(records.some((r) => r.status >= 500)).toBe(true);
    expectClean(page, records);
    await page.close();
  }, 60000);

  it('resumes in a new session after a 410, re-sending the playback state', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    const first = await waitForEvents(page, ['play']);
    // The next event after those the first session has (states included) is answered 410;
    // the resumed session re-sends as many before the test turns the fault off.
    page.faults({ goneAfter: first.filter((r) => r.status === 204).length });
    await run(page, 'player.pause()');
    await waitFor(page, (r) => accepted(r).join() === 'sessionStart,play,sessionStart,pauseStart', 'a resumed session');
    page.faults({ goneAfter: 0 });
    await run(page, 'player.play()');
    const records = await waitForEvents(page, ['sessionStart', 'pauseStart', 'play']);
    expect(records.filter((r) => r.status === 410).map((r) => r.eventType)).toEqual(['pauseStart']);
    const starts = records.filter((r) => r.eventType === 'sessionStart');
    expect(starts[1].body.params!['media.resume']).toBe(true);
    const sids = new Set(records.filter((r) => r.status === 204).map((r) => r.sid));
    expect(sids.size).toBe(2);
    expect(await run(page, 'player.mediaCollection().sessionId')).toBe(records.at(-1)!.sid);
    expectClean(page, records);
    await page.close();
  });
});

describe(`leaving in ${ENGINE}`, () => {
  itChromium('ends the session on a new source and starts another for the new media', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, `player.src(${JSON.stringify(media(harness, 'short.mp4'))}); player.play()`);
    const records = await waitForEvents(page, ['sessionEnd', 'sessionStart', 'play']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionEnd', 'sessionStart', 'play']);
    const starts = records.filter((r) => r.eventType === 'sessionStart');
    expect(starts.map((r) => r.body.params!['media.id'])).toEqual([media(harness, 'vod.mp4'), media(harness, 'short.mp4')]);
    expectClean(page, records);
    await page.close();
  });

  itChromium('keeps the session through an error when the site loads the same source again and it plays', async () => {
    // The media server answers the source's first request with a 503: a real MediaError. The
    // delay lets the viewer's play come first, so that the error falls in the session.
    const src = `${media(harness, 'short.mp4')}?failOnce=${Math.random()}&delay=1000`;
    const page = await harness.open('test/fixture.html');
    await page.driver.evaluate(
      ([options, src]) => {
        const player = ((window as any).player = (window as any).makePlayer('p1', {}, options, null));
        player.src(src);
        player.play().catch(() => {});
      },
      [page.options(), src] as const
    );
    await waitFor(page, (r) => r.some((x) => x.eventType === 'error'), 'the error');
    // The site retries the same source, as VHS's reload-on-error or a retry button would.
    await run(page, `player.error(null); player.src(${JSON.stringify(src)}); player.play()`);
    const records = await waitForEvents(page, ['sessionComplete']);
    // Chromium pauses the element that failed: that pause is the error's, not the viewer's.
    expect(accepted(records)).toEqual(['sessionStart', 'error', 'play', 'sessionComplete']);
    expect(new Set(records.map((r) => r.sid)).size).toBe(1);
    const error = records.find((r) => r.eventType === 'error')!;
    expect(error.body.qoeData).toMatchObject({ 'media.qoe.errorSource': 'player' });
    // The id of the media has no query: the same asset whatever the URL's token.
    expect(records[0].body.params!['media.id']).toBe(media(harness, 'short.mp4'));
    expect(page.console).toEqual([expect.stringMatching(/^VIDEOJS: ERROR: \(CODE:4 MEDIA_ERR_SRC_NOT_SUPPORTED\)/)]);
    page.console.length = 0;
    expectClean(page, records);
    await page.close();
  });

  it('ends the session when the player is disposed', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, 'player.dispose()');
    const records = await waitForEvents(page, ['sessionEnd']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionEnd']);
    expectClean(page, records);
    await page.close();
  });

  it('gets sessionEnd to the API when the viewer leaves for another page, and a new session after coming back', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await run(page, "window.addEventListener('pagehide', (e) => sessionStorage.setItem('left', String(e.persisted)))");
    // A plain text document of the same origin: nothing on it logs or keeps the page from the bfcache.
    await page.driver.goto(media(harness, 'captions.vtt'));
    await waitForEvents(page, ['sessionEnd']);
    await page.driver.back();
    // Restored from the bfcache, the page keeps its player; loaded anew, it has none.
    const restored = (await run(page, "typeof window.player === 'object'")) as boolean;
    console.log(
      `${ENGINE}: pagehide persisted=${await run(page, "sessionStorage.getItem('left')")}, restored from the bfcache: ${restored}`
    );
    if (restored) {
      // The session ended at pagehide; playing on opens a new one (WebKit brings the element back
      // playing, and it may buffer first).
      await run(page, 'player.play()');
      const records = await waitFor(
        page,
        (r) => accepted(r).lastIndexOf('sessionStart') > 0 && accepted(r).at(-1) === 'play',
        'a new session and its play'
      );
      expect(accepted(records).slice(0, 3)).toEqual(['sessionStart', 'play', 'sessionEnd']);
      expect(accepted(records).slice(3).join(' ')).toMatch(/^sessionStart (bufferStart )?play$/);
      expect(new Set(records.filter((r) => r.status < 300).map((r) => r.sid)).size).toBe(2);
      expectClean(page, records);
    } else {
      expect(accepted(page.records())).toEqual(['sessionStart', 'play', 'sessionEnd']);
      expectClean(page);
    }
    await page.close();
  });

  // Firefox closes ten tabs on each path in page-close.test.ts.
  it('gets sessionEnd to the API when the page is closed', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    await page.closeTab();
    const records = await waitForEvents(page, ['sessionEnd']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionEnd']);
    expectClean(page, records);
    await page.close();
  });
});

describeChromium('setup in Chromium', () => {
  itOnce('keeps playing with invalid options and logs one clear error', async () => {
    const page = await player('short.mp4', {}, { endpoint: 'http://collect.example.com' });
    await run(page, 'player.play()');
    // It plays on: a second of the clip goes by.
    await run(page, 'new Promise((done) => player.on("timeupdate", () => player.currentTime() > 1 && done()))');
    expect(page.records()).toEqual([]);
    expect(page.console).toEqual([expect.stringContaining('endpoint must be an https: URL')]);
    const events = (await run(page, 'window.events')) as Array<{ type: string; data: { code: string } }>;
    expect(events.map((e) => [e.type, e.data.code])).toEqual([['mediacollection:error', 'invalid-options']]);
    await page.close();
  });

  it('works when configured through data-setup alone', async () => {
    const probe = await harness.open();
    const setup = JSON.stringify({ muted: true, plugins: { mediaCollection: probe.options() } });
    await probe.page.goto(
      new URL(
        `test/data-setup.html?setup=${encodeURIComponent(setup)}&src=${encodeURIComponent(media(harness, 'short.mp4'))}`,
        harness.base
      ).href
    );
    // video.js sets the player up from data-setup at load; the viewer then presses play (autoplay
    // proved unreliable on a loaded machine, and is not what this test is about).
    await probe.page.waitForFunction(() => (window as any).videojs?.getPlayer('player'));
    await probe.page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          (window as any).videojs.getPlayer('player').ready(function (this: any) {
            this.play();
            resolve();
          })
        )
    );
    const records = await waitForEvents(probe, ['sessionComplete']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionComplete']);
    expectClean(probe, records);
    await probe.close();
  });

  itOnce('keeps two players on one page in separate sessions', async () => {
    const page = await harness.open();
    await page.page.evaluate(
      ([options, a, b]) => {
        (window as any).a = (window as any).makePlayer('a', {}, options, a);
        (window as any).b = (window as any).makePlayer('b', {}, options, b);
      },
      [page.options(), media(harness, 'short.mp4'), media(harness, 'vod.mp4')] as const
    );
    await run(page, 'a.play(); b.play()');
    const records = await waitFor(page, (r) => r.filter((x) => x.eventType === 'play' && x.status === 204).length === 2, 'two plays');
    const sids = records.filter((r) => r.eventType === 'play').map((r) => r.sid);
    expect(new Set(sids).size).toBe(2);
    expect(await run(page, '[a.mediaCollection().sessionId, b.mediaCollection().sessionId].sort()')).toEqual([...sids].sort());
    expectClean(page, records);
    await page.close();
  });
});
