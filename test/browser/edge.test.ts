// Both Adobe paths in a real browser against the emulator: a viewing over the Edge Network's
// Media Edge API, and the visitor's ECID found on the page (Adobe's Visitor API, its Web SDK, or
// the AMCV_ cookie) on either path. The identity code is a stand-in written here, with the same
// calls and answers as Adobe's (shared/spec/media-edge-api.md).
import { describe, expect } from 'vitest';
import { EDGE_PARAMS, PARAMS, expectClean, itChromium, media, run, useHarness, waitFor, type ApiRecord, type TestPage } from './harness';

const harness = useHarness();

const ECID = '12345678901234567890123456789012345678';

/** The stand-ins of Adobe's identity code, as a page would have them before the player. */
const IDENTITY = {
  'Visitor API': `window.Visitor = { getInstance: (org) => ({
      getVisitorValues: (callback) => setTimeout(() => callback({ MCMID: '${ECID}', MCAAMLH: '6' }), 50),
      getCustomerIDs: () => ({ crm: { id: 'u-1', authState: 1 } })
    }) };`,
  'Web SDK': `window.__alloyNS = ['alloy'];
    window.alloy = (command) => new Promise((resolve) => setTimeout(() => resolve({ identity: { ECID: '${ECID}' }, edge: { regionID: 7 } }), 50));`,
  'AMCV_ cookie': `document.cookie = 'AMCV_' + encodeURIComponent('ABC@AdobeOrg') + '=' + encodeURIComponent('MCMID|${ECID}|MCAAMLH-1|6');`
};

/** The event types an Edge session's records name, without pings and state updates (their number depends on timing). */
const events = (records: ApiRecord[]) =>
  records.filter((r) => r.status < 300 && r.eventType !== 'ping' && r.eventType !== 'statesUpdate').map((r) => r.eventType);

/** The xdm of a record of the Edge. */
const xdm = (record: ApiRecord) => (record.body as unknown as { events: Array<{ xdm: any }> }).events[0].xdm;

/** A page whose player (global `player`) has the plugin with `options` on `file`, after `setup`. */
async function page(options: (page: TestPage) => Record<string, unknown>, setup = '', file = 'short.mp4') {
  const page = await harness.open('test/fixture.html');
  await page.driver.evaluate(
    ([setup, pluginOptions, src]) => {
      new Function(setup)();
      // Every request the page makes, for the test of what leaves at play.
      const fetched: string[] = ((window as any).fetched = []);
      const original = window.fetch;
      window.fetch = (input, init) => {
        fetched.push(String(input));
        return original(input, init);
      };
      (window as any).player = (window as any).makePlayer('p1', {}, pluginOptions, src);
    },
    [setup, options(page), media(harness, file)] as const
  );
  return page;
}

describe('the Edge Network path in Chromium', () => {
  itChromium('tracks a viewing with an ad break, chapters and a state, under the Edge session id', async () => {
    const p = await page((p) => p.edgeOptions());
    await run(
      p,
      `player.mediaCollection().setChapters([{ start: 0, end: 3, name: 'One' }, { start: 3, end: 6, name: 'Two' }]);
       player.one('playing', () => player.mediaCollection().startState('theaterMode'));
       // A mid-roll of one stitched ad, two seconds in.
       const midroll = () => {
         if (player.currentTime() < 2) return;
         player.off('timeupdate', midroll);
         const tracker = player.mediaCollection();
         tracker.adBreakStart({ name: 'mid' });
         tracker.adStart({ id: 'ad-1', length: 1, name: 'Spot' });
         tracker.adComplete();
         tracker.adBreakComplete();
       };
       player.on('timeupdate', midroll);
       player.play();`
    );
    const records = await waitFor(p, (r) => r.some((x) => x.eventType === 'sessionComplete'), 'sessionComplete');
    expectClean(p, records);
    const sid = records[0].sid;
    expect(events(records)).toEqual([
      'sessionStart',
      'chapterStart',
      'play',
      'adBreakStart',
      'adStart',
      'play',
      'adComplete',
      'adBreakComplete',
      'play',
      'chapterComplete',
      'chapterStart',
      'chapterComplete',
      'sessionComplete'
    ]);
    expect(records.every((r) => r.sid === sid && r.configId === 'ds-browser-tests')).toBe(true);
    const states = records.filter((r) => r.eventType === 'statesUpdate').flatMap((r) => xdm(r).mediaCollection.statesStart ?? []);
    expect(states).toContainEqual({ name: 'theaterMode' });
    expect(await run(p, `window.events.map((e) => [e.type, e.data.sessionId])`)).toEqual([
      ['mediacollection:sessionstart', sid],
      ['mediacollection:sessionend', sid]
    ]);
  });
});

describe('the visitor identity in Chromium', () => {
  const paths = {
    'Media Collection API': {
      options: (p: TestPage) => p.options({ params: { ...PARAMS, 'visitor.marketingCloudUserId': undefined } }),
      ecid: (start: ApiRecord) => (start.body as { params: Record<string, unknown> }).params['visitor.marketingCloudUserId']
    },
    'Edge Network': {
      options: (p: TestPage) => p.edgeOptions({ params: { ...EDGE_PARAMS, 'visitor.marketingCloudOrgId': 'ABC@AdobeOrg' } }),
      ecid: (start: ApiRecord) => xdm(start).identityMap?.ECID[0].id
    }
  };

  for (const [path, { options, ecid }] of Object.entries(paths)) {
    for (const [source, setup] of Object.entries(IDENTITY)) {
      itChromium(`sends the ECID of the ${source} on the ${path}`, async () => {
        const p = await page(options, setup);
        await run(p, 'player.play()');
        const [start] = await waitFor(p, (r) => r.some((x) => x.eventType === 'play'), 'play');
        expect(ecid(start)).toBe(ECID);
        if (path === 'Media Collection API' && source === 'Visitor API') {
          expect((start.body as { params: Record<string, unknown> }).params).toMatchObject({
            'visitor.aamLocationHint': 6,
            'visitor.customerIDs': { crm: { id: 'u-1', authState: 1 } }
          });
        }
        expectClean(p);
      });
    }

    itChromium(`sends sessionStart in the play event, without an ECID, when the page has no identity code, on the ${path}`, async () => {
      const p = await page(options);
      // The player has its metadata, so nothing but the identity could hold sessionStart back.
      await run(p, `new Promise((resolve) => player.readyState() > 0 ? resolve() : player.one('loadedmetadata', resolve))`);
      const atPlay = await run(p, `new Promise((resolve) => { player.one('play', () => resolve(window.fetched.length)); player.play(); })`);
      expect(atPlay).toBe(1);
      const [start] = await waitFor(p, (r) => r.some((x) => x.eventType === 'play'), 'play');
      expect(ecid(start)).toBeUndefined();
      expectClean(p);
    });
  }
});
