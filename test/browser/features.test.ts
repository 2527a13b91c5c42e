// Chapters, player states and quality data of the built plugin in a real browser, against the
// emulator: each test asserts the exact events it is about, and that the emulator saw no invalid
// request and no broken sequence rule. The player states and the quality data run in Firefox and
// WebKit too; chapters in Chromium only.
import { describe, expect, it } from 'vitest';
import {
  ENGINE,
  accepted,
  describeChromium,
  expectClean,
  media,
  playerPage,
  useHarness,
  waitFor,
  waitForEvents,
  type ApiRecord,
  ok,
  run
} from './harness';

const harness = useHarness();

const player = (file: string, type?: string, setup?: string) => playerPage(harness, file, type, setup);

const chapterEvents = (records: ApiRecord[]) => ok(records).filter((r) => /^chapter/.test(r.eventType));
const isChapterStart = (index: number) => (r: ApiRecord) =>
  r.eventType === 'chapterStart' && r.status < 300 && r.body.params?.['media.chapter.index'] === index;

/**
 * The accepted stateStart/stateEnd events as `type name`. `inFocus` is left out: whether the
 * headless page has focus (and keeps it) depends on the machine and on how many pages are open,
 * so its events come and go independently of what a test does.
 */
const stateEvents = (records: ApiRecord[]) =>
  ok(records)
    .filter((r) => /^state(Start|End)$/.test(r.eventType))
    .map((r) => `${r.eventType} ${r.body.params?.['media.state.name']}`)
    .filter((line) => !/ inFocus$/.test(line));

const hasState =
  (line: string, count = 1) =>
  (records: ApiRecord[]) =>
    stateEvents(records).filter((l) => l === line).length >= count;

describeChromium('chapters in Chromium', () => {
  it('reports a chapter played to its end as complete and one left by a seek as skipped', async () => {
    const page = await player(
      'vod.mp4',
      undefined,
      `player.addRemoteTextTrack({ kind: 'chapters', src: ${JSON.stringify(media(harness, 'chapters.vtt'))}, srclang: 'en', label: 'Chapters' }, false);`
    );
    // The cues are loaded and the first chapter is active before play, so the session must open
    // with it: its chapterStart follows sessionStart (with the states on), before the first play.
    // (Chromium fires no cuechange for a cue that was already active when the track loaded once a
    // script has read activeCues, as this wait does and as a page may: the chapter open at the
    // start has to be found without that event.)
    await page.driver.waitForFunction(() => {
      const track = Array.from((window as any).player.textTracks() as ArrayLike<TextTrack>).find((t) => t.kind === 'chapters');
      return track?.cues?.length === 3 && track.activeCues?.length === 1;
    });
    await run(page, 'player.play()');
    let records = await waitFor(page, (r) => r.some(isChapterStart(1)) && accepted(r).includes('play'), 'chapterStart 1 and play', 5000);
    expect(accepted(records)).toEqual(['sessionStart', 'chapterStart', 'play']);

    // Across the boundary at 10 s: chapter 1 plays to its end.
    await run(page, 'player.currentTime(9)');
    records = await waitFor(page, (r) => r.some(isChapterStart(2)), 'chapterStart 2');
    expect(chapterEvents(records).map((r) => r.eventType)).toEqual(['chapterStart', 'chapterComplete', 'chapterStart']);

    // A seek from the middle of chapter 2 into chapter 3 skips chapter 2.
    await run(page, 'player.currentTime(25)');
    records = await waitFor(page, (r) => r.some(isChapterStart(3)), 'chapterStart 3');
    const chapters = chapterEvents(records);
    expect(chapters.map((r) => r.eventType)).toEqual(['chapterStart', 'chapterComplete', 'chapterStart', 'chapterSkip', 'chapterStart']);
    expect(chapters.filter((r) => r.eventType === 'chapterStart').map((r) => r.body.params)).toEqual([
      { 'media.chapter.index': 1, 'media.chapter.offset': 0, 'media.chapter.length': 10, 'media.chapter.friendlyName': 'Opening' },
      { 'media.chapter.index': 2, 'media.chapter.offset': 10, 'media.chapter.length': 10, 'media.chapter.friendlyName': 'Interview' },
      { 'media.chapter.index': 3, 'media.chapter.offset': 20, 'media.chapter.length': 10, 'media.chapter.friendlyName': 'Finale' }
    ]);
    // chapterComplete and chapterSkip carry no params.
    expect(chapters.filter((r) => r.eventType !== 'chapterStart').map((r) => r.body.params)).toEqual([undefined, undefined]);
    // The complete came at the boundary (10 s), the skip where the seek left chapter 2 (before 20 s).
    const [complete, skip] = chapters.filter((r) => r.eventType !== 'chapterStart');
    expect(complete.playhead).toBeGreaterThanOrEqual(9);
    expect(complete.playhead).toBeLessThanOrEqual(11);
    expect(skip.playhead).toBeGreaterThanOrEqual(10);
    expect(skip.playhead).toBeLessThan(20);
    expectClean(page, records);
    await page.close();
  });
});

describe(`quality data in ${ENGINE}`, () => {
  it('sends media.qoe.timeToStart with the first play of a session only, and frame counts from getVideoPlaybackQuality', async () => {
    const page = await player('vod.mp4');
    await run(page, 'player.play()');
    await waitForEvents(page, ['play']);
    // Frames per second are measured over at least a second of playing, from the first play on.
    await page.driver.waitForFunction('player.currentTime() > 2.5');
    await run(page, 'player.pause()');
    await waitForEvents(page, ['pauseStart']);
    await run(page, 'player.play()');
    const records = await waitForEvents(page, ['pauseStart', 'play']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'play']);
    const [first, second] = ok(records).filter((r) => r.eventType === 'play');
    const timeToStart = first.body.qoeData?.['media.qoe.timeToStart'] as number;
    expect(Number.isInteger(timeToStart)).toBe(true);
    expect(timeToStart).toBeGreaterThanOrEqual(0);
    expect(timeToStart).toBeLessThan(20000);
    expect(second.body.qoeData ?? {}).not.toHaveProperty('media.qoe.timeToStart');
    // Nothing else carries it.
    expect(records.filter((r) => r.body.qoeData && 'media.qoe.timeToStart' in r.body.qoeData)).toEqual([first]);
    // The first play carries the dropped frames, and an event after a second of playing the frame
    // rate: frames shown per second, up to the clip's 24 (WebKitGTK counts painted frames only,
    // which a virtual display on a busy machine paints few of: see the README).
    expect(first.body.qoeData).toMatchObject({ 'media.qoe.droppedFrames': expect.any(Number) });
    const rates = ok(records).flatMap((r) => r.body.qoeData?.['media.qoe.framesPerSecond'] ?? []);
    // WebKitGTK on the virtual display often paints no frame for a while: no rate to send then.
    if (ENGINE !== 'WebKit') expect(rates.length, JSON.stringify(ok(records).map((r) => [r.eventType, r.body.qoeData]))).toBeGreaterThan(0);
    for (const fps of rates) {
      expect(Number.isInteger(fps)).toBe(true);
      expect(fps).toBeGreaterThan(0);
      expect(fps).toBeLessThanOrEqual(25);
    }
    expectClean(page, records);
    await page.close();
  });
});

describe(`player states in ${ENGINE}`, () => {
  it('reports mute, closed captioning and fullscreen as they are toggled', async () => {
    const page = await player(
      'vod.mp4',
      undefined,
      `player.addRemoteTextTrack({ kind: 'captions', src: ${JSON.stringify(media(harness, 'captions.vtt'))}, srclang: 'en', label: 'English' }, false);`
    );
    await run(page, 'player.play()');
    // The fixture's player starts muted: the session opens with mute on.
    await waitFor(page, (r) => accepted(r).includes('play') && hasState('stateStart mute')(r), 'play with mute on');

    // Each toggle waits for its event: volumechange comes later, and two toggles in a row would
    // both be read after the second.
    await run(page, 'player.muted(false)');
    await waitFor(page, hasState('stateEnd mute'), 'stateEnd mute');
    await run(page, 'player.muted(true)');
    await waitFor(page, hasState('stateStart mute', 2), 'stateStart mute again');

    const captions = `Array.from(player.textTracks()).find((t) => t.kind === 'captions')`;
    await run(page, `${captions}.mode = 'showing'`);
    await waitFor(page, hasState('stateStart closedCaptioning'), 'stateStart closedCaptioning');
    await run(page, `${captions}.mode = 'disabled'`);
    await waitFor(page, hasState('stateEnd closedCaptioning'), 'stateEnd closedCaptioning');

    // Real fullscreen, asked for by a viewer's click: the Fullscreen API wants a user activation,
    // which a driver's click gives in every engine (page code run by WebDriver has none). Setting
    // video.js's state and firing fullscreenchange by hand (player.isFullscreen(true);
    // player.trigger('fullscreenchange')) does not work: video.js's own fullscreenchange
    // listener, which runs before the plugin's, sets isFullscreen() back from
    // document.fullscreenElement.
    await run(
      page,
      `document.body.insertAdjacentHTML('afterbegin', '<button id="fullscreen" onclick="player.requestFullscreen()">Fullscreen</button>')`
    );
    await page.driver.click('#fullscreen');
    await page.driver.waitForFunction('!!document.fullscreenElement && player.isFullscreen()');
    await waitFor(page, hasState('stateStart fullscreen'), 'stateStart fullscreen');
    expect(await run(page, 'player.exitFullscreen().then(() => !!document.fullscreenElement)')).toBe(false);
    const records = await waitFor(page, hasState('stateEnd fullscreen'), 'stateEnd fullscreen');

    expect(stateEvents(records)).toEqual([
      'stateStart mute',
      'stateEnd mute',
      'stateStart mute',
      'stateStart closedCaptioning',
      'stateEnd closedCaptioning',
      'stateStart fullscreen',
      'stateEnd fullscreen'
    ]);
    // Every state event belongs to the one session, after its sessionStart.
    const sid = records[0].sid;
    expect(new Set(ok(records).map((r) => r.sid))).toEqual(new Set([sid]));
    expect(accepted(records)).toEqual(['sessionStart', 'play']);
    expectClean(page, records);
    await page.close();
  });
});
