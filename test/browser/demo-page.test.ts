// The demo page of `npm run demo` in every engine: the MP4 with a pre-roll plays, every request
// the timeline shows is valid, and the report counts the viewing. (demo.test.ts drives the rest of
// the page in Chromium.)
import { describe, expect, it } from 'vitest';
import { ENGINE, ONE_AD_BREAK, accepted, useHarness, type ApiRecord } from './harness';

const harness = useHarness();

describe(`the demo page in ${ENGINE}`, () => {
  it('plays the MP4 VOD with a pre-roll: every request valid, and the report counts the content start', async () => {
    const page = await harness.openDemo();
    const { driver } = page;
    await driver.evaluate("document.getElementById('ad-preroll').checked = true");
    // A viewer's click: Firefox and WebKit let sound play only after one.
    await driver.click('.vjs-big-play-button');
    const waitFor = async (check: (records: ApiRecord[]) => boolean, what: string) => {
      const deadline = Date.now() + 30000;
      while (!check(page.records())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${accepted(page.records()).join(' ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // The pre-roll, then the content's first chapter and its play.
    const viewing = ['sessionStart', ...ONE_AD_BREAK.slice(0, -1), 'chapterStart', 'play'];
    await waitFor((records) => accepted(records).slice(0, viewing.length).join() === viewing.join(), 'the pre-roll and the content play');
    await driver.evaluate("videojs.getPlayer('demo-player').pause()");
    await waitFor((records) => accepted(records).at(-1) === 'pauseStart', 'pauseStart');
    expect(page.records().flatMap((r) => [...r.errors, ...r.violations])).toEqual([]);
    await driver.waitForFunction("document.getElementById('summary').textContent.includes('All requests valid, no sequence violations')");
    const [session] = page.report().sessions;
    const figures = Object.fromEntries(session.metrics.map((m) => [m.name, m.value]));
    // One pause, the viewer's: not contrib-ads' seek back after the pre-roll (in Firefox and
    // WebKit it comes after the content played again).
    expect(figures).toMatchObject({ 'Media starts': 1, 'Content starts': 1, 'Ad starts': 1, 'Ad completes': 1, 'Pause events': 1 });
    // The page shows the same report.
    await driver.waitForFunction("document.getElementById('report').textContent.includes('Content starts')");
    await page.syncConsole();
    expect(page.console, 'console errors and warnings').toEqual([]);
  });
});
