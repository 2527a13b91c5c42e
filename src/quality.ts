import type { EventType, QoeFields } from './events';
import type { Feature, FeatureDeps } from './context';
import type { Session } from './session';

/**
 * Quality of experience (spec §6.6): `media.qoe.timeToStart` with the first `play` of each
 * session, `bitrateChange` when the rendition changes, and bitrate, dropped frames and frames
 * per second attached to any event when they changed (always on `bitrateChange`, `error` and
 * the first `play` of each session, as Adobe's SDKs forget what they sent when a session
 * begins). The bitrate is in kbps, as Adobe's reports read it.
 */
export function createQuality({ playback, player }: FeatureDeps): Feature {
  let requested: number | undefined;
  let timed: Session | null = null;
  /** The session whose first `play` carried every value. */
  let filled: Session | null = null;
  /** What was sent last of each value. */
  const sent: QoeFields = {};
  /** The rendition's bitrate when it last changed. */
  let rate: number | undefined;
  let sample: { total: number; at: number } | undefined;
  let fps: number | undefined;

  // Time to start counts from the play request to the first frame (registered after
  // playback's own listeners, so the first `play` is built before this clears it).
  player.on('play', () => (requested = Date.now()));
  player.on('playing', () => (requested = undefined));
  // The rendition changed: `bitrateChange`, unless it is the first one chosen.
  player.onRendition(() => {
    const now = player.bitrate();
    if (rate && now && now !== rate) playback.emit('bitrateChange');
    rate = now ?? rate;
  });

  return {
    qoe(type: EventType): QoeFields | undefined {
      const now: QoeFields = {};
      const kbps = player.bitrate();
      if (kbps) now.bitrate = kbps;
      const counts = player.frames();
      if (counts) {
        now.droppedFrames = counts.droppedVideoFrames;
        const at = Date.now();
        const fresh = !sample || at - sample.at >= 1000;
        // Frames per second from the frame count, measured over at least a second of playing.
        if (sample && fresh && counts.totalVideoFrames > sample.total) {
          fps = Math.round(((counts.totalVideoFrames - sample.total) * 1000) / (at - sample.at));
        }
        if (fresh) sample = { total: counts.totalVideoFrames, at };
        if (fps) now.framesPerSecond = fps;
      }
      const session = playback.session;
      const first = type === 'play' && session !== filled;
      if (first) filled = session;
      const always = first || type === 'bitrateChange' || type === 'error';
      const data: QoeFields = {};
      for (const key of Object.keys(now) as Array<keyof QoeFields>) {
        if (always || now[key] !== sent[key]) data[key] = sent[key] = now[key];
      }
      if (type === 'play' && requested !== undefined && session !== timed) {
        timed = session;
        data.timeToStart = Date.now() - requested;
      }
      return Object.keys(data).length ? data : undefined;
    }
  };
}
