/**
 * Serves demo/media over HTTP: files with Range support, an optional per-request throttle,
 * and a live HLS stream made by sliding a window over the VOD segments.
 *
 * Used by the demo server and the browser tests, which mount it in front of their own routes:
 *
 *   const media = createMediaHandler();
 *   http.createServer((req, res) => media.handle(req, res) || otherRoutes(req, res));
 *
 * Query parameters understood on any /media/ URL (they apply to that one request):
 * - `throttle=<bytes per second>`: send the body no faster than that (0: not throttled, even
 *   when `setThrottle` is on). On a playlist it is also added to every URI in the served
 *   playlist, so the variant playlists and segments the player fetches next are throttled too.
 * - `delay=<ms>`: wait that long before the response starts.
 * - `failOnce=<key>`: answer the first request that carries this key with a 503 (after `delay`),
 *   and every later one normally: a source that fails, then plays when the player loads it again.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** Where the files are, and the URL path they are served under. */
const DEFAULT_ROOT = fileURLToPath(new URL('./media/', import.meta.url));
const PREFIX = '/media/';

/**
 * How many segments a live playlist lists by default: enough for VHS to start 3 target
 * durations back from the live edge. (video.js's liveTracker only shows its live UI for a
 * window of 20 s or more; pass a larger `liveWindow` for that.)
 */
const LIVE_WINDOW = 5;

const CONTENT_TYPES = {
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.vtt': 'text/vtt',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8'
};

/**
 * Headers on every answer. The demo page and the test pages may come from another origin
 * (or port) than the media, hence CORS, and the exposed headers let a test read a range
 * response. `no-store` because the live playlists change every segment and a throttled test
 * must not be served from the browser's cache.
 */
const COMMON_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Accept-Ranges, Content-Length, Content-Range',
  'Timing-Allow-Origin': '*',
  'Cache-Control': 'no-store'
};

/**
 * Creates the request handler for `/media/` URLs.
 *
 * @param {object} [options]
 * @param {string} [options.root] The directory served as `/media/` (default: demo/media).
 * @param {() => number} [options.now] The clock of the live stream in ms (default: Date.now);
 *   tests pass a fake one to move the live window without waiting.
 * @param {number} [options.liveWindow] How many segments a live playlist lists (default 5).
 * @returns {{
 *   handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean,
 *   setThrottle: (bytesPerSecond: number) => void
 * }} `handle` answers the request and returns true when its path starts with `/media/`, and
 *   returns false without touching it otherwise; `setThrottle` limits every following
 *   response that has no `throttle` query to that many bytes per second (0 turns it off).
 */
export function createMediaHandler({ root = DEFAULT_ROOT, now = () => Date.now(), liveWindow = LIVE_WINDOW } = {}) {
  if (!Number.isInteger(liveWindow) || liveWindow < 1) {
    throw new TypeError(`createMediaHandler: liveWindow must be a whole number >= 1, got ${liveWindow}`);
  }
  const base = path.resolve(root);
  // The live stream starts when the handler is made; `livePlaylist` backdates it by a full
  // window so the first playlist already has all its segments.
  const created = now();
  let globalRate = 0;
  /** The `failOnce` keys already failed. */
  const failed = new Set();
  /** @type {Map<string, Promise<VodPlaylist>>} */
  const vodPlaylists = new Map();

  /** Parses (once) the VOD playlist of a rendition; rejects when there is none. */
  function vodPlaylist(rendition) {
    let playlist = vodPlaylists.get(rendition);
    if (!playlist) {
      playlist = readFile(path.join(base, 'hls', rendition, 'index.m3u8'), 'utf8').then(parseMediaPlaylist);
      // A missing rendition is not remembered, so it can appear later (make.sh rerun).
      playlist.catch(() => vodPlaylists.delete(rendition));
      vodPlaylists.set(rendition, playlist);
    }
    return playlist;
  }

  async function serve(req, res, relative, query) {
    const rate = query.throttle ?? globalRate;

    if (relative === 'live/master.m3u8') {
      // The VOD master's variant URIs are relative (180p/index.m3u8), so under /media/live/
      // they already name the live media playlists.
      const text = await readFile(path.join(base, 'hls', 'master.m3u8'), 'utf8');
      return send(req, res, { type: CONTENT_TYPES['.m3u8'], body: addQuery(text, query), rate, delay: query.delay });
    }
    const live = /^live\/([A-Za-z0-9_-]+)\/index\.m3u8$/.exec(relative);
    if (live) {
      let vod;
      try {
        vod = await vodPlaylist(live[1]);
      } catch {
        return fail(res, 404, 'no such rendition');
      }
      const text = livePlaylist(vod, `${PREFIX}hls/${live[1]}/index.m3u8`, now() - created, liveWindow);
      return send(req, res, { type: CONTENT_TYPES['.m3u8'], body: addQuery(text, query), rate, delay: query.delay });
    }

    const file = path.resolve(base, relative);
    // Belt and braces with the `..` check in `handle`: nothing outside root, whatever the path.
    if (!file.startsWith(base + path.sep)) return fail(res, 403, 'forbidden');
    let info;
    try {
      info = await stat(file);
    } catch {
      return fail(res, 404, 'not found');
    }
    if (!info.isFile()) return fail(res, 404, 'not found');
    const extension = path.extname(file).toLowerCase();
    const type = CONTENT_TYPES[extension] ?? 'application/octet-stream';
    if (extension === '.m3u8' && query.throttle !== undefined) {
      const text = await readFile(file, 'utf8');
      return send(req, res, { type, body: addQuery(text, query), rate, delay: query.delay });
    }
    return send(req, res, {
      type,
      size: info.size,
      open: (start, end) => createReadStream(file, { start, end }),
      rate,
      delay: query.delay
    });
  }

  return {
    /**
     * Answers a request for `/media/...`; anything else is left for the next handler.
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     * @returns {boolean} Whether the request was for `/media/` (and is being answered).
     */
    handle(req, res) {
      const url = req.url ?? '';
      const mark = url.indexOf('?');
      // The raw path, not `new URL(...).pathname`: URL parsing would resolve `..` and hide
      // a traversal attempt instead of refusing it.
      const rawPath = mark === -1 ? url : url.slice(0, mark);
      if (!rawPath.startsWith(PREFIX)) return false;

      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...COMMON_HEADERS,
          'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': 'Range'
        });
        res.end();
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        fail(res, 405, 'method not allowed', { Allow: 'GET, HEAD, OPTIONS' });
        return true;
      }

      let relative;
      try {
        relative = decodeURIComponent(rawPath.slice(PREFIX.length));
      } catch {
        fail(res, 400, 'bad path');
        return true;
      }
      // Checked after decoding, so `%2e%2e` and `..%2f` are caught as well as `..`.
      const parts = relative.split('/');
      if (parts.some((part) => part === '..' || part === '.') || /[\\\0]/.test(relative)) {
        fail(res, 403, 'forbidden');
        return true;
      }

      const query = parseQuery(mark === -1 ? '' : url.slice(mark + 1));
      if (!query) {
        fail(res, 400, 'throttle and delay must be whole numbers >= 0');
        return true;
      }
      if (query.failOnce !== undefined && !failed.has(query.failOnce)) {
        failed.add(query.failOnce);
        setTimeout(() => fail(res, 503, 'failing once, as asked'), query.delay ?? 0);
        return true;
      }
      serve(req, res, relative, query).catch((error) =>
        // ENOENT: e.g. the live master when hls/ has not been made.
        error?.code === 'ENOENT' ? fail(res, 404, 'not found') : fail(res, 500, 'server error')
      );
      return true;
    },

    /**
     * Throttles every response that has no `throttle` query, e.g. to make the player stall
     * in a buffering test.
     * @param {number} bytesPerSecond The rate; 0 turns the throttle off.
     */
    setThrottle(bytesPerSecond) {
      if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) {
        throw new TypeError(`setThrottle: expected a rate >= 0, got ${bytesPerSecond}`);
      }
      globalRate = bytesPerSecond;
    }
  };
}

/**
 * @typedef {{ uri: string, duration: string, ms: number }} VodSegment
 * @typedef {{ targetDuration: number, segments: VodSegment[] }} VodPlaylist
 */

/** Reads the target duration and the segments (URI and EXTINF duration) of a media playlist. */
function parseMediaPlaylist(text) {
  let targetDuration = 0;
  let duration = null;
  const segments = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) {
      targetDuration = Number(line.slice('#EXT-X-TARGETDURATION:'.length));
    } else if (line.startsWith('#EXTINF:')) {
      duration = line.slice('#EXTINF:'.length).split(',')[0];
    } else if (line && !line.startsWith('#') && duration !== null) {
      // Whole milliseconds, so the live timeline adds up without floating-point drift.
      segments.push({ uri: line, duration, ms: Math.round(Number(duration) * 1000) });
      duration = null;
    }
  }
  if (segments.length === 0 || segments.some((s) => !(s.ms > 0))) {
    throw new Error('not a usable VOD media playlist');
  }
  return { targetDuration: targetDuration || Math.ceil(Math.max(...segments.map((s) => s.ms)) / 1000), segments };
}

/**
 * The live media playlist at a moment: the VOD segments repeat forever on a timeline where
 * segment `s` (counting across loops) is segment `s % n` of the VOD; a segment is listed once
 * it has "finished recording" (its end is in the past), and the playlist holds the last
 * `windowSize` of them. The clock is backdated by a full window so a brand-new stream can
 * already be played. With segments of equal length d, the media sequence is floor(t / d).
 * Each rendition uses its own EXTINF durations; the renditions made by make.sh have the same
 * ones, so they share the sequence numbers and a player can switch between them.
 *
 * @param {VodPlaylist} vod
 * @param {string} vodUrl The absolute URL path of the VOD playlist, to resolve segment URIs.
 * @param {number} elapsed Milliseconds since the stream started (clamped at 0).
 * @param {number} windowSize How many segments to list.
 */
function livePlaylist(vod, vodUrl, elapsed, windowSize) {
  const { segments } = vod;
  const n = segments.length;
  // ends[i]: where VOD segment i ends within one loop of loopMs.
  const ends = [];
  let loopMs = 0;
  for (const segment of segments) ends.push((loopMs += segment.ms));
  const endOf = (s) => Math.floor(s / n) * loopMs + ends[s % n];
  /** How many segments have ended by time t. */
  const completed = (t) => {
    const loops = Math.floor(t / loopMs);
    const rest = t - loops * loopMs;
    return loops * n + ends.filter((end) => end <= rest).length;
  };

  const last = completed(Math.max(0, elapsed) + endOf(windowSize - 1));
  const first = last - windowSize;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${vod.targetDuration}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    // Every wrap back to the first VOD segment is a discontinuity (the timestamps restart).
    // The first segment's discontinuity sequence number is the count of wraps up to and
    // including it; its own tag is left out, since the count already includes it.
    `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / n)}`,
    '#EXT-X-INDEPENDENT-SEGMENTS'
  ];
  for (let s = first; s < last; s++) {
    if (s % n === 0 && s !== first) lines.push('#EXT-X-DISCONTINUITY');
    const segment = segments[s % n];
    lines.push(`#EXTINF:${segment.duration},`, new URL(segment.uri, `http://media${vodUrl}`).pathname);
  }
  return lines.join('\n') + '\n';
}

/**
 * Parses `throttle` and `delay` (other parameters are ignored); null when one is not a whole
 * number >= 0, so a typo fails loudly instead of silently not throttling.
 * @returns {{ throttle?: number, delay?: number } | null}
 */
function parseQuery(search) {
  const params = new URLSearchParams(search);
  const query = {};
  for (const name of ['throttle', 'delay']) {
    const value = params.get(name);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) return null;
    query[name] = Number(value);
  }
  if (params.has('failOnce')) query.failOnce = params.get('failOnce');
  return query;
}

/**
 * Adds the request's `throttle` to every URI of a playlist (URI lines and URI="..."
 * attributes), so what the player fetches through it is throttled like the playlist was.
 */
function addQuery(text, query) {
  if (query.throttle === undefined) return text;
  const add = (uri) => `${uri}${uri.includes('?') ? '&' : '?'}throttle=${query.throttle}`;
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      if (!line.startsWith('#')) return add(line.trim());
      return line.replace(/URI="([^"]*)"/g, (_, uri) => `URI="${add(uri)}"`);
    })
    .join('\n');
}

/** An error answer in plain text (still with CORS, so a page can read the status). */
function fail(res, status, message, headers = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${message}\n`);
}

/**
 * Parses a Range header against a size. Returns the inclusive byte range, 'unsatisfiable',
 * or null to ignore the header and send everything (what RFC 9110 allows for a header that is
 * not one valid byte range, including multiple ranges, which this server does not do).
 */
function parseRange(header, size) {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const last = match[2] === '' ? Infinity : Number(match[2]);
  if (last < start) return null; // e.g. bytes=5-3: not a valid range, so not a 416 either
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}

/**
 * Sends a body (a file through `open`, or a string) with Range, HEAD, delay and throttle.
 * @param {{ type: string, body?: string, size?: number,
 *   open?: (start: number, end: number) => import('node:stream').Readable,
 *   rate: number, delay?: number }} source
 */
function send(req, res, source) {
  const buffer = source.body === undefined ? null : Buffer.from(source.body, 'utf8');
  const size = buffer ? buffer.length : source.size;
  const headers = { ...COMMON_HEADERS, 'Content-Type': source.type, 'Accept-Ranges': 'bytes' };

  let status = 200;
  let start = 0;
  let end = size - 1;
  const range = req.headers.range ? parseRange(req.headers.range, size) : null;
  if (range === 'unsatisfiable') {
    return fail(res, 416, 'range not satisfiable', { 'Content-Range': `bytes */${size}` });
  }
  if (range) {
    status = 206;
    ({ start, end } = range);
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = String(end - start + 1);

  const respond = () => {
    if (res.destroyed) return;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const body = buffer ? Readable.from([buffer.subarray(start, end + 1)]) : source.open(start, end);
    const streams = source.rate > 0 ? [body, new Throttle(source.rate), res] : [body, res];
    // pipeline tears the file stream and the throttle's timer down when the player aborts
    // the request, which it does all the time (seeks, rendition switches).
    pipeline(...streams, (error) => {
      if (error) res.destroy();
    });
  };

  if (source.delay > 0) {
    const timer = setTimeout(respond, source.delay);
    res.once('close', () => clearTimeout(timer));
  } else {
    respond();
  }
}

/**
 * Passes bytes through no faster than a rate: each piece (a tenth of a second's worth) is
 * released only once the total sent, that piece included, is within the rate since the start,
 * so a body of N bytes takes at least N / rate seconds to arrive.
 */
class Throttle extends Transform {
  /** @param {number} bytesPerSecond */
  constructor(bytesPerSecond) {
    super();
    this.rate = bytesPerSecond;
    this.pieceSize = Math.max(1, Math.min(64 * 1024, Math.floor(bytesPerSecond / 10)));
    this.started = performance.now();
    this.sent = 0;
    this.timer = null;
  }

  _transform(chunk, _encoding, done) {
    let offset = 0;
    const release = () => {
      this.timer = null;
      if (this.destroyed) return;
      // A loop rather than recursion: after a backpressure pause many pieces are already due.
      while (offset < chunk.length) {
        const piece = chunk.subarray(offset, offset + this.pieceSize);
        const wait = this.started + ((this.sent + piece.length) / this.rate) * 1000 - performance.now();
        if (wait > 0) {
          // Timers may fire a little early against performance.now(); the loop re-checks.
          this.timer = setTimeout(release, Math.ceil(wait));
          return;
        }
        offset += piece.length;
        this.sent += piece.length;
        this.push(piece);
      }
      done();
    };
    release();
  }

  _destroy(error, callback) {
    clearTimeout(this.timer);
    callback(error);
  }
}
