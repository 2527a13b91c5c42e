import type { ApiEvent } from './delivery';
import type { Host } from './playback';
import { bitrate, frames, qualityLevels } from './player-facts';
import type { Session } from './session';

/**
 * Quality of experience (spec §6.6): `media.qoe.timeToStart` with the first `play` of each
 * session, `bitrateChange` when the rendition changes, and bitrate, dropped frames and frames
 * per second attached to any event when they changed (always on `bitrateChange`, `error` and
 * the first `play` of each session, as Adobe's SDKs forget what they sent when a session
 * begins). The bitrate is in kbps, as Adobe's reports read it.
 */
export function createQuality({ playback, player, listen }: Host): NonNullable<Host['qoe']> {
  let requested: number | undefined;
  let timed: Session | null = null;
  /** The session whose first `play` carried every value. */
  let filled: Session | null = null;
  const sent: Record<string, number> = {};
  let rate: number | undefined;
  let sample: { total: number; at: number } | undefined;
  let fps: number | undefined;

  // Time to start counts from the play request to the first frame (registered after
  // playback's own listeners, so the first `play` is built before this clears it).
  listen(player, 'play', () => (requested = Date.now()));
  listen(player, 'playing', () => (requested = undefined));
  const levels = qualityLevels(player);
  // The rendition changed: `bitrateChange`, unless it is the first one chosen.
  if (levels) {
    listen(levels, 'change', () => {
      const now = bitrate(player);
      if (rate && now && now !== rate) playback.emit('bitrateChange');
      rate = now ?? rate;
    });
  }

  return (eventType: string): ApiEvent['qoeData'] | undefined => {
    const now: Record<string, number> = {};
    const rate = bitrate(player);
    if (rate) now['media.qoe.bitrate'] = rate;
    const counts = frames(player);
    if (counts) {
      now['media.qoe.droppedFrames'] = counts.droppedVideoFrames;
      const at = Date.now();
      const fresh = !sample || at - sample.at >= 1000;
      // Frames per second from the frame count, measured over at least a second of playing.
      if (sample && fresh && counts.totalVideoFrames > sample.total) fps = Math.round(((counts.totalVideoFrames - sample.total) * 1000) / (at - sample.at));
      if (fresh) sample = { total: counts.totalVideoFrames, at };
      if (fps) now['media.qoe.framesPerSecond'] = fps;
    }
    const session = playback.session;
    const first = eventType === 'play' && session !== filled;
    if (first) filled = session;
    const always = first || eventType === 'bitrateChange' || eventType === 'error';
    const data: Record<string, number> = {};
    for (const key in now) if (always || now[key] !== sent[key]) data[key] = sent[key] = now[key];
    if (eventType === 'play' && requested !== undefined && session !== timed) {
      timed = session;
      data['media.qoe.timeToStart'] = Date.now() - requested;
    }
    return Object.keys(data).length ? data : undefined;
  };
}
