// trackMedia (the element entry, no video.js on the page) on a plain <video> against the
// emulator: the exact events the API accepted, no invalid request, no broken sequence rule.
import { expect, it } from 'vitest';
import { ENGINE, accepted, expectClean, media, run, useHarness, waitFor, waitForEvents } from './harness';

const harness = useHarness();

/** Opens the element page and tracks a plain <video> (global `video`) on `file`. */
async function videoPage(file = 'short.mp4') {
  const page = await harness.open('test/element.html');
  await page.driver.evaluate(
    ([options, src]) => {
      (window as any).video = (window as any).makeMedia('video', options, src);
    },
    [page.options(), media(harness, file)] as const
  );
  return page;
}

it(`tracks a plain <video> through play, pause and completion in ${ENGINE}`, async () => {
  const page = await videoPage();
  await run(page, 'video.play()');
  const open = await waitForEvents(page, ['play']);
  expect(await run(page, 'tracker.sessionId')).toBe(open[0].sid);
  await page.driver.waitForFunction('video.currentTime >= 1');
  await run(page, 'video.pause()');
  await waitForEvents(page, ['pauseStart']);
  await run(page, 'video.play()');
  const records = await waitForEvents(page, ['sessionComplete']);
  expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'play', 'sessionComplete']);
  expect(records[0].body.params).toMatchObject({ 'media.length': 6, 'media.contentType': 'vod', 'media.streamType': 'video' });
  expect(await run(page, 'window.events.map((e) => [e.type, e.data.sessionId, e.data.reason ?? null])')).toEqual([
    ['mediacollection:sessionstart', open[0].sid, null],
    ['mediacollection:sessionend', open[0].sid, 'complete']
  ]);
  expectClean(page, records);
});

it(`ends the session when the <video> leaves the page, in ${ENGINE}`, async () => {
  const page = await videoPage('vod.mp4');
  await run(page, 'video.play()');
  await waitForEvents(page, ['play']);
  await run(page, 'video.remove()');
  const records = await waitFor(page, (r) => accepted(r).includes('sessionEnd'), 'sessionEnd');
  // Browsers pause a media element taken out of the document.
  expect(accepted(records)).toEqual(['sessionStart', 'play', 'pauseStart', 'sessionEnd']);
  expect(await run(page, 'window.events.at(-1).data.reason')).toBe('dispose');
  expectClean(page, records);
});
