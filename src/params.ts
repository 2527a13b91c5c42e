import type { MediaFields } from './events';
import type { MediaFacts } from './player/player';
import {
  checkCustomMetadata,
  checkParams,
  coerce,
  isObject,
  requireKeys,
  type Config,
  type ExtraMetadata,
  type Params,
  type Problems
} from './options';

/** The plugin's version, written in by the build from package.json. */
export const VERSION: string = __VERSION__;

/** `media.length` for live content or an unknown duration (spec §2.2, §4.6). */
export const LIVE_LENGTH = 86400;

/** An id or name as text: a string, number or boolean; an empty one counts as none. */
const text = (value: unknown) => (coerce('s', value) as string | undefined) || undefined;

/**
 * The `sessionStart` params derived from the player (see the contract's table), before the
 * publisher's params are laid over them.
 */
export function derivedParams(facts: MediaFacts): Params {
  const { mediainfo, source, duration } = facts;
  const params: Params = {
    // The same asset keeps its id across sessions (spec §6.1): a signed URL's token does not count.
    'media.id': text(mediainfo.id) ?? text(source.id) ?? (facts.src.replace(/[?#].*/, '') || 'unknown'),
    'media.name': text(mediainfo.name) ?? text(source.name) ?? text(source.title),
    'media.length': isFinite(duration) ? duration : LIVE_LENGTH,
    'media.contentType': duration === Infinity ? 'live' : 'vod',
    'media.streamType': facts.audio ? 'audio' : 'video',
    'media.playerName': facts.playerName,
    'media.libraryVersion': `videojs-media-collection-${VERSION}`,
    // Adobe's SDK always sends this; the Analytics hits it produces go over TLS.
    'analytics.enableSSL': true
  };
  // An undefined media.name is left out of the JSON.
  return params;
}

/** What the `metadata` option gave for a session: its result, or what it threw. */
export type Extra = { result: ExtraMetadata | undefined } | { threw: unknown };

/**
 * The `sessionStart` params and custom metadata of a session (spec §2.2, §2.3, §6.5): what the
 * player tells (`derivedParams`, Brightcove's `custom_fields`), then the options, then what the
 * `metadata` option returned, each winning over the one before, and `media.resume` for a session
 * that continues another. Pure: the problems found are returned, and `media` is there only
 * when there is no error.
 */
export function sessionParams(facts: MediaFacts, config: Config, extra: Extra, resume: boolean): { media?: MediaFields } & Problems {
  const problems: Problems = { errors: [], warnings: [] };
  const params = derivedParams(facts);
  // Custom fields that are not an object are the site's business.
  const fields = facts.mediainfo.custom_fields;
  const customMetadata = checkCustomMetadata(isObject(fields) ? fields : undefined, problems, 'mediainfo.custom_fields');
  Object.assign(params, config.params);
  Object.assign(customMetadata, config.customMetadata);
  if ('threw' in extra) problems.errors.push(`metadata() threw: ${extra.threw}`);
  else if (extra.result) {
    Object.assign(params, checkParams(extra.result.params, problems, 'metadata().params'));
    Object.assign(customMetadata, checkCustomMetadata(extra.result.customMetadata, problems, 'metadata().customMetadata'));
  }
  if (resume) params['media.resume'] = true;
  requireKeys(params, problems, !!config.datastreamId);
  return problems.errors.length ? problems : { ...problems, media: { params, customMetadata } };
}
