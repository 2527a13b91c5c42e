// `npm run bench`: builds, then prints one table of the plugin's costs: bundle size, the cost of
// one API event and of one `timeupdate`, and, in Chromium, how fast `sessionStart` leaves, the
// main-thread time the plugin adds per minute of playback and what 500 create/dispose cycles
// leave behind. docs/benchmarks.md says what each figure means. Progress goes to stderr, the
// table to stdout; nothing is written to disk.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import terser from '@rollup/plugin-terser';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import { startDemo } from '../demo/server.mjs';
import { FLAGS as TEST_FLAGS } from '../test/browser/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const UMD_MIN = `${root}dist/videojs-media-collection.min.js`;
const ES = `${root}dist/videojs-media-collection.mjs`;
const BUDGET = 10240;
/** Seconds of real playback per page for the main-thread figure (two pages each way). */
const PLAY_SECONDS = Number(process.env.BENCH_PLAY_SECONDS) || 20;
/** Seconds of playback before that, the start of playback and of the session. */
const WARM_UP_SECONDS = 3;
const CYCLES = 500;

/** The flags of the browser tests, plus a GC the page can call and exact heap figures. */
const FLAGS = [...TEST_FLAGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'];

/** Publisher params that make a valid session, as the browser tests give them. */
const PARAMS = {
  'analytics.trackingServer': 'example.sc.omtrdc.net',
  'analytics.reportSuite': 'rsid',
  'visitor.marketingCloudOrgId': 'ABC@AdobeOrg',
  'visitor.marketingCloudUserId': 'ecid-1',
  'media.channel': 'bench',
  'media.playerName': 'bench'
};

const rows = [];
const notes = [];
const row = (figure, value, unit, goal = '') => rows.push({ figure, value: String(value), unit, goal });
const progress = (message) => process.stderr.write(`bench: ${message}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
const signed = (n, digits = 1) => (n > 0 ? '+' : '') + fixed(n, digits);
const gzip = (code) => gzipSync(code, { level: 9 }).length;

/** `BENCH_ONLY=events,cycles` runs only those parts (size, events, start, main, cycles). */
const only = process.env.BENCH_ONLY?.split(',');

/** Runs one part; a part that fails becomes a note, and the others still run. */
async function part(name, fn, id) {
  if (id && only && !only.includes(id)) return;
  progress(name);
  try {
    await fn();
  } catch (error) {
    notes.push(`${name}: not measured: ${error?.message ?? error}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Size

/** The gzip size of a tiny app, bundled by rollup and terser with video.js external. */
async function appSize(code) {
  const bundle = await rollup({
    input: 'app',
    external: ['video.js'],
    onwarn: () => undefined,
    plugins: [
      {
        name: 'app',
        resolveId: (id) => (id === 'app' ? id : id === 'videojs-media-collection' ? ES : null),
        load: (id) => (id === 'app' ? code : null)
      }
    ]
  });
  try {
    const { output } = await bundle.generate({ format: 'es', plugins: [terser({ compress: { passes: 2 } })] });
    return gzip(output[0].code);
  } finally {
    await bundle.close();
  }
}

async function sizes() {
  const min = readFileSync(UMD_MIN);
  // As the issue measures it, `gzip -9 -c <file> | wc -c`: gzip's header holds the file name.
  const gz = execFileSync('gzip', ['-9', '-c', UMD_MIN]).length;
  row('UMD build, minified', min.length, 'B', 'dist/videojs-media-collection.min.js');
  row(
    'UMD build, minified + gzip -9',
    gz,
    'B',
    `budget ${BUDGET} B: ${gz <= BUDGET ? `within, ${BUDGET - gz} B left` : `OVER by ${gz - BUDGET} B`}`
  );
  const app = `import videojs from 'video.js';\nimport 'videojs-media-collection';\nvideojs('player');\n`;
  const bare = `import videojs from 'video.js';\nvideojs('player');\n`;
  const [withPlugin, without] = await Promise.all([appSize(app), appSize(bare)]);
  row(
    'ES build tree-shaken into an app, gzip -9',
    withPlugin - without,
    'B',
    `rollup + terser, video.js external (app ${withPlugin} B - same app without the plugin ${without} B)`
  );
}

// ---------------------------------------------------------------------------------------------
// 2.-3. Chromium

function chromiumPath() {
  return [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));
}

/**
 * Runs before anything on the page: wraps `fetch` (to time `sessionStart`), and counts the
 * timers and the `window`/`document` listeners that are alive.
 */
function instrument() {
  const bench = (window.__bench = { sessionStarts: [], inPlay: false, timers: new Set(), listeners: new Map() });
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = String((input && input.url) || input);
    if (/\/api\/v1\/sessions$/.test(url)) bench.sessionStarts.push({ t: performance.now(), inPlay: bench.inPlay });
    return realFetch.call(this, input, init);
  };

  const {
    setTimeout: st,
    setInterval: si,
    clearTimeout: ct,
    clearInterval: ci,
    requestAnimationFrame: raf,
    cancelAnimationFrame: caf
  } = window;
  window.setTimeout = function (fn, ms, ...args) {
    const id = st.call(
      window,
      function () {
        bench.timers.delete(id);
        return typeof fn === 'function' ? fn.apply(this, arguments) : undefined;
      },
      ms,
      ...args
    );
    bench.timers.add(id);
    return id;
  };
  window.setInterval = function (...args) {
    const id = si.apply(window, args);
    bench.timers.add(id);
    return id;
  };
  // Browsers let either clear either kind.
  window.clearTimeout = function (id) {
    bench.timers.delete(id);
    return ct.call(window, id);
  };
  window.clearInterval = function (id) {
    bench.timers.delete(id);
    return ci.call(window, id);
  };
  window.requestAnimationFrame = function (fn) {
    const id = raf.call(window, (time) => {
      bench.timers.delete(`raf${id}`);
      fn(time);
    });
    bench.timers.add(`raf${id}`);
    return id;
  };
  window.cancelAnimationFrame = function (id) {
    bench.timers.delete(`raf${id}`);
    return caf.call(window, id);
  };

  // Listeners on window and document, as the DOM keys them: target, type, listener, capture.
  const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
  const capture = (options) => !!(typeof options === 'boolean' ? options : options && options.capture);
  const key = (target, type, options) => `${target === window ? 'window' : 'document'} ${type} ${capture(options)}`;
  for (const target of [window, document]) {
    target.addEventListener = function (type, listener, options) {
      const signal = options && typeof options === 'object' ? options.signal : undefined;
      if (listener && !(signal && signal.aborted)) {
        const k = key(this, type, options);
        if (!bench.listeners.has(k)) bench.listeners.set(k, new Set());
        bench.listeners.get(k).add(listener);
        signal?.addEventListener('abort', () => bench.listeners.get(k)?.delete(listener), { once: true });
      }
      return add.call(this, type, listener, options);
    };
    target.removeEventListener = function (type, listener, options) {
      bench.listeners.get(key(this, type, options))?.delete(listener);
      return remove.call(this, type, listener, options);
    };
  }
}

async function browserParts(executablePath) {
  const demo = await startDemo({ port: 0, apiPort: 0 });
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: FLAGS, headless: true });
    row('Chromium', browser.version(), '', 'headless; the flags of test/browser/chromium.mjs, --expose-gc, precise memory info');
    let scopes = 0;
    /** A new page on the fixture (video.js + the minified UMD build), in its own context. */
    const open = async (path = 'test/fixture.html') => {
      const context = await browser.newContext();
      await context.addInitScript(instrument);
      const page = await context.newPage();
      page.on('pageerror', (error) => progress(`page error: ${error.message}`));
      await page.goto(new URL(path, demo.url).href);
      const options = { endpoint: `${demo.endpoint}/p/bench-${++scopes}`, params: PARAMS };
      return { page, context, options };
    };

    const first = await open();
    row(
      'video.js',
      await first.page.evaluate(() => window.videojs.VERSION),
      '',
      'as the fixture page loads it (/vendor/video.js/video.min.js)'
    );
    await first.context.close();

    await part('cost per event and per timeupdate', () => eventCost(open), 'events');
    await part('play → sessionStart', () => playToStart(open), 'start');
    await part('main-thread time per minute of playback', () => mainThread(open), 'main');
    await part(`${CYCLES} create/dispose cycles`, () => cycles(open), 'cycles');
  } finally {
    await browser?.close();
    await demo.close();
  }
}

/**
 * Microseconds the plugin adds per API event built and queued, and nanoseconds per
 * `timeupdate`: the same triggers on two players of one page, with and without the plugin.
 */
async function eventCost(open) {
  const { page, context } = await open();
  try {
    const result = await page.evaluate(
      async ({ params }) => {
        // A fetch that answers at once: 201 with a Location for sessionStart, 204 for events.
        const created = new Response(null, { status: 201, headers: { Location: '/api/v1/sessions/bench' } });
        const noContent = new Response(null, { status: 204 });
        let calls = 0;
        window.fetch = (url) => {
          calls++;
          return Promise.resolve(/\/sessions$/.test(String(url)) ? created : noContent);
        };
        const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
        // A next task without setTimeout's clamping.
        const channel = new MessageChannel();
        const nextTask = () => new Promise((resolve) => ((channel.port1.onmessage = resolve), channel.port2.postMessage(0)));
        const loaded = (player) => new Promise((resolve) => (player.readyState() >= 1 ? resolve() : player.one('loadedmetadata', resolve)));

        // Players without UI: fewer of video.js's own listeners, less noise in the difference.
        const options = { children: ['mediaLoader'], preload: 'auto' };
        const plain = window.makePlayer('plain', options, null, null);
        const tracked = window.makePlayer('tracked', options, null, null);
        // Which player events the plugin listens to.
        const added = {};
        const originals = {};
        for (const method of ['on', 'one', 'any']) {
          const original = (originals[method] = tracked[method]);
          tracked[method] = function (type, ...rest) {
            for (const t of [].concat(type)) if (typeof t === 'string') added[t] = (added[t] || 0) + 1;
            return original.call(this, type, ...rest);
          };
        }
        const tracker = tracked.mediaCollection({ endpoint: 'http://127.0.0.1:9/bench', params });
        Object.assign(tracked, originals);
        for (const player of [plain, tracked]) player.src({ src: '/media/vod.mp4', type: 'video/mp4' });
        await Promise.all([loaded(plain), loaded(tracked)]);
        for (const player of [plain, tracked]) {
          player.tech(true).trigger('play');
          player.tech(true).trigger('playing');
        }
        await nextTask();
        if (!tracker.sessionId) throw new Error('no session started with the stub fetch');

        // pause/playing pairs: pauseStart and play, 2 events a pair (the queue holds 1000).
        // Each timed loop starts after a full GC; the two players take turns going first; the
        // fastest round of each counts (noise only ever adds time).
        const PAIRS = 200;
        const pairs = async (player) => {
          const tech = player.tech(true);
          window.gc();
          const before = calls;
          const t0 = performance.now();
          for (let i = 0; i < PAIRS; i++) {
            tech.trigger('pause');
            tech.trigger('playing');
          }
          const queued = performance.now() - t0;
          await nextTask();
          return { queued, sent: performance.now() - t0, events: calls - before };
        };
        const ROUNDS = 30;
        const runs = { plain: [], tracked: [] };
        for (let round = 0; round < ROUNDS + 2; round++) {
          const order = round % 2 ? ['tracked', 'plain'] : ['plain', 'tracked'];
          for (const name of order) {
            const result = await pairs(name === 'plain' ? plain : tracked);
            if (round >= 2) runs[name].push(result); // 2 warm-up rounds
          }
        }
        const min = (list, key) => Math.min(...list.map((r) => r[key]));
        const events = runs.tracked[0].events;
        const perEvent = (key) => ((min(runs.tracked, key) - min(runs.plain, key)) * 1000) / events;
        const perEventMedian = (key) => ((median(runs.tracked.map((r) => r[key])) - median(runs.plain.map((r) => r[key]))) * 1000) / events;
        const queuedUs = perEvent('queued');
        const sentUs = perEvent('sent');
        const queuedMedianUs = perEventMedian('queued');
        const sentMedianUs = perEventMedian('sent');
        const plainUs = (min(runs.plain, 'queued') * 1000) / events;

        // timeupdate: the plugin's session is open and playing.
        const N = 100000;
        const updates = (player) => {
          window.gc();
          const t0 = performance.now();
          for (let i = 0; i < N; i++) player.trigger('timeupdate');
          return performance.now() - t0;
        };
        const tu = { plain: [], tracked: [] };
        for (let round = 0; round < 12; round++) {
          const order = round % 2 ? ['tracked', 'plain'] : ['plain', 'tracked'];
          for (const name of order) {
            const ms = updates(name === 'plain' ? plain : tracked);
            if (round >= 2) tu[name].push(ms);
          }
        }
        const tuNs = ((Math.min(...tu.tracked) - Math.min(...tu.plain)) * 1e6) / N;
        const tuPlain = (Math.min(...tu.plain) * 1e6) / N;
        const tuMedianNs = ((median(tu.tracked) - median(tu.plain)) * 1e6) / N;
        tracked.dispose();
        plain.dispose();
        return { added, queuedUs, sentUs, queuedMedianUs, sentMedianUs, plainUs, events, PAIRS, ROUNDS, tuNs, tuPlain, tuMedianNs };
      },
      { params: PARAMS }
    );
    if (result.events !== 2 * result.PAIRS)
      notes.push(`cost per event: ${result.events} events per ${result.PAIRS} pause/playing pairs, expected ${2 * result.PAIRS}`);
    row(
      'Build and queue one API event',
      fixed(result.queuedUs, 1),
      'µs',
      `fastest of ${result.ROUNDS} rounds of ${result.events} events minus the same triggers without the plugin (${fixed(result.plainUs, 1)} µs); from medians: ${fixed(result.queuedMedianUs, 1)}`
    );
    row(
      '... and send it (stub fetch)',
      fixed(result.sentUs, 1),
      'µs',
      `adds JSON, the fetch call and the response handling; from medians: ${fixed(result.sentMedianUs, 1)}`
    );
    const listened = Object.entries(result.added)
      .map(([type, n]) => (n > 1 ? `${type}×${n}` : type))
      .join(' ');
    row('timeupdate listeners the plugin adds', result.added.timeupdate ?? 0, '', `goal 0; it listens to: ${listened}`);
    row(
      'Plugin time per timeupdate',
      signed(result.tuNs, 0),
      'ns',
      `goal ~0: fastest of 10×100 000 triggers, with minus without (${fixed(result.tuPlain, 0)} ns); from medians: ${signed(result.tuMedianNs, 0)}`
    );
  } finally {
    await context.close();
  }
}

/** Milliseconds from the player's `play` to `fetch` being called for `sessionStart`. */
async function playToStart(open) {
  const trial = async (preload) => {
    const { page, context, options } = await open();
    try {
      return await page.evaluate(
        async ({ options, preload }) => {
          const bench = window.__bench;
          const player = window.makePlayer('p', { preload }, null, null);
          // Registered before the plugin's own listener, so that it runs first.
          player.on('play', () => {
            bench.play = performance.now();
            bench.inPlay = true;
            // After the handlers of this play event (and anything they ran synchronously).
            queueMicrotask(() => (bench.inPlay = false));
          });
          player.mediaCollection(options);
          player.src({ src: '/media/vod.mp4', type: 'video/mp4' });
          if (preload === 'auto')
            await new Promise((resolve) => (player.readyState() >= 1 ? resolve() : player.one('loadedmetadata', resolve)));
          const known = Number.isFinite(player.duration()) && player.duration() > 0;
          await player.play();
          const deadline = performance.now() + 15000;
          while (!bench.sessionStarts.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
          const start = bench.sessionStarts[0];
          if (!start) throw new Error('sessionStart never left');
          return { known, delay: start.t - bench.play, sync: start.inPlay };
        },
        { options, preload }
      );
    } finally {
      await context.close();
    }
  };
  const known = [];
  for (let i = 0; i < 5; i++) known.push(await trial('auto'));
  if (!known.every((t) => t.known)) notes.push('play → sessionStart: the duration was not known at play in some trials');
  const sync = known.filter((t) => t.sync).length;
  const delays = known.map((t) => t.delay);
  row(
    'play → sessionStart leaving, duration known',
    fixed(median(delays), 2),
    'ms',
    `goal: same task; ${sync}/${known.length} trials called fetch synchronously inside the play event (max ${fixed(Math.max(...delays), 2)} ms)`
  );
  const unknown = [];
  for (let i = 0; i < 3; i++) unknown.push(await trial('none'));
  row(
    'play → sessionStart leaving, duration unknown',
    fixed(median(unknown.map((t) => t.delay)), 1),
    'ms',
    `for comparison (preload none): waits for the duration; ${unknown.filter((t) => t.sync).length}/${unknown.length} synchronous`
  );
}

/**
 * Milliseconds of a CPU profile spent in the plugin's code and in what it calls: samples with
 * a frame of the plugin's script on their stack.
 */
function pluginTime(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inside = new Map();
  const isInside = (id) => {
    if (id === undefined) return false;
    if (!inside.has(id))
      inside.set(id, /\/dist\/videojs-media-collection[^/]*\.js$/.test(byId.get(id).callFrame.url) || isInside(parent.get(id)));
    return inside.get(id);
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (isInside(id)) us += profile.timeDeltas[i + 1] ?? 0;
  });
  return us / 1000;
}

/**
 * Main-thread time the plugin adds per minute of real playback: busy time (CDP
 * `Performance.getMetrics`) of two pages playing vod.mp4, with and without the plugin.
 */
async function mainThread(open) {
  const measure = async (withPlugin) => {
    const { page, context, options } = await open();
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
      await page.evaluate(
        async ({ options, withPlugin, playerOptions }) => {
          const player = (window.player = window.makePlayer('m', playerOptions, withPlugin ? options : null, null));
          player.src({ src: '/media/vod.mp4', type: 'video/mp4' });
          await new Promise((resolve) => (player.readyState() >= 1 ? resolve() : player.one('loadedmetadata', resolve)));
        },
        // Players without UI: video.js's control bar alone takes ~3 s of main thread a minute
        // here, with a run-to-run noise far larger than what the plugin adds.
        { options, withPlugin, playerOptions: { preload: 'auto', children: ['mediaLoader'] } }
      );
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      // The start of playback (and of the session: its first requests, the first run of the
      // plugin's code) is a one-off; the steady state is measured after it.
      await page.evaluate(() => window.player.play());
      await page.waitForTimeout(WARM_UP_SECONDS * 1000);
      const { profile: startup } = await cdp.send('Profiler.stop');
      await cdp.send('Profiler.start');
      const m0 = await metrics();
      const t0 = Date.now();
      await page.waitForTimeout(PLAY_SECONDS * 1000);
      const m1 = await metrics();
      const wall = (Date.now() - t0) / 1000;
      const { profile } = await cdp.send('Profiler.stop');
      const played = await page.evaluate(() => window.player.currentTime());
      const sessions = await page.evaluate(() => window.__bench.sessionStarts.length);
      const perMinute = (name) => ((m1[name] - m0[name]) * 1000 * 60) / wall;
      return {
        task: perMinute('TaskDuration'),
        script: perMinute('ScriptDuration'),
        own: (pluginTime(profile) * 60) / wall,
        startup: pluginTime(startup),
        played,
        wall,
        sessions
      };
    } finally {
      await context.close();
    }
  };
  // One after the other, in the order without, with, with, without, so that drift cancels.
  const runs = [];
  for (const withPlugin of [false, true, true, false]) {
    progress(`  playing ${PLAY_SECONDS} s ${withPlugin ? 'with' : 'without'} the plugin`);
    runs.push({ withPlugin, ...(await measure(withPlugin)) });
    if (process.env.BENCH_DEBUG) progress(JSON.stringify(runs.at(-1)));
  }
  for (const run of runs) {
    if (run.played < (WARM_UP_SECONDS + PLAY_SECONDS) * 0.8)
      notes.push(`main thread: a page played only ${fixed(run.played)} s of ${fixed(run.wall)} s`);
    if (run.withPlugin && run.sessions !== 1) notes.push(`main thread: a page with the plugin started ${run.sessions} sessions`);
  }
  const mean = (list, key) => list.reduce((sum, run) => sum + run[key], 0) / list.length;
  const withP = runs.filter((run) => run.withPlugin);
  const without = runs.filter((run) => !run.withPlugin);
  const noise = (key) => Math.max(Math.abs(without[0][key] - without[1][key]), Math.abs(withP[0][key] - withP[1][key]));
  row(
    'Main-thread time added per minute of playback',
    signed(mean(withP, 'task') - mean(without, 'task'), 1),
    'ms/min',
    `CDP TaskDuration, with minus without, ${PLAY_SECONDS} s ×2 each; the page without: ${fixed(mean(without, 'task'), 0)} ms/min; repeat runs differ by up to ${fixed(noise('task'), 1)}`
  );
  row(
    '... of which script',
    signed(mean(withP, 'script') - mean(without, 'script'), 1),
    'ms/min',
    `CDP ScriptDuration, the same way; the page without: ${fixed(mean(without, 'script'), 0)} ms/min; repeat runs differ by up to ${fixed(noise('script'), 1)}`
  );
  row(
    '... in the plugin itself (CPU profile)',
    fixed(mean(withP, 'own'), 1),
    'ms/min',
    `samples with the plugin's code on the stack (what it calls included); runs: ${withP.map((run) => fixed(run.own, 1)).join(', ')}`
  );
  row(
    'Plugin time at the session start (one-off)',
    fixed(mean(withP, 'startup'), 1),
    'ms',
    `CPU profile of the first ${WARM_UP_SECONDS} s of playback (not in the figures above); runs: ${withP.map((run) => fixed(run.startup, 1)).join(', ')}`
  );
}

/**
 * Heap, listeners and timers after creating and disposing a player 500 times, with the plugin
 * and, on another page, without it.
 */
async function cycles(open) {
  const measure = async (withPlugin) => {
    const { page, context, options } = await open();
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const pageListeners = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSEventListeners').value;
      const cycle = (n) =>
        page.evaluate(
          ({ n, options, withPlugin }) => {
            for (let i = 0; i < n; i++) {
              const video = document.createElement('video');
              // One id for all: video.js keeps a key per player id in videojs.players for good.
              video.id = 'cycled';
              video.className = 'video-js';
              video.muted = true;
              document.body.appendChild(video);
              const player = window.videojs(video, { muted: true, width: 320, height: 180 });
              if (withPlugin) player.mediaCollection(options);
              // A play opens a session (and its timers) that waits for the duration.
              player.tech(true)?.trigger('play');
              player.dispose();
            }
          },
          { n, options, withPlugin }
        );
      const settle = () =>
        page.evaluate(async () => {
          // Let short timers of the disposal run, then collect everything.
          await new Promise((resolve) => setTimeout(resolve, 300));
          for (let i = 0; i < 4; i++) {
            window.gc();
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const bench = window.__bench;
          let listeners = 0;
          for (const set of bench.listeners.values()) listeners += set.size;
          return { heap: performance.memory.usedJSHeapSize, timers: bench.timers.size, listeners };
        });
      const at = async () => ({ ...(await settle()), all: await pageListeners() });
      const before = await at();
      const t0 = Date.now();
      await cycle(100);
      const after100 = await at();
      await cycle(CYCLES - 100);
      const after = await at();
      // Live instances, found by prototype in the heap (queryObjects collects garbage first).
      const instances = async (expression) => {
        const { result: prototype } = await cdp.send('Runtime.evaluate', { expression, objectGroup: 'bench' });
        const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId, objectGroup: 'bench' });
        const { result } = await cdp.send('Runtime.callFunctionOn', {
          objectId: objects.objectId,
          functionDeclaration: 'function () { return this.length; }',
          returnByValue: true
        });
        await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'bench' });
        return result.value;
      };
      const live = {
        players: await instances("videojs.getComponent('Player').prototype"),
        trackers: withPlugin ? await instances("videojs.getPlugin('mediaCollection').prototype") : 0
      };
      return { before, after100, after, live, ms: (Date.now() - t0) / CYCLES };
    } finally {
      await context.close();
    }
  };
  const p = await measure(true);
  const v = await measure(false);
  const kb = (bytes) => signed(bytes / 1024, 1);
  if (process.env.BENCH_DEBUG) progress(JSON.stringify({ p, v }));
  const perCycle = (r) => signed((r.after.heap - r.after100.heap) / (CYCLES - 100), 0);
  row(
    `Heap growth after ${CYCLES} create/dispose cycles`,
    kb(p.after.heap - p.before.heap),
    'KB',
    `usedJSHeapSize after GC, from ${fixed(p.before.heap / 1048576, 2)} MB; ${kb(p.after100.heap - p.before.heap)} KB after 100; video.js alone: ${kb(v.after100.heap - v.before.heap)} KB after 100, ${kb(v.after.heap - v.before.heap)} KB after ${CYCLES}`
  );
  row(
    `... from cycle 100 to ${CYCLES}, per cycle`,
    perCycle(p),
    'B',
    `video.js alone ${perCycle(v)} B; includes compiled code and tables that grow in steps, so the live counts below are the leak test`
  );
  row(
    'Players and trackers alive after the cycles',
    `${p.live.players} / ${p.live.trackers}`,
    '',
    `goal 0 / 0: instances of video.js's Player and of the plugin found in the heap; video.js alone ${v.live.players} players`
  );
  row(
    'Live timers left',
    p.after.timers - p.before.timers,
    '',
    `goal 0: setTimeout/setInterval/requestAnimationFrame not yet run or cleared; video.js alone ${v.after.timers - v.before.timers}`
  );
  row(
    'window/document listeners left',
    p.after.listeners - p.before.listeners,
    '',
    `goal 0; video.js alone ${v.after.listeners - v.before.listeners}`
  );
  row(
    'Event listeners left, whole page',
    p.after.all - p.before.all,
    '',
    `goal 0: CDP JSEventListeners after GC; video.js alone ${v.after.all - v.before.all}; ${fixed(p.ms, 1)} ms a cycle`
  );
}

// ---------------------------------------------------------------------------------------------

function printTable() {
  const head = { figure: 'Figure', value: 'Value', unit: 'Unit', goal: 'Goal / comment' };
  const all = [head, ...rows];
  const width = (key) => Math.max(...all.map((r) => r[key].length));
  const w = { figure: width('figure'), value: width('value'), unit: width('unit') };
  const line = (r) => `| ${r.figure.padEnd(w.figure)} | ${r.value.padStart(w.value)} | ${r.unit.padEnd(w.unit)} | ${r.goal} |`;
  const out = [
    line(head),
    `|${'-'.repeat(w.figure + 2)}|${'-'.repeat(w.value + 1)}:|${'-'.repeat(w.unit + 2)}|${'-'.repeat(16)}|`,
    ...rows.map(line)
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (notes.length) process.stdout.write(`\n${notes.map((note) => `Note: ${note}`).join('\n')}\n`);
}

const started = Date.now();
row(
  'Machine',
  `${os.cpus().length} CPU`,
  '',
  `${os.cpus()[0]?.model ?? '?'}, ${fixed(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}`
);
await part('size', sizes, 'size');
const executablePath = chromiumPath();
if (only && !['events', 'start', 'main', 'cycles'].some((id) => only.includes(id))) {
  // nothing to do in Chromium
} else if (executablePath) {
  await part('Chromium', () => browserParts(executablePath));
} else {
  notes.push(
    'no Chromium found (CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser): the cost per event, play → sessionStart, main-thread and create/dispose figures are missing. Install it with `apt-get install -y chromium` or set CHROME_PATH.'
  );
}
row('Benchmark run time', fixed((Date.now() - started) / 1000, 0), 's', '');
printTable();
