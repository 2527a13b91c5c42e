// Quality data of the built plugin in real Chromium and Firefox, against the emulator. Not in project
// browser-vjs7: video.js 7 has no player.qualityLevels() without the separate
// videojs-contrib-quality-levels plugin, which the test page does not load (the unit tests cover
// a video.js 7 player without quality levels; playback.test.ts plays HLS on 7).
import { describe, expect, it } from 'vitest';
import { ENGINE, accepted, expectClean, playerPage, useHarness, waitFor, waitForEvents, run } from './harness';

const harness = useHarness();

const player = (file: string, type?: string) => playerPage(harness, file, type);
/** A rendition's bitrate (bits per second, from its BANDWIDTH) as the plugin sends it. */
const kbps = (bps: number) => Math.round(bps / 1000);

describe(`quality in ${ENGINE}`, () => {
  it('reports a forced HLS rendition switch as bitrateChange with the new bitrate in kbps', async () => {
    const page = await player('hls/master.m3u8', 'application/x-mpegURL');
    await run(page, 'player.play()');
    let records = await waitForEvents(page, ['play'], 20000);
    const levels = (await run(
      page,
      `(() => {
        const levels = player.qualityLevels();
        const all = [];
        for (let i = 0; i < levels.length; i++) all.push({ height: levels[i].height, bitrate: levels[i].bitrate });
        return { all, selected: levels.selectedIndex };
      })()`
    )) as { all: Array<{ height: number; bitrate: number }>; selected: number };
    expect(levels.all.length).toBe(2);
    expect(levels.selected).toBeGreaterThanOrEqual(0);
    const playing = levels.all[levels.selected];
    const other = levels.all[1 - levels.selected];
    expect(other.bitrate).not.toBe(playing.bitrate);

    await run(
      page,
      `(() => {
        const levels = player.qualityLevels();
        for (let i = 0; i < levels.length; i++) levels[i].enabled = levels[i].height === ${other.height};
      })()`
    );
    records = await waitFor(
      page,
      (r) =>
        r.some((x) => x.eventType === 'bitrateChange' && x.status < 300 && x.body.qoeData?.['media.qoe.bitrate'] === kbps(other.bitrate)),
      `bitrateChange to ${kbps(other.bitrate)} kbps`,
      20000
    );
    const change = records.find((x) => x.eventType === 'bitrateChange' && x.body.qoeData?.['media.qoe.bitrate'] === kbps(other.bitrate))!;
    const rate = change.body.qoeData!['media.qoe.bitrate'] as number;
    expect(Number.isInteger(rate)).toBe(true);
    // In kbps, as Adobe's reports read it: the variants' BANDWIDTH is about 215 and 442 kbit/s.
    expect(rate).toBeGreaterThan(100);
    expect(rate).toBeLessThan(1000);
    const firstPlay = records.find((x) => x.eventType === 'play')!;
    const before = firstPlay.body.qoeData?.['media.qoe.bitrate'];
    if (before !== undefined) {
      expect(before).toBe(kbps(playing.bitrate));
      expect(rate).not.toBe(before);
    }
    expect(accepted(records)).toEqual(['sessionStart', 'play']);
    expectClean(page, records);
    await page.close();
  }, 45000);
});
