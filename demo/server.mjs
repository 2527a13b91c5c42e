// `npm run demo`: one Node process that serves the demo page, the built plugin, video.js from
// node_modules and the sample media, and runs the API emulator (Media Collection API, and Media
// Edge API under /ee) on a second port, so that the page and the API are different origins and
// CORS works as in production.
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator/emulator.mjs';
import { createMediaHandler } from './media-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.map': 'application/json'
};

/** URL prefixes and the folders they serve, read-only (and `/vendor/video.js/`, see VIDEOJS). */
const FOLDERS = {
  '/demo/': join(root, 'demo', 'page'),
  '/dist/': join(root, 'dist'),
  '/test/': join(root, 'test', 'browser', 'pages'),
  // The ads framework of the demo's and the tests' local ad integration (demo/page/local-ads.js).
  '/vendor/videojs-contrib-ads/': join(root, 'node_modules', 'videojs-contrib-ads', 'dist'),
  // Video.js 10's browser builds (ES modules) and hls.js, for the pages of trackMedia (src/element.ts).
  '/vendor/videojs-html/': join(root, 'node_modules', '@videojs', 'html', 'cdn'),
  '/vendor/hls.js/': join(root, 'node_modules', 'hls.js', 'dist'),
  // Adobe's Web SDK (the devDependency @adobe/alloy, its standalone build), a client of the
  // emulator's Edge in test/browser/adobe-clients.test.ts.
  '/vendor/alloy/': join(root, 'node_modules', '@adobe', 'alloy', 'dist')
};

/** The video.js builds `/vendor/video.js/` serves, by major (7 is the devDependency alias `video.js-7`). */
const VIDEOJS = { 7: 'video.js-7', 8: 'video.js' };

async function serveFile(res, file) {
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(await readFile(file));
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
}

/** The file a static path names, or null when it would leave its folder. */
function resolveStatic(pathname, folders) {
  for (const [prefix, folder] of Object.entries(folders)) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(folder, decodeURIComponent(pathname.slice(prefix.length))));
    return file.startsWith(folder + sep) ? file : null;
  }
  return null;
}

/** Resolves when `server` listens, or rejects with a message that says what to do. */
function listen(server, port, host, what, flag) {
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is in use, so the ${what} cannot start. Choose another with ${flag} <port>.`)
          : error
      )
    );
    server.listen(port, host, () => resolve(server.address().port));
  });
}

/**
 * Starts the demo: the page server and, unless `endpoint` names a real collection host, the
 * emulator. Port 0 picks free ports (the tests do that).
 * `videojs` is the video.js major the page gets (`VIDEOJS_MAJOR`, else 8).
 * `/config.json` gives the page `endpoint` (the Media Collection API), `edgeEndpoint` (the Media
 * Edge API's base, the emulator's `/ee` unless `edgeEndpoint` names a real one, e.g.
 * `https://edge.adobedc.net/ee`; null with a real `endpoint` and no `edgeEndpoint`) and `emulatorUrl`.
 * @param {{host?: string, port?: number, apiPort?: number, endpoint?: string, edgeEndpoint?: string, videojs?: number}} [options]
 * @returns {Promise<{url: string, endpoint: string, edgeEndpoint: string | null, emulatorUrl: string | null, emulator: object | null, close(): Promise<void>}>}
 */
export async function startDemo({
  host = '127.0.0.1',
  port = 8080,
  apiPort = 8081,
  endpoint,
  edgeEndpoint,
  videojs = Number(process.env.VIDEOJS_MAJOR || 8)
} = {}) {
  if (!VIDEOJS[videojs]) throw new Error(`video.js ${videojs} is not available: choose 7 or 8.`);
  const folders = { ...FOLDERS, '/vendor/video.js/': join(root, 'node_modules', VIDEOJS[videojs], 'dist') };
  const emulated = endpoint
    ? null
    : await startEmulator({ host, port: apiPort }).catch((error) => {
        throw error.code === 'EADDRINUSE' || /in use/.test(error.message)
          ? new Error(`Port ${apiPort} is in use, so the API emulator cannot start. Choose another with --api-port <port>.`)
          : error;
      });
  const config = {
    endpoint: endpoint ?? emulated.url,
    edgeEndpoint: edgeEndpoint ?? (emulated ? `${emulated.url}/ee` : null),
    emulatorUrl: emulated?.url ?? null
  };
  const media = createMediaHandler();
  const server = http.createServer((req, res) => {
    if (media.handle(req, res)) return;
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === '/') return serveFile(res, join(root, 'demo', 'page', 'index.html'));
    if (pathname === '/config.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return res.end(JSON.stringify(config));
    }
    const file = resolveStatic(pathname, folders);
    if (file) return serveFile(res, file);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  let actualPort;
  try {
    actualPort = await listen(server, port, host, 'demo page server', '--port');
  } catch (error) {
    await emulated?.close();
    throw error;
  }
  return {
    url: `http://${host}:${actualPort}/`,
    endpoint: config.endpoint,
    edgeEndpoint: config.edgeEndpoint,
    emulatorUrl: config.emulatorUrl,
    emulator: emulated?.emulator ?? null,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await emulated?.close();
    }
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: process.env.DEMO_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.DEMO_PORT ?? '8080' },
      'api-port': { type: 'string', default: process.env.EMULATOR_PORT ?? '8081' },
      endpoint: { type: 'string', default: process.env.MC_ENDPOINT },
      'edge-endpoint': { type: 'string', default: process.env.EDGE_ENDPOINT }
    }
  });
  startDemo({
    host: values.host,
    port: Number(values.port),
    apiPort: Number(values['api-port']),
    endpoint: values.endpoint,
    edgeEndpoint: values['edge-endpoint']
  }).then(
    (demo) => {
      process.stdout.write(
        `Demo page:                      ${demo.url}\n` +
          (demo.emulatorUrl
            ? `Media Collection API emulator:  ${demo.emulatorUrl}\n`
            : `Collection host (real):         ${demo.endpoint}\n`) +
          (demo.edgeEndpoint?.startsWith(`${demo.emulatorUrl}/`)
            ? `Media Edge API emulator:        ${demo.edgeEndpoint}\n`
            : demo.edgeEndpoint
              ? `Edge Network base (real):       ${demo.edgeEndpoint}\n`
              : '') +
          'Press Ctrl+C to stop.\n'
      );
    },
    (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
  );
}
