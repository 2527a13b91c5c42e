import type Player from 'video.js/dist/types/player';
import type { ApiEvent } from './delivery';
import type { Feature, FeatureHost, Playback } from './playback';
import { bitrate, frames, qualityLevels } from './player-facts';
import type { Session } from './session';

/**
 * Quality of experience (spec §6.6): `media.qoe.timeToStart` with the first `play` of each
 * session, `bitrateChange` when the rendition changes, and bitrate, dropped frames and frames
 * per second attached to any event when they changed (always on `bitrateChange` and `error`).
 * The bitrate is in bits per second, as the API reference says.
 */
export class Quality implements Feature {
  #requested?: number;
  #timed: Session | null = null;
  #sent: Record<string, number> = {};
  #rate?: number;
  #sample?: { total: number; at: number };
  #fps?: number;
  #playback: Playback;
  #player: Player;

  constructor({ playback, player, listen }: FeatureHost) {
    this.#playback = playback;
    this.#player = player;
    // Time to start counts from the play request to the first frame (registered after
    // playback's own listeners, so the first `play` is built before this clears it).
    listen(player, 'play', () => (this.#requested = Date.now()));
    listen(player, 'playing', () => (this.#requested = undefined));
    const levels = qualityLevels(player);
    if (levels) listen(levels, 'change', () => this.#renditionChanged());
  }

  /** The rendition changed: `bitrateChange`, unless it is the first one chosen. */
  #renditionChanged(): void {
    const rate = bitrate(this.#player);
    if (this.#rate && rate && rate !== this.#rate) this.#playback.emit('bitrateChange');
    this.#rate = rate ?? this.#rate;
  }

  qoe(eventType: string): ApiEvent['qoeData'] | undefined {
    const now: Record<string, number> = {};
    const rate = bitrate(this.#player);
    if (rate) now['media.qoe.bitrate'] = rate;
    const counts = frames(this.#player);
    if (counts) {
      now['media.qoe.droppedFrames'] = counts.dropped;
      const at = Date.now();
      // Frames per second from the frame count, measured over at least a second of playing.
      if (this.#sample && at - this.#sample.at >= 1000 && counts.total > this.#sample.total) {
        this.#fps = Math.round(((counts.total - this.#sample.total) * 1000) / (at - this.#sample.at));
      }
      if (!this.#sample || at - this.#sample.at >= 1000) this.#sample = { total: counts.total, at };
      if (this.#fps) now['media.qoe.framesPerSecond'] = this.#fps;
    }
    const always = eventType === 'bitrateChange' || eventType === 'error';
    const data: Record<string, number> = {};
    for (const key of Object.keys(now)) if (always || now[key] !== this.#sent[key]) data[key] = now[key];
    Object.assign(this.#sent, data);
    const session = this.#playback.session;
    if (eventType === 'play' && this.#requested !== undefined && session !== this.#timed) {
      this.#timed = session;
      data['media.qoe.timeToStart'] = Date.now() - this.#requested;
    }
    return Object.keys(data).length ? data : undefined;
  }
}
