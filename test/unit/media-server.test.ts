// @vitest-environment node
// The media server against a real node:http server and Node's fetch: files, ranges, path
// traversal, the throttle, and the live HLS window moved by a fake clock (no waiting).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMediaHandler } from '../../demo/media-server.mjs';

const MEDIA = new URL('../../demo/media/', import.meta.url);
const mediaFile = (name: string) => readFileSync(new URL(name, MEDIA));

/** The fake clock of the live stream, in ms; each live test sets it from T0. */
const T0 = 1767225600000;
let clock = T0;
const media = createMediaHandler({ now: () => clock });

let server: http.Server;
let origin: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!media.handle(req, res)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('fallback');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/**
 * A GET with the path sent exactly as written: fetch (WHATWG URL) would resolve `..` and
 * `%2e%2e` before sending, so the server would never see the traversal attempt.
 */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      })
      .on('error', reject);
  });
}

describe('files', () => {
  test.each([
    ['short.mp4', 'video/mp4'],
    ['vod.mp4', 'video/mp4'],
    ['audio.m4a', 'audio/mp4'],
    ['hls/master.m3u8', 'application/vnd.apple.mpegurl'],
    ['hls/180p/segment000.ts', 'video/mp2t']
  ])('serves %s as %s, whole, with CORS and no caching', async (name, type) => {
    const response = await fetch(`${origin}/media/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const expected = mediaFile(name);
    expect(response.headers.get('content-length')).toBe(String(expected.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(expected)).toBe(true);
  });

  test('HEAD gives the headers and no body', async () => {
    const response = await fetch(`${origin}/media/short.mp4`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(mediaFile('short.mp4').length));
    expect(await response.text()).toBe('');
  });

  test('a missing file is a 404', async () => {
    const response = await fetch(`${origin}/media/nothing.mp4`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toBe('fallback');
  });

  test.each([
    ['bytes=100-1099', 100, 1099],
    ['bytes=-500', 'size-500', 'size-1'],
    ['bytes=1000-', 1000, 'size-1'],
    ['bytes=0-99999999', 0, 'size-1']
  ])('Range %s is a 206 with exactly those bytes', async (range, from, to) => {
    const file = mediaFile('short.mp4');
    const at = (value: number | string) => (typeof value === 'number' ? value : file.length - Number(value.slice('size-'.length)));
    const start = at(from);
    const end = at(to);
    const response = await fetch(`${origin}/media/short.mp4`, { headers: { Range: range } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${file.length}`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(Buffer.from(await response.arrayBuffer()).equals(file.subarray(start, end + 1))).toBe(true);
  });

  test('a Range past the end is a 416 that gives the size', async () => {
    const size = mediaFile('short.mp4').length;
    const response = await fetch(`${origin}/media/short.mp4`, { headers: { Range: `bytes=${size}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${size}`);
  });

  test.each([
    '/media/../package.json',
    '/media/%2e%2e/package.json',
    '/media/%2E%2E/package.json',
    '/media/..%2fpackage.json',
    '/media/hls/..%2f..%2f..%2fpackage.json',
    '/media/..%5c..%5cpackage.json'
  ])('refuses the traversal %s', async (path) => {
    const { status, body } = await rawGet(path);
    expect(status).toBe(403);
    expect(body).not.toContain('videojs-media-collection');
  });

  test('leaves other paths to the next handler', async () => {
    const untouched = new Proxy({} as http.ServerResponse, {
      get: (_, key) => {
        throw new Error(`handle touched res.${String(key)}`);
      }
    });
    for (const url of ['/', '/media', '/mediax/short.mp4', '/demo/media/short.mp4', '/x?/media/']) {
      expect(media.handle({ url, method: 'GET', headers: {} } as http.IncomingMessage, untouched)).toBe(false);
    }
    const response = await fetch(`${origin}/index.html`);
    expect(await response.text()).toBe('fallback');
  });

  test('?failOnce= fails the first request of its key with a 503, then serves normally', async () => {
    expect((await fetch(`${origin}/media/short.mp4?failOnce=a`)).status).toBe(503);
    expect((await fetch(`${origin}/media/short.mp4?failOnce=a`)).status).toBe(200);
    expect((await fetch(`${origin}/media/short.mp4?failOnce=b`)).status).toBe(503);
  });

  test('a malformed throttle is a 400, not silently ignored', async () => {
    expect((await fetch(`${origin}/media/short.mp4?throttle=fast`)).status).toBe(400);
  });
});

describe('throttle and delay', () => {
  // 1000 bytes at 4000 B/s: at least 250 ms, quick enough for a unit test.
  const BYTES = 1000;
  const RATE = 4000;
  const minimumMs = (BYTES / RATE) * 1000;

  async function timedRange(url: string) {
    const started = performance.now();
    const response = await fetch(url, { headers: { Range: `bytes=0-${BYTES - 1}` } });
    const body = Buffer.from(await response.arrayBuffer());
    return { response, body, ms: performance.now() - started };
  }

  test('?throttle= sends no faster than the rate', async () => {
    const { response, body, ms } = await timedRange(`${origin}/media/short.mp4?throttle=${RATE}`);
    expect(response.status).toBe(206);
    expect(body.equals(mediaFile('short.mp4').subarray(0, BYTES))).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(minimumMs);
  });

  test('setThrottle throttles requests without the query, until turned off', async () => {
    media.setThrottle(RATE);
    try {
      const { body, ms } = await timedRange(`${origin}/media/short.mp4`);
      expect(body.length).toBe(BYTES);
      expect(ms).toBeGreaterThanOrEqual(minimumMs);
    } finally {
      media.setThrottle(0);
    }
    expect(() => media.setThrottle(-1)).toThrow(TypeError);
  });

  test('?delay= holds the response back', async () => {
    const started = performance.now();
    const response = await fetch(`${origin}/media/hls/master.m3u8?delay=100`);
    await response.text();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  test('a throttled VOD playlist passes the throttle on to what it lists', async () => {
    const master = await (await fetch(`${origin}/media/hls/master.m3u8?throttle=50000`)).text();
    expect(uris(master)).toEqual(['180p/index.m3u8?throttle=50000', '360p/index.m3u8?throttle=50000']);
    const playlist = await (await fetch(`${origin}/media/hls/180p/index.m3u8?throttle=50000`)).text();
    expect(uris(playlist).length).toBeGreaterThan(0);
    for (const uri of uris(playlist)) expect(uri).toMatch(/^segment\d+\.ts\?throttle=50000$/);
  });
});

/** The URI lines of a playlist. */
function uris(playlist: string) {
  return playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** The value of a tag, e.g. tag(text, 'EXT-X-MEDIA-SEQUENCE'). */
function tag(playlist: string, name: string) {
  return new RegExp(`^#${name}:(.*)$`, 'm').exec(playlist)?.[1];
}

describe('live HLS', () => {
  // What the live stream loops over, read independently of the server.
  const vod = mediaFile('hls/180p/index.m3u8').toString();
  const segmentNames = uris(vod);
  const count = segmentNames.length;
  const durations = [...vod.matchAll(/^#EXTINF:([\d.]+)/gm)].map((m) => Number(m[1]));
  const segmentMs = durations[0] * 1000;

  async function live(rendition = '180p', at: number, query = '') {
    clock = at;
    const response = await fetch(`${origin}/media/live/${rendition}/index.m3u8${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    return response.text();
  }

  /** The playlist's segments: URI, and whether a discontinuity tag comes before it. */
  function segmentsOf(playlist: string) {
    const segments: Array<{ uri: string; discontinuity: boolean }> = [];
    let discontinuity = false;
    for (const line of playlist.split('\n')) {
      if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
      else if (line !== '' && !line.startsWith('#')) {
        segments.push({ uri: line, discontinuity });
        discontinuity = false;
      }
    }
    return segments;
  }
  const segmentUri = (index: number) => `/media/hls/180p/${segmentNames[index % count]}`;

  test('the sample VOD has equal segments, more of them than the live window', () => {
    expect(count).toBeGreaterThan(5);
    expect(new Set(durations).size).toBe(1);
  });

  test('the master lists both renditions, relative to /media/live/', async () => {
    const response = await fetch(`${origin}/media/live/master.m3u8`);
    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const master = await response.text();
    expect(uris(master)).toEqual(['180p/index.m3u8', '360p/index.m3u8']);
    const variants = master.split('\n').filter((line) => line.startsWith('#EXT-X-STREAM-INF:'));
    expect(variants).toHaveLength(2);
    for (const variant of variants) {
      expect(variant).toMatch(/BANDWIDTH=\d+/);
      expect(variant).toMatch(/RESOLUTION=\d+x\d+/);
      expect(variant).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    }
  });

  test('a new stream has a full window of 5 segments and no end', async () => {
    const playlist = await live('180p', T0);
    expect(playlist.startsWith('#EXTM3U\n')).toBe(true);
    expect(tag(playlist, 'EXT-X-MEDIA-SEQUENCE')).toBe('0');
    expect(tag(playlist, 'EXT-X-DISCONTINUITY-SEQUENCE')).toBe('0');
    expect(Number(tag(playlist, 'EXT-X-TARGETDURATION'))).toBeGreaterThanOrEqual(durations[0]);
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    expect(playlist).not.toContain('#EXT-X-PLAYLIST-TYPE');
    expect(segmentsOf(playlist)).toEqual([0, 1, 2, 3, 4].map((i) => ({ uri: segmentUri(i), discontinuity: false })));
  });

  test('the media sequence advances by one per segment duration', async () => {
    expect(tag(await live('180p', T0 + segmentMs - 1), 'EXT-X-MEDIA-SEQUENCE')).toBe('0');
    const next = await live('180p', T0 + segmentMs);
    expect(tag(next, 'EXT-X-MEDIA-SEQUENCE')).toBe('1');
    expect(uris(next)).toEqual([1, 2, 3, 4, 5].map(segmentUri));
    expect(tag(await live('180p', T0 + 7 * segmentMs), 'EXT-X-MEDIA-SEQUENCE')).toBe('7');
    // Both renditions are on the same timeline, so the player can switch between them.
    expect(tag(await live('360p', T0 + 7 * segmentMs), 'EXT-X-MEDIA-SEQUENCE')).toBe('7');
  });

  test('a discontinuity marks where the loop wraps around', async () => {
    const wrapping = await live('180p', T0 + (count - 2) * segmentMs);
    expect(tag(wrapping, 'EXT-X-MEDIA-SEQUENCE')).toBe(String(count - 2));
    expect(tag(wrapping, 'EXT-X-DISCONTINUITY-SEQUENCE')).toBe('0');
    expect(segmentsOf(wrapping)).toEqual([
      { uri: segmentUri(count - 2), discontinuity: false },
      { uri: segmentUri(count - 1), discontinuity: false },
      { uri: segmentUri(0), discontinuity: true },
      { uri: segmentUri(1), discontinuity: false },
      { uri: segmentUri(2), discontinuity: false }
    ]);

    // Once the wrap is the first segment, the discontinuity sequence counts it instead.
    const wrapped = await live('180p', T0 + count * segmentMs);
    expect(tag(wrapped, 'EXT-X-MEDIA-SEQUENCE')).toBe(String(count));
    expect(tag(wrapped, 'EXT-X-DISCONTINUITY-SEQUENCE')).toBe('1');
    expect(wrapped).not.toContain('#EXT-X-DISCONTINUITY\n');
    expect(uris(wrapped)).toEqual([0, 1, 2, 3, 4].map(segmentUri));

    const second = await live('180p', T0 + (2 * count - 1) * segmentMs);
    expect(tag(second, 'EXT-X-DISCONTINUITY-SEQUENCE')).toBe('1');
    expect(segmentsOf(second).map((s) => s.discontinuity)).toEqual([false, true, false, false, false]);
  });

  test('the listed segments are served, and a throttle on the playlist reaches them', async () => {
    const [first] = uris(await live('180p', T0));
    const segment = await fetch(`${origin}${first}`);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(Buffer.from(await segment.arrayBuffer()).equals(mediaFile(first.slice('/media/'.length)))).toBe(true);

    const master = await (await fetch(`${origin}/media/live/master.m3u8?throttle=50000`)).text();
    expect(uris(master)).toEqual(['180p/index.m3u8?throttle=50000', '360p/index.m3u8?throttle=50000']);
    const throttled = await live('360p', T0, '?throttle=50000');
    expect(uris(throttled)).toEqual([0, 1, 2, 3, 4].map((i) => `/media/hls/360p/${segmentNames[i]}?throttle=50000`));
  });

  test('an unknown rendition is a 404', async () => {
    expect((await fetch(`${origin}/media/live/999p/index.m3u8`)).status).toBe(404);
  });
});
