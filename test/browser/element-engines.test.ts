// trackMedia with an engine and on Video.js 10 (@videojs/html 10.0.0-beta.23, its cdn/ builds), in
// Chromium: hls.js's bitrate in kbps on a plain <video>, a Video.js 10 player through a viewing,
// a new source and its removal, and a Video.js 10 <hls-video> whose engine is found by itself.
import { expect, it } from 'vitest';
import { accepted, describeChromium, expectClean, media, run, useHarness, waitFor, waitForEvents, type ApiRecord } from './harness';

const harness = useHarness();

/** The bitrate each bitrateChange carried (kbps). */
const bitrates = (records: ApiRecord[]) =>
  records.filter((r) => r.eventType === 'bitrateChange' && r.status < 300).map((r) => r.body.qoeData?.['media.qoe.bitrate']);

/** The sample HLS VOD's renditions, as hls.js reads them from its manifest (bps). */
const LEVELS = 'hls.levels.map((level) => level.bitrate)';

describeChromium('trackMedia with engines and Video.js 10 in Chromium', () => {
  it('reports hls.js rendition switches on a plain <video> as bitrateChange in kbps, under the manifest URL', async () => {
    const page = await harness.open('test/element.html');
    const manifest = media(harness, 'hls/master.m3u8');
    await page.driver.evaluate(
      ([options, src]) => {
        (window as any).video = (window as any).makeMedia('video', options, src, true);
      },
      [page.options(), manifest] as const
    );
    await run(page, 'video.play()');
    await waitForEvents(page, ['play']);
    const levels: number[] = await run(page, LEVELS);
    // Forces the other rendition, as an ABR switch would.
    const other = await run(page, 'hls.currentLevel === 0 ? 1 : 0');
    await run(page, `hls.currentLevel = ${other}`);
    const records = await waitFor(page, (r) => bitrates(r).includes(Math.round(levels[other] / 1000)), 'the bitrate of the new rendition');
    expect(records[0].body.params?.['media.id']).toBe(manifest);
    await run(page, 'tracker.dispose()');
    const all = await waitForEvents(page, ['sessionEnd']);
    expectClean(page, all);
  });

  it('tracks a Video.js 10 player: a viewing, a new source in a new session with its own length, and the player removed', async () => {
    const page = await harness.open('test/vjs10.html');
    await page.driver.evaluate(([options, src]) => (window as any).makeV10('video', options, src), [
      page.options(),
      media(harness, 'short.mp4')
    ] as const);
    await run(page, 'media.play()');
    await waitForEvents(page, ['play']);
    await page.driver.waitForFunction('media.currentTime >= 1');
    // A new source on the same player: the session ends, and the next play starts one.
    await run(page, `media.src = ${JSON.stringify(media(harness, 'vod.mp4'))}; media.play()`);
    await waitFor(page, (r) => accepted(r).filter((type) => type === 'play').length === 2, 'the play of the new source');
    await run(page, 'player.remove()');
    const records = await waitFor(page, (r) => accepted(r).filter((type) => type === 'sessionEnd').length === 2, 'the second sessionEnd');
    // Chromium fires `waiting` on the old media as the new source loads (a stall before its end);
    // removed from the page, the <video> pauses before the player's end.
    expect(accepted(records).filter((type) => type !== 'bufferStart')).toEqual([
      'sessionStart',
      'play',
      'sessionEnd',
      'sessionStart',
      'play',
      'pauseStart',
      'sessionEnd'
    ]);
    const starts = records.filter((r) => r.eventType === 'sessionStart');
    expect(starts.map((r) => r.body.params?.['media.length'])).toEqual([6, 30]);
    expect(await run(page, 'window.events.filter((e) => e.type === "mediacollection:sessionend").map((e) => e.data.reason)')).toEqual([
      'source',
      'dispose'
    ]);
    expectClean(page, records);
  });

  it('reads the bitrate of a Video.js 10 <hls-video> from its own hls.js, in kbps', async () => {
    const page = await harness.open('test/vjs10.html');
    const manifest = media(harness, 'hls/master.m3u8');
    await page.driver.evaluate(([options, src]) => (window as any).makeV10('hls-video', options, src), [page.options(), manifest] as const);
    await run(page, 'media.play()');
    await waitForEvents(page, ['play']);
    const levels: number[] = await run(page, 'media.engine.levels.map((level) => level.bitrate)');
    const other = await run(page, 'media.engine.currentLevel === 0 ? 1 : 0');
    await run(page, `media.engine.currentLevel = ${other}`);
    const records = await waitFor(page, (r) => bitrates(r).includes(Math.round(levels[other] / 1000)), 'the bitrate of the new rendition');
    expect(records[0].body.params?.['media.id']).toBe(manifest);
    await run(page, 'tracker.dispose()');
    expectClean(page, await waitForEvents(page, ['sessionEnd']));
  });
});
