// @vitest-environment node
// The package as npm publishes it: `npm pack` into a temporary folder, then publint and
// arethetypeswrong on the tarball, TypeScript on code that uses it, and Node's own resolution
// of the package's `exports`. `npm test` builds before it tests.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve('.');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/**
 * publint's suggestions that this package declines, each with its reason. USE_EXPORTS_BROWSER
 * proposes an `exports` "browser" condition for the UMD build: bundlers would then take the UMD
 * build for the browser instead of the ES build. The `browser` field stays for what reads it
 * (CDNs' default file, bundlers from before `exports`).
 */
const DECLINED = ['USE_EXPORTS_BROWSER'];

/**
 * Code that uses the package from an ES module and from a CommonJS module, for TypeScript's
 * `nodenext` (the types of `import` and of `require`; `bundler` and `node10` read the same two
 * files). video.js's own types say `export default` for its CommonJS build, so an ES module
 * reaches its `Player` as `.default`.
 */
const CONSUMERS = {
  'esm.mts': `
import type * as PlayerModule from 'video.js/dist/types/player.js';
import MediaCollection, { type MediaCollectionOptions, type SessionEndData } from 'videojs-media-collection';
declare const player: PlayerModule.default;
const options: MediaCollectionOptions = { endpoint: 'https://collection.example', params: {} };
const tracker: MediaCollection = player.mediaCollection(options);
const version: string = MediaCollection.VERSION;
const ended: SessionEndData = { sessionId: null, reason: 'end' };
class Tracker extends MediaCollection {}
// @ts-expect-error: the version is a string
const wrong: number = MediaCollection.VERSION;
export { tracker, version, ended, Tracker, wrong };
`,
  'cjs.cts': `
import type Player = require('video.js/dist/types/player.js');
import MediaCollection = require('videojs-media-collection');
import type { MediaCollectionOptions, SessionEndData } from 'videojs-media-collection';
declare const player: Player.default;
const options: MediaCollectionOptions = { endpoint: 'https://collection.example', params: {} };
const same: MediaCollection.MediaCollectionOptions = options;
const tracker: MediaCollection = player.mediaCollection(options);
const version: string = MediaCollection.VERSION;
const ended: SessionEndData = { sessionId: null, reason: 'end' };
class Tracker extends MediaCollection {}
// @ts-expect-error: module.exports is the class itself, with no default
MediaCollection.default;
export { same, tracker, version, ended, Tracker };
`,
  'element.mts': `
import { trackMedia, type MediaTracker, type TrackMediaOptions, type SessionStartData } from 'videojs-media-collection/element';
declare const video: HTMLVideoElement;
const options: TrackMediaOptions = { edge: { datastreamId: 'ds' }, params: { 'media.channel': 'web' } };
const tracker: MediaTracker = trackMedia(video, options);
video.addEventListener('mediacollection:sessionstart', (event) => {
  const { sessionId }: SessionStartData = (event as CustomEvent<SessionStartData>).detail;
  console.log(sessionId, tracker.sessionId);
});
export { tracker };
`,
  'element.cts': `
import element = require('videojs-media-collection/element');
declare const audio: HTMLAudioElement;
const tracker: element.MediaTracker = element.trackMedia(audio, { endpoint: 'https://collection.example' });
tracker.dispose();
export { tracker };
`
};

describe('package', () => {
  let folder: string;
  let tarball: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'videojs-media-collection-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', folder], { cwd: root });
    tarball = join(folder, JSON.parse(stdout)[0].filename);
  }, 60000);

  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('passes publint, suggestions included', async () => {
    const data = readFileSync(tarball);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) } });
    const problems = messages.filter((message) => !DECLINED.includes(message.code));
    expect(problems.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`)).toEqual([]);
  }, 60000);

  it('passes arethetypeswrong in every resolution mode', async () => {
    // The exit code is 1 on any problem; the table then says which. --no-definitely-typed: the
    // package has its own types, and nothing is fetched.
    const result = await run(bin('attw'), [tarball, '--no-definitely-typed', '--format', 'ascii', '--no-color'], { cwd: folder }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout + error.stderr })
    );
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/No problems found/);
  }, 60000);

  it('gives TypeScript the class and the types from import and from require', () => {
    const consumer = join(folder, 'consumer');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', folder]);
    renameSync(join(folder, 'package'), join(consumer, 'node_modules', 'videojs-media-collection'));
    symlinkSync(join(root, 'node_modules', 'video.js'), join(consumer, 'node_modules', 'video.js'), 'dir');
    for (const [name, code] of Object.entries(CONSUMERS)) writeFileSync(join(consumer, name), code);
    const program = ts.createProgram(
      Object.keys(CONSUMERS).map((name) => join(consumer, name)),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        types: [],
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts']
      }
    );
    const host = { getCanonicalFileName: (name: string) => name, getCurrentDirectory: () => consumer, getNewLine: () => '\n' };
    expect(ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host)).toBe('');
  }, 60000);

  it('resolves the ES build for import and the CommonJS build for require, as Node reads exports', async () => {
    // Node resolves the package's own name through `exports` from inside the package.
    const imported = await run(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('videojs-media-collection'))"],
      { cwd: root }
    );
    expect(imported.stdout.trim()).toMatch(/\/dist\/videojs-media-collection\.mjs$/);
    const required = await run(process.execPath, ['-p', "require.resolve('videojs-media-collection')"], { cwd: root });
    expect(required.stdout.trim()).toMatch(/\/dist\/videojs-media-collection\.cjs$/);
    const element = await run(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('videojs-media-collection/element'))"],
      { cwd: root }
    );
    expect(element.stdout.trim()).toMatch(/\/dist\/media-collection-element\.mjs$/);
  }, 60000);

  it('registers the plugin on video.js in Node, from import and from require', async () => {
    const esm =
      "import videojs from 'video.js'; import MediaCollection from 'videojs-media-collection'; console.log(videojs.getPlugin('mediaCollection') === MediaCollection);";
    expect((await run(process.execPath, ['--input-type=module', '-e', esm], { cwd: root })).stdout.trim()).toBe('true');
    const cjs =
      "const videojs = require('video.js'); const MediaCollection = require('videojs-media-collection'); console.log(videojs.getPlugin('mediaCollection') === MediaCollection);";
    expect((await run(process.execPath, ['-e', cjs], { cwd: root })).stdout.trim()).toBe('true');
  }, 60000);
});
