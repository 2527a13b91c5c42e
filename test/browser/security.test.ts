// What a careful site needs: the built plugin under a strict Content Security Policy.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accepted, expectClean, media, startHarness, waitForEvents, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness?.closePages();
});
afterAll(async () => {
  await harness?.close();
});

describe('security in Chromium', () => {
  it('works on a page whose Content Security Policy forbids eval and inline script', async () => {
    const page = await harness.open();
    const query = new URLSearchParams({ options: JSON.stringify(page.options()), src: media(harness, 'short.mp4') });
    await page.page.goto(new URL(`test/csp.html?${query}`, harness.base).href);
    const records = await waitForEvents(page, ['sessionComplete']);
    expect(accepted(records)).toEqual(['sessionStart', 'play', 'sessionComplete']);
    expect(await page.page.evaluate('window.violations')).toEqual([]);
    expectClean(page, records);
  });
});
