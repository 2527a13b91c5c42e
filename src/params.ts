import type { MediaFacts } from './player-facts';
import { checkCustomMetadata, isObject, type Params, type Problems } from './options';

/** The plugin's version, written in by the build from package.json. */
export const VERSION: string = __VERSION__;

/** `media.length` for live content or an unknown duration (spec §2.2, §4.6). */
export const LIVE_LENGTH = 86400;

const text = (value: unknown): string | undefined =>
  (typeof value === 'string' && value) || (typeof value === 'number' && isFinite(value)) ? String(value) : undefined;

/**
 * The `sessionStart` params derived from the player (see the contract's table), before the
 * publisher's params are laid over them.
 */
export function derivedParams(facts: MediaFacts): Params {
  const { mediainfo, source, duration } = facts;
  const params: Params = {
    'media.id': text(mediainfo.id) ?? text(source.id) ?? (facts.src || 'unknown'),
    'media.name': text(mediainfo.name) ?? text(source.name) ?? text(source.title),
    'media.length': isFinite(duration) ? duration : LIVE_LENGTH,
    'media.contentType': duration === Infinity ? 'live' : 'vod',
    'media.streamType': facts.audio ? 'audio' : 'video',
    'media.playerName': 'video.js',
    'media.libraryVersion': `videojs-media-collection-${VERSION}`,
    // Adobe's SDK always sends this; the Analytics hits it produces go over TLS.
    'analytics.enableSSL': true
  };
  if (params['media.name'] === undefined) delete params['media.name'];
  return params;
}

/**
 * Builds the `params` and `customMetadata` of one `sessionStart`: derived values, then the
 * options, then what the `metadata` option returned, each layer winning over the one before.
 */
export function sessionStartBody(
  facts: MediaFacts,
  layers: Array<{ params: Params; customMetadata: Record<string, string> }>,
  resume: boolean,
  problems: Problems
): { params: Params; customMetadata: Record<string, string> } {
  const params = derivedParams(facts);
  // Custom fields that are not an object are the site's business, not an error of ours.
  const fields = facts.mediainfo.custom_fields;
  const customMetadata = checkCustomMetadata(isObject(fields) ? fields : undefined, problems, 'mediainfo.custom_fields');
  for (const layer of layers) {
    Object.assign(params, layer.params);
    Object.assign(customMetadata, layer.customMetadata);
  }
  if (resume) params['media.resume'] = true;
  return { params, customMetadata };
}
