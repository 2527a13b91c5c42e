import type { MediaFacts } from './player-facts';
import { coerce, type Params } from './options';

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
    'media.playerName': 'video.js',
    'media.libraryVersion': `videojs-media-collection-${VERSION}`,
    // Adobe's SDK always sends this; the Analytics hits it produces go over TLS.
    'analytics.enableSSL': true
  };
  // An undefined media.name is left out of the JSON.
  return params;
}
