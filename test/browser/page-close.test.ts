// Closing a Firefox tab during playback, ten times on each Adobe path, counting the sessionEnds
// that reached the emulator. One close proves nothing: Firefox cuts the first script that runs
// as a tab closes short now and then, and with one pagehide listener the plugin lost 3 to 6
// sessionEnds of 10 (README, "Supported browsers"). Firefox only: Chromium and WebKit close a
// tab once each in playback.test.ts.
import { expect } from 'vitest';
import { itIn, media, run, useHarness, waitForEvents, type TestPage } from './harness';

const harness = useHarness();

/** Tabs closed per path. */
const CLOSES = 10;

/**
 * Opens a player with `options`, plays two seconds of the VOD, closes the tab as a viewer does,
 * and returns what the emulator saw when no sessionEnd arrived within 3 s (null when one did).
 */
async function closeDuringPlay(options: (page: TestPage) => Record<string, unknown>): Promise<string | null> {
  const page = await harness.open('test/fixture.html');
  await page.driver.evaluate(
    ([pluginOptions, src]) => {
      (window as any).player = (window as any).makePlayer('p1', {}, pluginOptions, src);
    },
    [options(page), media(harness, 'vod.mp4')] as const
  );
  await run(page, 'player.play()');
  await waitForEvents(page, ['play']);
  await page.driver.waitForFunction('player.currentTime() >= 2');
  await page.closeTab();
  try {
    await waitForEvents(page, ['sessionEnd'], 3000);
    return null;
  } catch {
    return page
      .records()
      .map((r) => `${r.eventType}:${r.status}`)
      .join(' ');
  } finally {
    await page.close();
  }
}

/**
 * Closes `CLOSES` tabs, one after the other, prints how many sessionEnds arrived, and returns
 * what the emulator saw of each close whose sessionEnd was lost.
 */
async function lost(path: string, options: (page: TestPage) => Record<string, unknown>): Promise<string[]> {
  const lost: string[] = [];
  for (let i = 0; i < CLOSES; i++) {
    const seen = await closeDuringPlay(options);
    if (seen !== null) lost.push(seen);
  }
  console.log(`Firefox tab close, ${path}: ${CLOSES - lost.length} of ${CLOSES} sessionEnds arrived`);
  return lost;
}

itIn(
  'firefox',
  'delivers the sessionEnd of every closed tab on the Edge path (beacons)',
  async () => {
    expect(await lost('Edge Network', (page) => page.edgeOptions())).toEqual([]);
  },
  120000
);

itIn(
  'firefox',
  'delivers the sessionEnd of at least 8 closed tabs of 10 on the Media Collection API (keepalive fetch)',
  async () => {
    // Measured with the second pagehide listener: 10, 10 and 9 of 10 in three runs. Its JSON
    // needs a CORS preflight from the closing tab, which a beacon cannot make (see the README).
    expect((await lost('Media Collection API', (page) => page.options())).length).toBeLessThanOrEqual(2);
  },
  120000
);
