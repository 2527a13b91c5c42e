// What a careful site needs: the built plugin under a strict Content Security Policy.
import { describe, expect, it } from 'vitest';
import { accepted, expectClean, media, useHarness, waitForEvents } from './harness';

const harness = useHarness();

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
