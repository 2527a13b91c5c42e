import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../demo/server.mjs';
import { ENGINE_LABELS, ENGINE_NAME, launchEngine, type EngineName, type EnginePage } from './engines';

export { chromiumPath } from './engines';

/** What the emulator records of one API request. */
export interface ApiRecord {
  n: number;
  path: string;
  sid: string | null;
  eventType: string;
  playhead: number;
  ts: number;
  /** The Media Collection API's body, or on the Edge (`api: 'edge'`) the whole `{ events: [{ xdm }] }`. */
  body: {
    eventType: string;
    playerTime: { playhead: number; ts: number };
    params?: Record<string, unknown>;
    qoeData?: Record<string, unknown>;
  };
  api?: 'media-collection' | 'edge';
  /** On the Edge: the `configId` query parameter. */
  configId?: string | null;
  status: number;
  message?: string;
  errors: string[];
  violations: string[];
}

/** One of Adobe's Streaming Media metrics in the emulator's report of a session. */
export interface Metric {
  name: string;
  value: number | null;
  unit: string;
  note?: string;
}

interface Emulator {
  records(scope: string): ApiRecord[];
  setFaults(scope: string, faults: Record<string, number>): void;
  report(scope: string): { sessions: Array<{ sid: string; metrics: Metric[] }> };
}

/** The publisher params every test page gives. */
export const PARAMS = {
  'analytics.trackingServer': 'example.sc.omtrdc.net',
  'analytics.reportSuite': 'rsid',
  'visitor.marketingCloudOrgId': 'ABC@AdobeOrg',
  'visitor.marketingCloudUserId': 'ecid-1',
  'media.channel': 'browser-tests',
  'media.playerName': 'e2e'
};

/** The params of the test pages on the Edge path: the datastream holds the Analytics settings. */
export const EDGE_PARAMS = { 'media.channel': 'browser-tests', 'media.playerName': 'e2e' };

/**
 * `it` for a test that runs in `engine` only, where it measures what the engine does (Firefox's
 * tab close). Elsewhere it is not declared at all (not skipped).
 */
export function itIn(engine: EngineName, name: string, test: () => Promise<void>, timeout?: number): void {
  if (ENGINE_NAME === engine) it(name, test, timeout);
}

/** The engine this project drives (`BROWSER_ENGINE`, see vitest.config.mjs), as test names say it. */
export const ENGINE = ENGINE_LABELS[ENGINE_NAME];

/**
 * `it` for a test that runs in Chromium only: the full suite runs there, and the other engines'
 * projects run the scenarios where engines differ. Elsewhere the test is not declared at all
 * (not skipped).
 */
export function itChromium(name: string, test: () => Promise<void>, timeout?: number): void {
  if (ENGINE_NAME === 'chromium') it(name, test, timeout);
}

/**
 * `it` for a test that does not run in `engine`, where it is known to fail for the engine's own
 * reason (the README's "Supported browsers" says which and why). There it is not declared.
 */
export function itExceptIn(engine: EngineName, name: string, test: () => Promise<void>, timeout?: number): void {
  if (ENGINE_NAME !== engine) it(name, test, timeout);
}

/** `describe` for tests that run in Chromium only, as `itChromium`. */
export function describeChromium(name: string, tests: () => void): void {
  if (ENGINE_NAME === 'chromium') describe(name, tests);
}

/** Whether this project is the full suite: Chromium with video.js 8 (`VIDEOJS_MAJOR`, see vitest.config.mjs). */
const FULL_SUITE = ENGINE_NAME === 'chromium' && process.env.VIDEOJS_MAJOR !== '7';

/**
 * `it` for a test that runs once, in the full suite: delivery, consent, time and setup, which
 * neither the engine nor video.js's major changes (the unit tests run that logic on both
 * majors). Elsewhere it is not declared at all (not skipped).
 */
export function itOnce(name: string, test: () => Promise<void>, timeout?: number): void {
  if (FULL_SUITE) it(name, test, timeout);
}

/** `describe` for tests that run once, in the full suite, as `itOnce`. */
export function describeOnce(name: string, tests: () => void): void {
  if (FULL_SUITE) describe(name, tests);
}

/** Playwright's page of a test page, for what only Playwright does (its page clock). */
function playwright(tab: EnginePage): Page {
  if (!tab.playwright) throw new Error(`Playwright's page exists in Chromium only; this test runs in ${ENGINE}: use page.driver`);
  return tab.playwright;
}

let counter = 0;

/**
 * One demo server with its emulator and one browser of the project's engine, shared by the tests
 * of a file. A browser missing from the machine fails with what to install: tests never skip.
 */
export async function startHarness() {
  const demo = await startDemo({ port: 0, apiPort: 0 });
  let engine: Awaited<ReturnType<typeof launchEngine>>;
  try {
    engine = await launchEngine();
  } catch (error) {
    await demo.close();
    throw error;
  }
  const emulator = demo.emulator as Emulator;
  const tabs = new Set<EnginePage>();

  return {
    base: demo.url,
    engine,
    async close() {
      await engine.close();
      await demo.close();
    },

    /** Closes every page still open, so that a failed test leaves nothing running. */
    async closePages() {
      await Promise.all([...tabs].map((tab) => tab.dispose()));
      tabs.clear();
    },

    /** The demo page of `npm run demo` (with `query`), and the emulator scope it made for itself. */
    async openDemo(query = '') {
      const tab = await engine.newPage();
      tabs.add(tab);
      await tab.driver.goto(`${demo.url}${query}`);
      await tab.driver.waitForFunction("document.getElementById('scope').textContent !== ''");
      const scope: string = await tab.driver.evaluate("document.getElementById('scope').textContent");
      return {
        driver: tab.driver,
        scope,
        console: tab.console,
        syncConsole: () => tab.syncConsole(),
        records: () => emulator.records(scope),
        report: () => emulator.report(scope),
        close: () => tab.dispose()
      };
    },

    /** A new page on `path` with its own emulator scope, and what its console said. */
    async open(path = 'test/fixture.html', options: { clock?: boolean } = {}) {
      const scope = `t${++counter}-${process.pid}`;
      const tab = await engine.newPage();
      tabs.add(tab);
      if (options.clock) await playwright(tab).clock.install();
      const endpoint = `${demo.endpoint}/p/${scope}`;
      await tab.driver.goto(new URL(path.replace('{endpoint}', encodeURIComponent(endpoint)), demo.url).href);
      // A project that picks the video.js major (VIDEOJS_MAJOR, see vitest.config.mjs) must get it.
      const major = process.env.VIDEOJS_MAJOR;
      // (Not the element entry's pages, which have no video.js 7 or 8.)
      if (major && !/element\.html|vjs10\.html/.test(path)) {
        expect(await tab.driver.evaluate(() => (window as any).videojs?.VERSION)).toMatch(new RegExp(`^${major}\\.`));
      }
      return {
        /** The engine-neutral driver of the page. */
        driver: tab.driver,
        /** Playwright's page: Chromium only. */
        get page() {
          return playwright(tab);
        },
        scope,
        endpoint,
        console: tab.console,
        /** Brings what the page logged so far into `console`. */
        syncConsole: () => tab.syncConsole(),
        options: (extra: Record<string, unknown> = {}) => ({ endpoint, params: PARAMS, ...extra }),
        /** The plugin's options for the emulator's Media Edge API (Edge Network) of this scope. */
        edgeOptions: (extra: Record<string, unknown> = {}) => ({
          edge: { datastreamId: 'ds-browser-tests', endpoint: `${endpoint}/ee` },
          params: EDGE_PARAMS,
          ...extra
        }),
        records: () => emulator.records(scope),
        faults: (faults: Record<string, number>) => emulator.setFaults(scope, faults),
        /** Closes the tab as a viewer does, so that `pagehide` runs. */
        closeTab: () => tab.closeTab(),
        close: () => tab.dispose()
      };
    }
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * The harness of one test file: started before its tests, its pages closed after each test (so
 * that a failed test leaves nothing running), and stopped after the file.
 */
export function useHarness(): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness();
  });
  afterEach(async () => {
    await started?.closePages();
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get base() {
      return started!.base;
    },
    get engine() {
      return started!.engine;
    },
    open: (...args) => started!.open(...args),
    openDemo: (...args) => started!.openDemo(...args),
    closePages: () => started!.closePages(),
    close: () => started!.close()
  };
}
export type TestPage = Awaited<ReturnType<Harness['open']>>;

/** A media file of the sample set, by URL. */
export const media = (harness: Harness, name: string) => new URL(`media/${name}`, harness.base).href;

/**
 * The event types the API accepted, without pings (their number depends on timing) and player
 * states (muted autoplay and page focus differ between machines); tests of those look at them.
 */
export const accepted = (records: ApiRecord[]) =>
  records.filter((r) => r.status < 300 && !/^(ping|stateStart|stateEnd|bitrateChange)$/.test(r.eventType)).map((r) => r.eventType);

/** The accepted events of an ad break of one ad played to its end, then the content's play. */
export const ONE_AD_BREAK = ['adBreakStart', 'adStart', 'play', 'adComplete', 'adBreakComplete', 'play'];

/** The accepted events of an ad break of two ads, the second skipped, then the content's play. */
export const TWO_ADS_SECOND_SKIPPED = [
  'adBreakStart',
  'adStart',
  'play',
  'adComplete',
  'adStart',
  'play',
  'adSkip',
  'adBreakComplete',
  'play'
];

/**
 * Polls until `check` passes against the page's records, or fails with what was seen at the
 * deadline. Browser tests wait for conditions, never for fixed times.
 */
export async function waitFor(
  page: TestPage,
  check: (records: ApiRecord[]) => boolean,
  what: string,
  timeout = 20000
): Promise<ApiRecord[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const records = page.records();
    if (check(records)) {
      await page.syncConsole();
      return records;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; the emulator saw: ${records.map((r) => `${r.eventType}:${r.status}`).join(' ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `code` in the page and returns its value. */
export async function run(page: TestPage, code: string): Promise<any> {
  const value = await page.driver.evaluate(code);
  await page.syncConsole();
  return value;
}

/** The records the API accepted. */
export const ok = (records: ApiRecord[]) => records.filter((r) => r.status < 300);

/** Waits until the accepted events, without pings, end with `tail`. */
export const waitForEvents = (page: TestPage, tail: string[], timeout?: number) =>
  waitFor(page, (records) => accepted(records).slice(-tail.length).join() === tail.join(), tail.join(' → '), timeout);

/** Every request was valid, no sequence rule was broken, and the page logged nothing bad. */
export function expectClean(page: TestPage, records = page.records()): void {
  expect(
    records.flatMap((r) => r.errors.map((e) => `${r.eventType}: ${e}`)),
    'invalid requests'
  ).toEqual([]);
  expect(
    records.flatMap((r) => r.violations.map((v) => `${r.eventType}@${r.ts}: ${v}`)),
    'sequence violations'
  ).toEqual([]);
  expect(page.console, 'console errors and warnings').toEqual([]);
}

/**
 * Opens the fixture page and makes one player (global `player`) with the plugin on `file`, as a
 * source object when `type` is given, then runs `setup` with `player` defined.
 */
export async function playerPage(harness: Harness, file: string, type?: string, setup = ''): Promise<TestPage> {
  const page = await harness.open('test/fixture.html');
  await page.driver.evaluate(
    ([pluginOptions, src, type, setup]) => {
      const player = ((window as any).player = (window as any).makePlayer('p1', {}, pluginOptions, null));
      player.src(type ? { src, type } : src);
      new Function('player', setup)(player);
    },
    [page.options(), media(harness, file), type ?? '', setup] as const
  );
  return page;
}
