import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const unit = {
  // Both cores: the unit tests are CPU-bound, and nothing else runs beside them (group 0).
  maxWorkers: 2,
  include: ['test/unit/**/*.test.ts'],
  environment: 'happy-dom',
  setupFiles: ['test/unit/setup.ts']
};

// The unit tests (group 0) use both cores. The browser tests come after them (group 1), one
// file at a time: they play media in real time, and a second browser beside one on 2 cores made
// real stalls (an extra bufferStart in a test of exact events) and delayed Firefox's request at
// tab close past the page's end.
const browser = { environment: 'node', testTimeout: 60000, hookTimeout: 120000, maxWorkers: 1, sequence: { groupOrder: 1 } };

/**
 * The browser test files with scenarios that run in Firefox and WebKit too (their tests not
 * declared Chromium-only). Not the HLS rendition switch in WebKit: WebKitGTK's Media Source
 * Extensions never start playing VHS's stream (see the README's "Supported browsers").
 */
const ENGINE_FILES = {
  firefox: [
    'test/browser/playback.test.ts',
    'test/browser/features.test.ts',
    'test/browser/quality.test.ts',
    'test/browser/demo-page.test.ts',
    'test/browser/page-close.test.ts',
    'test/browser/element.test.ts'
  ],
  webkit: [
    'test/browser/playback.test.ts',
    'test/browser/features.test.ts',
    'test/browser/demo-page.test.ts',
    'test/browser/element.test.ts'
  ]
};

export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version) },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', ...unit } },
      {
        // The unit tests that drive a player, on video.js 7 (the devDependency `video.js-7`, an npm
        // alias); the pure modules' tests (delivery, options, params, session, emulator, media
        // server) run the same code on either major and run once, in `unit`, as does the check
        // of the packed package.
        extends: true,
        resolve: { alias: [{ find: /^video\.js$/, replacement: 'video.js-7' }] },
        test: {
          name: 'unit-vjs7',
          ...unit,
          exclude: [
            'test/unit/{delivery,media-collection,media-edge,identity,options,params,session,emulator,emulator-edge,emulator-clients,metrics,media-server,package}.test.ts'
          ],
          setupFiles: [...unit.setupFiles, 'test/unit/setup-vjs7.ts']
        }
      },
      {
        // Not page-close.test.ts, which measures Firefox's tab close (Chromium closes a tab in playback.test.ts).
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          exclude: ['test/browser/page-close.test.ts'],
          ...browser,
          env: { VIDEOJS_MAJOR: '8' }
        }
      },
      {
        // The end-to-end tests on video.js 7: the demo server serves its build as /vendor/video.js/.
        // Not ads.test.ts: videojs-contrib-ads 7.5 needs video.js 8 (player.ads() throws on 7,
        // which lacks videojs.obj.merge).
        extends: true,
        test: {
          name: 'browser-vjs7',
          include: ['test/browser/playback.test.ts', 'test/browser/features.test.ts'],
          ...browser,
          env: { VIDEOJS_MAJOR: '7' }
        }
      },
      // The scenarios where engines differ, in Firefox ESR and WebKitGTK (see test/browser/engines.ts):
      // the tests of these files that are not declared Chromium-only.
      ...['firefox', 'webkit'].map((engine) => ({
        extends: true,
        test: { name: `browser-${engine}`, include: ENGINE_FILES[engine], ...browser, env: { BROWSER_ENGINE: engine } }
      }))
    ]
  }
});
