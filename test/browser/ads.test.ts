// Ads from videojs-contrib-ads in Chromium, against the emulator: the built plugin with
// contrib-ads and the local ad integration the demo uses (demo/page/local-ads.js), which plays
// short local clips (demo/media/ad-1.mp4, ad-2.mp4) in the content's element: no ad server.
// Each test asserts the exact accepted event sequence, the ad params (spec §6.4), the frozen
// content playhead during breaks (§4.6), and that the emulator saw no invalid request and no
// broken sequence rule (§3.2: nothing between adBreakStart and adStart, no play before a
// pre-roll, ad events only inside a break). Both set-up orders are covered: contrib-ads hides ad
// playback only from listeners added after its own, and the plugin must cope either way.
//
// contrib-ads 7.5 needs video.js 8 (it calls videojs.obj.merge, which video.js 7 lacks), so
// this file runs in the `browser` project only.
import { describe, expect, it } from 'vitest';
import {
  ONE_AD_BREAK,
  TWO_ADS_SECOND_SKIPPED,
  accepted,
  expectClean,
  media,
  useHarness,
  waitFor,
  waitForEvents,
  type ApiRecord,
  type TestPage,
  ok,
  run
} from './harness';

const harness = useHarness();

/** What localAds() plays: see demo/page/local-ads.js. */
interface Ad {
  id: string;
  src: string;
  skipAfter?: number;
}
interface Schedule {
  preroll?: Ad[];
  midroll?: { at: number; ads: Ad[] };
}

/**
 * The fixture page with contrib-ads and the local integration, and one player (global `player`)
 * on `file`: with `order` 'plugin-first' the plugin is set up before contrib-ads (which then
 * adds its listeners after the plugin's), with 'ads-first' after it, as contrib-ads asks.
 * Everything happens in one tick, before the first loadstart, as contrib-ads requires.
 */
async function adsPage(file: string, schedule: Schedule, order: 'plugin-first' | 'ads-first'): Promise<TestPage> {
  const page = await harness.open('test/fixture.html');
  await page.page.addScriptTag({ url: '/vendor/videojs-contrib-ads/videojs-contrib-ads.min.js' });
  await page.page.addScriptTag({ url: '/demo/local-ads.js' });
  await page.page.evaluate(
    ([pluginOptions, src, schedule, pluginFirst]) => {
      const w = window as any;
      const player = (w.player = w.makePlayer('p1', {}, pluginFirst ? pluginOptions : null, null));
      w.localAds(player, () => schedule);
      if (!pluginFirst) player.mediaCollection(pluginOptions);
      player.src(src);
    },
    [page.options(), media(harness, file), schedule, order === 'plugin-first'] as const
  );
  return page;
}

/** Waits until the player has the content's metadata. */
const metadata = (page: TestPage) => page.page.waitForFunction(() => (window as any).player.readyState() >= 1);
/** The viewer plays (once the content's metadata is there, unless `early`); waits for the content's end. */
async function playToEnd(page: TestPage, early = false): Promise<ApiRecord[]> {
  if (!early) await metadata(page);
  await run(page, 'player.play()');
  return waitForEvents(page, ['sessionComplete'], 30000);
}
const of = (records: ApiRecord[], type: string) => ok(records).filter((r) => r.eventType === type);
const between = (records: ApiRecord[], from: ApiRecord, to: ApiRecord) => ok(records).filter((r) => r.ts >= from.ts && r.ts <= to.ts);
/** The content's play after each break (the plays inside a break are the ads'). */
const contentPlays = (records: ApiRecord[]) =>
  of(records, 'adBreakComplete').map((done) => of(records, 'play').find((r) => r.ts > done.ts)!);

describe('ads from videojs-contrib-ads in Chromium', () => {
  it('reports a pre-roll before the content, the plugin set up before contrib-ads', async () => {
    const page = await adsPage('short.mp4', { preroll: [{ id: 'pre-1', src: media(harness, 'ad-1.mp4') }] }, 'plugin-first');
    // The viewer plays once the content's metadata is there (preload="auto"); see the next test
    // for a play before it.
    const records = await playToEnd(page);

    // The viewer's play is held by contrib-ads: the session opens with the break, and the
    // content's play only follows the pre-roll (no play before adStart, spec §3.2).
    expect(accepted(records)).toEqual(['sessionStart', ...ONE_AD_BREAK, 'sessionComplete']);
    expect(new Set(ok(records).map((r) => r.sid)).size).toBe(1);
    const [start] = of(records, 'sessionStart');
    // The content's length, not the ad's 2 s.
    expect(start.body.params!['media.length']).toBeCloseTo(6, 0);
    expect(start.body.params!['media.id']).toBe(media(harness, 'short.mp4'));
    expect(of(records, 'adBreakStart')[0].body.params).toEqual({
      'media.ad.podIndex': 1,
      'media.ad.podSecond': 0,
      'media.ad.podFriendlyName': 'preroll'
    });
    const [adStart] = of(records, 'adStart');
    const { 'media.ad.length': length, ...adParams } = adStart.body.params!;
    expect(adParams).toEqual({ 'media.ad.id': 'pre-1', 'media.ad.podPosition': 1, 'media.ad.playerName': 'e2e' });
    expect(length).toBeCloseTo(2, 1);
    // The ad really played (2 s), and its adComplete waited for the break's end.
    const [complete] = of(records, 'adComplete');
    const [breakComplete] = of(records, 'adBreakComplete');
    expect(complete.ts - adStart.ts).toBeGreaterThanOrEqual(1500);
    expect(breakComplete.ts - complete.ts).toBeLessThan(250);
    // The content playhead stands at 0 through the break, pings included (spec §4.6).
    const [breakStart] = of(records, 'adBreakStart');
    expect(between(records, start, breakComplete).map((r) => r.playhead)).toEqual(between(records, start, breakComplete).map(() => 0));
    // Then the content played from its start to its end.
    expect(of(records, 'play')[0].playhead).toBeLessThan(0.5);
    expect(of(records, 'sessionComplete')[0].playhead).toBeCloseTo(6, 0);
    expect(breakStart.ts).toBeGreaterThan(start.ts);
    expect(await run(page, 'player.currentSrc()')).toBe(media(harness, 'short.mp4'));
    expectClean(page, records);
    await page.close();
  });

  it('describes the content, not the pre-roll, when the viewer plays before the content has loaded', async () => {
    // contrib-ads never prefixes the first loadedmetadata of a player's life, even when it is
    // the pre-roll ad's: the session, which waits for a duration, must not take the ad's.
    const page = await adsPage('short.mp4', { preroll: [{ id: 'pre-1', src: media(harness, 'ad-1.mp4') }] }, 'ads-first');
    const records = await playToEnd(page, true);
    expect(accepted(records)).toEqual(['sessionStart', ...ONE_AD_BREAK, 'sessionComplete']);
    const [start] = of(records, 'sessionStart');
    expect(of(records, 'adStart')[0].body.params!['media.ad.id']).toBe('pre-1');
    expect(of(records, 'sessionComplete')[0].playhead).toBeCloseTo(6, 0);
    expect({ id: start.body.params!['media.id'], length: start.body.params!['media.length'] }).toEqual({
      id: media(harness, 'short.mp4'),
      length: 6
    });
    expectClean(page, records);
    await page.close();
  });

  it('reports a mid-roll of two ads, the second skipped, contrib-ads set up before the plugin', async () => {
    const page = await adsPage(
      'short.mp4',
      {
        midroll: {
          at: 3,
          ads: [
            { id: 'mid-1', src: media(harness, 'ad-1.mp4') },
            { id: 'mid-2', src: media(harness, 'ad-2.mp4'), skipAfter: 1 }
          ]
        }
      },
      'ads-first'
    );
    const records = await playToEnd(page, true);

    expect(accepted(records)).toEqual(['sessionStart', 'play', ...TWO_ADS_SECOND_SKIPPED, 'sessionComplete']);
    expect(new Set(ok(records).map((r) => r.sid)).size).toBe(1);
    const [breakStart] = of(records, 'adBreakStart');
    const { 'media.ad.podSecond': podSecond, ...podParams } = breakStart.body.params!;
    expect(podParams).toEqual({ 'media.ad.podIndex': 1, 'media.ad.podFriendlyName': 'midroll' });
    // The break starts at the first timeupdate past 3 s (they come every 250 ms or so).
    expect(podSecond).toBeGreaterThanOrEqual(3);
    expect(podSecond).toBeLessThan(3.6);
    const starts = of(records, 'adStart');
    expect(
      starts.map((r) => [r.body.params!['media.ad.id'], r.body.params!['media.ad.podPosition'], r.body.params!['media.ad.playerName']])
    ).toEqual([
      ['mid-1', 1, 'e2e'],
      ['mid-2', 2, 'e2e']
    ]);
    for (const r of starts) expect(r.body.params!['media.ad.length']).toBeCloseTo(2, 1);
    // The first ad played to its end (2 s), the second was skipped after 1 s of it.
    const [complete] = of(records, 'adComplete');
    const [skip] = of(records, 'adSkip');
    expect(complete.ts - starts[0].ts).toBeGreaterThanOrEqual(1500);
    // The adComplete waited until just before the next adStart.
    expect(starts[1].ts - complete.ts).toBeLessThan(250);
    expect(skip.ts - starts[1].ts).toBeGreaterThanOrEqual(700);
    expect(skip.ts - starts[1].ts).toBeLessThan(1900);
    // From the break's start to its end, pings included, the content playhead stands where the
    // break began (spec §4.6); the content then resumes there.
    const [breakComplete] = of(records, 'adBreakComplete');
    const inBreak = between(records, breakStart, breakComplete);
    expect(inBreak.map((r) => r.playhead)).toEqual(inBreak.map(() => podSecond));
    expect(of(records, 'sessionComplete')[0].playhead).toBeCloseTo(6, 0);
    expectClean(page, records);
    // The content's play after the break: where the break began, not the skipped ad's position
    // (the ad was still playing in the element when the integration ended the break).
    const [resumed] = contentPlays(records);
    expect(resumed.playhead).toBeGreaterThanOrEqual((podSecond as number) - 0.1);
    expect(resumed.playhead).toBeLessThan((podSecond as number) + 0.6);
    await page.close();
  });

  it('numbers the breaks of a media item: a pre-roll, then a mid-roll as podIndex 2', async () => {
    const page = await adsPage(
      'short.mp4',
      {
        preroll: [{ id: 'pre-1', src: media(harness, 'ad-1.mp4') }],
        midroll: { at: 2, ads: [{ id: 'mid-1', src: media(harness, 'ad-2.mp4') }] }
      },
      'plugin-first'
    );
    const records = await playToEnd(page);
    expect(accepted(records)).toEqual(['sessionStart', ...ONE_AD_BREAK, ...ONE_AD_BREAK, 'sessionComplete']);
    const breaks = of(records, 'adBreakStart').map((r) => r.body.params!);
    expect(breaks.map((p) => [p['media.ad.podIndex'], p['media.ad.podFriendlyName']])).toEqual([
      [1, 'preroll'],
      [2, 'midroll']
    ]);
    expect(breaks[0]['media.ad.podSecond']).toBe(0);
    expect(breaks[1]['media.ad.podSecond']).toBeGreaterThanOrEqual(2);
    // Positions count from 1 in each break.
    expect(of(records, 'adStart').map((r) => [r.body.params!['media.ad.id'], r.body.params!['media.ad.podPosition']])).toEqual([
      ['pre-1', 1],
      ['mid-1', 1]
    ]);
    // The content plays from 0 after the pre-roll and from where it stopped after the mid-roll.
    expect(contentPlays(records).map((r) => r.playhead)).toEqual([
      expect.closeTo(0, 0),
      expect.closeTo(breaks[1]['media.ad.podSecond'] as number, 0)
    ]);
    expectClean(page, records);
    await page.close();
  });

  it('keeps a skipped ad skipped when the integration also says it ended', async () => {
    const page = await adsPage(
      'short.mp4',
      { midroll: { at: 2, ads: [{ id: 'mid-1', src: media(harness, 'ad-1.mp4'), skipAfter: 1 }] } },
      'plugin-first'
    );
    // Some integrations trigger ads-ad-ended for every ad, skipped or not.
    await run(page, "player.on('ads-ad-skipped', () => player.trigger('ads-ad-ended'))");
    const records = await playToEnd(page);
    expect(accepted(records)).toEqual([
      'sessionStart',
      'play',
      'adBreakStart',
      'adStart',
      'play',
      'adSkip',
      'adBreakComplete',
      'play',
      'sessionComplete'
    ]);
    expectClean(page, records);
    await page.close();
  });

  it('reports a pause during an ad, and the paused state after the break the integration then ends', async () => {
    const page = await adsPage(
      'short.mp4',
      { midroll: { at: 2, ads: [{ id: 'mid-1', src: media(harness, 'ad-2.mp4') }] } },
      'plugin-first'
    );
    await metadata(page);
    await run(page, 'player.play()');
    await waitForEvents(page, ['adStart', 'play']);
    // The viewer pauses the ad (the element's pause comes as contrib-ads' adpause) and plays it again.
    await run(page, 'player.pause()');
    await waitForEvents(page, ['pauseStart']);
    await run(page, 'player.play()');
    await waitForEvents(page, ['pauseStart', 'play']);
    // Paused again, the ad is skipped by the integration, and contrib-ads restores the content.
    await run(page, 'player.pause()');
    await waitForEvents(page, ['pauseStart']);
    await run(page, "player.trigger('ads-ad-skipped'); player.ads.endLinearAdMode()");
    // contrib-ads may play the restored content by itself: the test plays it if it does not.
    await waitFor(page, (r) => accepted(r).join().includes('adSkip,adBreakComplete,pauseStart'), 'the paused state after the break');
    await run(page, 'player.play()');
    const records = await waitForEvents(page, ['sessionComplete'], 30000);
    expect(accepted(records)).toEqual([
      'sessionStart',
      'play',
      'adBreakStart',
      'adStart',
      'play',
      'pauseStart',
      'play',
      'pauseStart',
      'adSkip',
      'adBreakComplete',
      'pauseStart',
      'play',
      'sessionComplete'
    ]);
    // The content playhead stands where the break began until the content plays again.
    const [breakStart] = of(records, 'adBreakStart');
    const podSecond = breakStart.body.params!['media.ad.podSecond'] as number;
    const [resumed] = contentPlays(records);
    expect(
      between(records, breakStart, resumed)
        .slice(0, -1)
        .map((r) => r.playhead)
    ).toEqual(
      between(records, breakStart, resumed)
        .slice(0, -1)
        .map(() => podSecond)
    );
    expectClean(page, records);
    await page.close();
  });

  it('ends a break whose next clip cannot play and goes on with the same session', async () => {
    // The player's error during the break comes as contrib-ads' `aderror`: it must not end the
    // session (with the plugin set up first, its listeners must have moved behind contrib-ads').
    const page = await adsPage(
      'short.mp4',
      {
        midroll: {
          at: 2,
          ads: [
            { id: 'mid-1', src: media(harness, 'ad-1.mp4') },
            { id: 'mid-2', src: media(harness, 'missing.mp4') }
          ]
        }
      },
      'plugin-first'
    );
    const records = await playToEnd(page);
    // The second ad never started: the break holds the first one only.
    expect(accepted(records)).toEqual(['sessionStart', 'play', ...ONE_AD_BREAK, 'sessionComplete']);
    expect(new Set(ok(records).map((r) => r.sid)).size).toBe(1);
    expect(of(records, 'adStart').map((r) => r.body.params!['media.ad.id'])).toEqual(['mid-1']);
    expect(await run(page, 'player.error()')).toBeNull();
    // video.js and contrib-ads log the failed clip; nothing else may complain.
    expect(page.console).toEqual([
      expect.stringMatching(/^VIDEOJS: ERROR: \(CODE:4 MEDIA_ERR_SRC_NOT_SUPPORTED\)/),
      'VIDEOJS: ERROR: An error with Ads occured. Type: ads-midroll-error.'
    ]);
    page.console.length = 0;
    expectClean(page, records);
    await page.close();
  });

  it('reports plain content when contrib-ads is set up but the integration has no ad to play', async () => {
    const page = await adsPage('short.mp4', {}, 'plugin-first');
    const records = await playToEnd(page, true);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionComplete']);
    expect(of(records, 'sessionComplete')[0].playhead).toBeCloseTo(6, 0);
    expectClean(page, records);
    await page.close();
  });
});
