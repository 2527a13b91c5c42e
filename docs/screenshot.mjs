// Writes docs/demo.png, the README's picture of the demo: the MP4 VOD with the pre-roll and the
// mid-roll played to its end, in Chromium, against the local emulator, with the session's report
// and picture beside the timeline.
//   npm run build && node docs/screenshot.mjs
import { chromium } from 'playwright-core';
import { startDemo } from '../demo/server.mjs';
import { FLAGS } from '../test/browser/chromium.mjs';

const executablePath = [process.env.CHROME_PATH, '/usr/bin/chromium'].find(Boolean);
const demo = await startDemo({ port: 0, apiPort: 0 });
const browser = await chromium.launch({ executablePath, args: FLAGS, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(demo.url);
  await page.getByLabel('Pre-roll (1 ad)').check();
  await page.getByLabel('Mid-roll at 10 s (2 ads, the second skipped after 1 s)').check();
  await page.waitForFunction(() => window.videojs.getPlayer('demo-player').readyState() > 0);
  await page.evaluate(() => window.videojs.getPlayer('demo-player').play());
  // The end of the viewing: sessionComplete in the timeline, then in the report beside it.
  await page.waitForSelector('#timeline tbody tr[data-event="sessionComplete"]', { timeout: 120000 });
  await page.waitForFunction(
    () => document.querySelector('#report .metric[data-name="Content completes"] .metric-value')?.textContent === '1',
    null,
    { timeout: 10000 }
  );
  await page.screenshot({ path: new URL('./demo.png', import.meta.url).pathname, fullPage: true });
  console.log('docs/demo.png written');
} finally {
  await browser.close();
  await demo.close();
}
