// `npm run emulator`: the emulator on its own, for anyone building against Adobe's Media
// Collection API or its Media Edge API (Edge Network), with any client: the plugin, Adobe's Media
// SDK, Adobe's Web SDK, a player of one's own. It prints where to point each API and serves the
// timeline and report of what it received at `/__emulator/`.
//
//   npm run emulator -- [--port 8081] [--host 127.0.0.1] [--scope NAME] [--latency MS]
//     [--error-rate 0..1] [--error-status 503] [--slow-start MS] [--gone-after N] [--seed N]
//     [--edge-hint emu1] [--org-id ORG@AdobeOrg] [--tls-cert cert.pem --tls-key key.pem] [--quiet]
//
// See docs/emulator.md, "Check any Adobe client against the emulator".
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.mjs';

const OPTIONS = {
  port: { type: 'string', default: process.env.EMULATOR_PORT ?? '8081' },
  host: { type: 'string', default: process.env.EMULATOR_HOST ?? '127.0.0.1' },
  scope: { type: 'string', default: 'default' },
  latency: { type: 'string' },
  'error-rate': { type: 'string' },
  'error-status': { type: 'string' },
  'slow-start': { type: 'string' },
  'gone-after': { type: 'string' },
  seed: { type: 'string' },
  'edge-hint': { type: 'string' },
  'org-id': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false }
};

/** The fault settings of the command line, by the emulator's fault names. */
const FAULT_FLAGS = {
  latency: 'latency',
  'error-rate': 'errorRate',
  'error-status': 'errorStatus',
  'slow-start': 'slowStart',
  'gone-after': 'goneAfter',
  seed: 'seed'
};

/** The faults' values that change nothing, which the banner leaves out. */
const FAULT_DEFAULTS = { errorStatus: 503, seed: 1 };

const SCOPE = /^[A-Za-z0-9_-]{1,64}$/;

const USAGE = `Usage: npm run emulator -- [options]

Starts the emulator of Adobe's Media Collection API and Media Edge API alone, prints where to
point each API, and serves the timeline and report of what it received.

  --port N            port to listen on (default 8081; 0 picks a free one)
  --host HOST         address to listen on (default 127.0.0.1)
  --scope NAME        the scope to print URLs for and to set the faults of (default: default)
  --latency MS        ms added before every API answer
  --error-rate R      0..1: the share of API requests answered --error-status, not applied
  --error-status N    the status of those answers (default 503)
  --slow-start MS     ms added before a 201 (and the Edge's sessionStart 200)
  --gone-after N      a session's event after N accepted events gets 410
  --seed N            seed of the PRNG that picks the errors (default 1)
  --edge-hint HINT    the Edge's location hint (default emu1)
  --org-id ORG        the IMS org of the emulated datastream (default EMULATOR@AdobeOrg):
                      the Web SDK's orgId must be the same
  --tls-cert FILE     PEM certificate: serve HTTPS (Adobe's Web SDK sends to https:// only)
  --tls-key FILE      PEM key of that certificate
  --quiet             do not log each request
`;

/** The lines that say where to point each client, for the emulator at `url` and `scope`. */
export function banner({ url, scope, orgId, edgeHint, faults }) {
  const base = scope === 'default' ? url : `${url}/p/${scope}`;
  const { protocol, host, port } = new URL(url);
  const path = scope === 'default' ? '' : `/p/${scope}`;
  const secure = protocol === 'https:';
  // The Web SDK's edgeDomain is a host name without a port, and it always sends to https.
  const webSdk =
    secure && (port === '' || port === '443')
      ? `edgeDomain "${host}", edgeBasePath "${`${path}/ee`.slice(1)}", orgId "${orgId}"`
      : `needs HTTPS on port 443 (--tls-cert, --tls-key, --port 443), or a browser that maps a host name to this port; then edgeDomain "<that host>", edgeBasePath "${`${path}/ee`.slice(1)}", orgId "${orgId}"`;
  const set = Object.entries(faults).filter(([name, value]) => value !== (FAULT_DEFAULTS[name] ?? 0));
  return [
    `Media Collection API:  ${base}`,
    `  Media SDK 3.x:       trackingServer "${host}${path}", ssl ${secure}`,
    `Media Edge API:        ${base}/ee   (/va/v1/{eventType}?configId=…, and /v1/interact for the Web SDK)`,
    `  Web SDK 2.x:         ${webSdk}`,
    `  location hint:       ${edgeHint}`,
    `Timeline and report:   ${url}/__emulator/?scope=${encodeURIComponent(scope)}`,
    `Faults of "${scope}":     ${set.length ? set.map(([name, value]) => `${name} ${value}`).join(', ') : 'none'}`
  ];
}

/**
 * Starts the emulator the command line describes and prints where to point each client.
 * @param {string[]} argv
 * @param {{ out?: (line: string) => void, err?: (line: string) => void }} [io]
 * @returns {Promise<{ code: number, started?: Awaited<ReturnType<typeof startEmulator>> }>} `code` 0 with
 *   the running emulator (`started`), 1 when it could not start, 2 for a usage error (printed).
 */
export async function start(argv, { out = console.log, err = console.error } = {}) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true }));
  } catch (error) {
    err(`${error.message}\n\n${USAGE}`);
    return { code: 2 };
  }
  if (values.help) {
    out(USAGE);
    return { code: 0 };
  }
  try {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port must be an integer from 0 to 65535, not ${values.port}`);
    if (!SCOPE.test(values.scope)) throw new Error(`--scope must match ${SCOPE}, not ${JSON.stringify(values.scope)}`);
    if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new Error('--tls-cert and --tls-key go together');
    const tls = values['tls-cert'] ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) } : undefined;
    const faults = {};
    for (const [flag, name] of Object.entries(FAULT_FLAGS)) {
      if (values[flag] !== undefined) faults[name] = Number(values[flag]);
    }
    const started = await startEmulator({
      port,
      host: values.host,
      tls,
      edgeHint: values['edge-hint'],
      orgId: values['org-id'],
      log: values.quiet ? undefined : out
    });
    const { emulator } = started;
    let current;
    try {
      current = emulator.setFaults(values.scope, faults);
    } catch (error) {
      await started.close();
      throw error;
    }
    for (const line of banner({
      url: started.url,
      scope: values.scope,
      orgId: emulator.orgId,
      edgeHint: emulator.edgeHint,
      faults: current
    })) {
      out(line);
    }
    return { code: 0, started };
  } catch (error) {
    err(error.message);
    return { code: 1 };
  }
}

/** The command line: starts the emulator until Ctrl+C, and resolves the exit code (0 while it runs). */
export async function main(argv) {
  const { code, started } = await start(argv);
  if (started) {
    console.log('Press Ctrl+C to stop.');
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => started.close().then(() => process.exit(0)));
  }
  return code;
}

/** Whether Node was asked to run this file (rather than import it). */
function isMain() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) process.exitCode = await main(process.argv.slice(2));
