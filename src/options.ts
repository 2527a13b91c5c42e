import { xdmField } from './transport/media-edge';
import type Player from 'video.js/dist/types/player';

/** A flat map of Media Collection `params` (spec §2.2, §2.3, §6.1, §6.2). */
export type Params = Record<string, unknown>;

/** What the `metadata` option returns: extra `params` and `customMetadata` for one session. */
export interface ExtraMetadata {
  params?: Params;
  customMetadata?: Record<string, unknown>;
}

/**
 * Options of the `mediaCollection` plugin. Every option except `metadata` can be written as JSON,
 * so `data-setup` works.
 */
export interface MediaCollectionOptions {
  /**
   * Base URI of the Media Collection API's host, e.g. `https://example.hb-api.omtrdc.net`.
   * Requests go to `{endpoint}/api/v1/sessions` and `{endpoint}/api/v1/sessions/{sid}/events`.
   * Must be `https:`, except for loopback hosts (`localhost`, `127.0.0.1`, `[::1]`). Give this or
   * `edge`, not both.
   */
  endpoint?: string;
  /**
   * Collect through Adobe's Edge Network (the Media Edge API) instead of the Media Collection
   * API: give this or `endpoint`, not both.
   */
  edge?: EdgeOptions;
  /**
   * When `params` has no `visitor.marketingCloudUserId`, find the visitor's Experience Cloud ID
   * on the page (Adobe's Visitor API, Web SDK or the `AMCV_` cookie) before `sessionStart`
   * leaves; a session waits for it a second at most.
   * @default true
   */
  identity?: boolean;
  /**
   * Media Collection `params` for `sessionStart`; they win over the values the plugin derives.
   * `analytics.trackingServer`, `analytics.reportSuite`, `visitor.marketingCloudOrgId` and
   * `media.channel` are required (here or from `metadata`).
   * @default {}
   */
  params?: Params;
  /**
   * Custom metadata for `sessionStart`. Values are sent as strings; keys must match
   * `^[a-zA-Z0-9_.]+$` and must not start with `a.` or `media.`.
   * @default {}
   */
  customMetadata?: Record<string, unknown>;
  /**
   * Start a session on the first `play` of each media item. With `false`, only `start()` does.
   * @default true
   */
  autoStart?: boolean;
  /**
   * Seconds between pings, from 1 to 10 (Adobe requires a ping at least every 10 s).
   * @default 10
   */
  pingInterval?: number;
  /**
   * Seconds between pings while an ad plays, from 1 to 10. Adobe's pages disagree between 10 s
   * and 1 s during ads (spec §4.1); 1 gives finer ad reports.
   * @default 10
   */
  adPingInterval?: number;
  /**
   * Seconds of idling (paused, stalled, seeking, or waiting for the first frame) after which the
   * session is ended with `sessionEnd`; playing again starts a new session with
   * `media.resume: true`. At most 1790: Adobe closes a session after 30 minutes without playhead
   * movement, and the `sessionEnd` must arrive before that.
   * @default 1790
   */
  idleTimeout?: number;
  /**
   * Called at every session start with the player; returns extra `params` and `customMetadata`
   * that win over `params` and `customMetadata`. Not expressible in JSON.
   */
  metadata?: (player: Player) => ExtraMetadata | undefined;
  /**
   * Allow a plain `http:` endpoint on a host that is not loopback (a test host on a private
   * network, say). Tracking data then travels unencrypted.
   * @default false
   */
  allowHttp?: boolean;
  /**
   * Log every request and its response through the player's logger.
   * @default false
   */
  debug?: boolean;
  /**
   * Start with the viewer's consent pending: playback is tracked but nothing is sent until
   * `setConsent('granted')` sends it, in order with the original `ts` (`setConsent('denied')`
   * drops it).
   * @default false
   */
  consentPending?: boolean;
}

/** The `edge` option: where the Edge Network's Media Edge API is, and the datastream. */
export interface EdgeOptions {
  /** The datastream id (with Media Analytics on), sent as `configId`. */
  datastreamId: string;
  /**
   * Base URI up to and including the base path: a first-party domain, or a local emulator.
   * Requests go to `{endpoint}/va/v1/{eventType}`, or after a location hint to
   * `{endpoint}/{hint}/va/v1/{eventType}`. `https:` as for `endpoint`.
   * @default 'https://edge.adobedc.net/ee'
   */
  endpoint?: string;
}

/** The Edge Network's own host and base path. */
export const EDGE_ENDPOINT = 'https://edge.adobedc.net/ee';

/** Options after validation: what the tracker works with. */
export interface Config {
  /** Where requests go: `endpoint`, or on the Edge path `edge.endpoint`, without trailing slashes. */
  base: string;
  /** The Edge's datastream id: set on the Edge path only. */
  datastreamId?: string;
  identity: boolean;
  params: Params;
  customMetadata: Record<string, string>;
  autoStart: boolean;
  /** Milliseconds. */
  ping: number;
  /** Milliseconds, while an ad plays. */
  adPing: number;
  /** Milliseconds. */
  idle: number;
  /** Called with the entry's subject (the video.js player, the media element). */
  metadata?: (subject: unknown) => ExtraMetadata | undefined;
  debug: boolean;
  consentPending: boolean;
}

/** What validation found: `errors` make the options unusable, `warnings` only drop keys. */
export interface Problems {
  errors: string[];
  warnings: string[];
}

/**
 * Params the publisher must give (spec §2.2); the plugin derives the other required ones. On the
 * Edge path the datastream holds the Analytics and org settings: only `media.channel` is required.
 */
export const PUBLISHER_KEYS = ['analytics.trackingServer', 'analytics.reportSuite', 'visitor.marketingCloudOrgId', 'media.channel'];

// Every sessionStart param the API knows (spec §2.2, §2.3, §6.1, §6.2), by JSON type:
// s string, n number above 0, i integer, b boolean, v "audio" or "video", o visitor.customerIDs.
// The live schema has `additionalProperties: false`, so anything else gets a 400. (No prototype:
// `valueOf` or `constructor` are not params.)
const TYPES: Record<string, string> = Object.create(null);
const define = (type: string, prefix: string, names: string) => names.split(' ').forEach((name) => (TYPES[prefix + name] = type));
define('s', 'analytics.', 'trackingServer reportSuite visitorId aid');
define('s', 'visitor.', 'marketingCloudOrgId marketingCloudUserId');
define('s', '', 'appInstallationId');
define(
  's',
  'media.',
  'id name contentType playerName channel sdkVersion libraryVersion publisher show season ' +
    'episode assetId genre firstAirDate firstDigitalDate rating originator network showType adLoad ' +
    'pass.mvpd pass.auth dayPart feed streamFormat artist album label author station'
);
define('n', 'media.', 'length');
define('v', 'media.', 'streamType');
define('b', 'media.', 'resume');
define('b', 'analytics.', 'enableSSL optOutServerSideForwarding optOutShare');
define('i', 'visitor.', 'aamLocationHint');
define('o', 'visitor.', 'customerIDs');

const NAMES: Record<string, string> = {
  s: 'a string',
  n: 'a number above 0',
  v: '"audio" or "video"',
  i: 'an integer',
  b: 'a boolean',
  o: '{id, authState} objects'
};

const show = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
};

/** Whether a value is a plain object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/**
 * Converts one param value to the JSON type the API requires, when that loses nothing
 * (`"60"` → `60`, `2` → `"2"`, `"true"` → `true`). Returns `undefined` when it cannot.
 */
export function coerce(type: string, value: unknown): unknown {
  const t = typeof value;
  if (type === 's') return t === 'string' || t === 'boolean' || Number.isFinite(value) ? String(value) : undefined;
  if (type === 'v') return value === 'audio' || value === 'video' ? value : undefined;
  if (type === 'o') {
    // visitor.customerIDs: { <idType>: { id: string, authState?: 0 | 1 | 2 } } (spec §2.3)
    return isObject(value) &&
      Object.values(value as Record<string, Record<string, unknown>>).every(
        (entry) =>
          typeof entry?.id === 'string' &&
          Object.keys(entry).every((key) => key === 'id' || (key === 'authState' && [0, 1, 2].includes(entry[key] as number)))
      )
      ? value
      : undefined;
  }
  let v = value;
  try {
    // The text of a number or boolean, as JSON writes it ("60", " 1e3 ", "true").
    if (t === 'string') v = JSON.parse(value as string);
  } catch {
    // not a number or boolean
  }
  return (type === 'b' ? typeof v === 'boolean' : type === 'n' ? Number.isFinite(v) && (v as number) > 0 : Number.isInteger(v))
    ? v
    : undefined;
}

/**
 * Goes through the entries of an object option: `take` returns the value to keep, `undefined`
 * to drop the key (one warning, `dropped`, names them all) or `null` when it reported an error.
 * Entries that are null or undefined count as not given.
 */
function walk<T>(
  input: unknown,
  problems: Problems,
  where: string,
  dropped: string,
  take: (key: string, value: unknown) => T | undefined | null
): Record<string, T> {
  const out: Record<string, T> = {};
  if (input != null && !isObject(input)) problems.errors.push(`${where} must be an object, got ${show(input)}`);
  const drop: string[] = [];
  for (const [key, value] of Object.entries(input ?? {})) {
    const kept = value == null ? null : take(key, value);
    if (kept === undefined) drop.push(key);
    else if (kept !== null) out[key] = kept;
  }
  if (drop.length) problems.warnings.push(`${where}: ${dropped}: ${drop.join(', ')}`);
  return out;
}

/**
 * Checks and converts `params`: wrong types are errors naming the key, unknown keys are
 * dropped (one warning names them all). `where` names the source in messages.
 */
export function checkParams(input: unknown, problems: Problems, where = 'params'): Params {
  return walk(input, problems, where, 'unknown keys dropped', (key, value) => {
    const type = TYPES[key];
    if (!type) return undefined;
    const converted = coerce(type, value);
    if (converted !== undefined) return converted;
    problems.errors.push(`${where}["${key}"] must be ${NAMES[type]}, got ${show(value)}`);
    return null;
  });
}

/**
 * Cleans custom metadata (spec §6.5): values become strings; keys that do not match
 * `^[a-zA-Z0-9_.]+$`, keys with the reserved `a.` or `media.` prefixes and values that are not
 * strings, numbers or booleans, or longer than 1024 characters (a request may not pass 64 KB),
 * are dropped with one warning.
 */
export function checkCustomMetadata(input: unknown, problems: Problems, where = 'customMetadata'): Record<string, string> {
  return walk(input, problems, where, 'invalid keys or values dropped', (key, value) => {
    const text = coerce('s', value) as string | undefined;
    return /^(?!(a|media)\.)[\w.]+$/.test(key) && text && text.length <= 1024 ? text : undefined;
  });
}

/** Adds an error naming the publisher keys that `params` lacks, if any (`edge`: on the Edge path). */
export function requireKeys(params: Params, problems: Problems, edge: boolean): void {
  const missing = PUBLISHER_KEYS.filter((key) => params[key] == null && !(edge && key !== 'media.channel'));
  if (missing.length) problems.errors.push(`params lacks the required ${missing.join(', ')}`);
}

/** The options of a plain JavaScript type, with that type. */
const OPTION_TYPES = {
  autoStart: 'boolean',
  debug: 'boolean',
  allowHttp: 'boolean',
  consentPending: 'boolean',
  identity: 'boolean',
  metadata: 'function'
};

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$|\.localhost$/;

/** A collection host's URL without a query, a fragment or trailing slashes ('' when it is not valid). */
function checkUrl(value: unknown, name: string, allowHttp: boolean, problems: Problems): string {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // reported below
  }
  if (
    !url ||
    typeof value !== 'string' ||
    !/^https?:$/.test(url.protocol) ||
    (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowHttp)
  ) {
    // Tracking data goes over TLS: plain http: is for a local emulator, or explicitly allowed.
    problems.errors.push(`${name} must be an https: URL (http: only on loopback or with allowHttp), got ${show(value)}`);
    return '';
  }
  // From the parsed URL: surrounding spaces, a query or a fragment would break every request.
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/** A number of seconds from 1 to `max` (the default), in milliseconds. */
function checkSeconds(options: Record<string, unknown>, name: string, max: number, problems: Problems): number {
  const value = options[name] ?? max;
  if (typeof value === 'number' && value >= 1 && value <= max) return value * 1000;
  problems.errors.push(`${name} must be 1 to ${max} (seconds), got ${show(value)}`);
  return max * 1000;
}

/**
 * Validates the plugin options. Pure: it returns the config and every problem found, and
 * leaves logging to the caller.
 */
export function checkOptions(input: unknown): { config: Config } & Problems {
  const problems: Problems = { errors: [], warnings: [] };
  const options: Record<string, unknown> = isObject(input) ? input : {};
  if (input != null && !isObject(input)) problems.errors.push(`options must be an object, got ${show(input)}`);

  // Exactly one of the two paths.
  const edge = options.edge;
  let base = '';
  let datastreamId: string | undefined;
  if ((options.endpoint === undefined) === (edge === undefined)) {
    problems.errors.push(edge === undefined ? 'endpoint (or edge) is required' : 'give endpoint or edge, not both');
  } else if (edge === undefined) {
    base = checkUrl(options.endpoint, 'endpoint', options.allowHttp === true, problems);
  } else if (!isObject(edge) || typeof edge.datastreamId !== 'string' || !edge.datastreamId.trim()) {
    problems.errors.push(`edge must be { datastreamId, endpoint? }, got ${show(edge)}`);
  } else {
    datastreamId = edge.datastreamId.trim();
    base = checkUrl(edge.endpoint ?? EDGE_ENDPOINT, 'edge.endpoint', options.allowHttp === true, problems);
  }

  const params = checkParams(options.params, problems);
  const customMetadata = checkCustomMetadata(options.customMetadata, problems);
  const metadata = options.metadata;
  // With a metadata function the publisher keys may come from it; they are checked again at
  // each session start after the merge.
  if (!metadata && (options.params == null || isObject(options.params))) requireKeys(params, problems, edge !== undefined);
  if (datastreamId) {
    // The Edge's XDM has no field for them (the datastream holds the Analytics settings).
    // The org id is not sent either, but finds the visitor's identity on the page.
    const unmapped = Object.keys(params).filter((key) => !xdmField(key) && !/^visitor\.marketingCloud(User|Org)Id$/.test(key));
    if (unmapped.length) problems.warnings.push(`params the Edge Network has no field for, not sent: ${unmapped.join(', ')}`);
  }

  for (const [name, type] of Object.entries(OPTION_TYPES)) {
    if (options[name] !== undefined && typeof options[name] !== type) {
      problems.errors.push(`${name} must be a ${type}, got ${show(options[name])}`);
    }
  }

  return {
    ...problems,
    config: {
      base,
      datastreamId,
      identity: options.identity !== false,
      params,
      customMetadata,
      autoStart: options.autoStart !== false,
      ping: checkSeconds(options, 'pingInterval', 10, problems),
      adPing: checkSeconds(options, 'adPingInterval', 10, problems),
      idle: checkSeconds(options, 'idleTimeout', 1790, problems),
      metadata: typeof metadata === 'function' ? (metadata as Config['metadata']) : undefined,
      debug: options.debug === true,
      consentPending: options.consentPending === true
    }
  };
}
