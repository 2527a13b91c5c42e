import { beforeEach, describe, expect, it, vi } from 'vitest';
import { atEnd, currentSrc, duration, errorId, isAudio, mediaFacts, position } from '../../src/player-facts';
import { FakeApi, T0, createPlayer } from './helpers';
import { takeLogs } from './setup';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  new FakeApi();
});

describe('player facts', () => {
  it('reads the playhead as the player reports it, never negative or NaN', () => {
    const { player, media } = createPlayer(null);
    media.time = 12.34567;
    expect(position(player)).toBe(12.34567);
    media.time = -1;
    expect(position(player)).toBe(0);
    media.time = NaN;
    expect(position(player)).toBe(0);
    media.time = 1.8e305;
    expect(position(player)).toBe(1.8e305);
    media.time = Infinity;
    expect(position(player)).toBe(0);
  });

  it('reads an unknown duration as NaN and keeps Infinity for live', () => {
    const { player, media } = createPlayer(null);
    for (const [value, read] of [[0, NaN], [NaN, NaN], [Infinity, Infinity], [42.5, 42.5]]) {
      media.duration = value;
      expect(duration(player)).toBe(read);
    }
  });

  it('tells audio-only media by element, mode or MIME type', () => {
    const { player, media } = createPlayer(null);
    expect(isAudio(player)).toBe(false);
    media.type = 'audio/mpeg';
    expect(isAudio(player)).toBe(true);
    media.type = 'video/mp4';
    player.isAudio(true);
    expect(isAudio(player)).toBe(true);
  });

  it('gathers the media facts, with mediainfo and the source object', () => {
    const { player } = createPlayer(null);
    Object.assign(player, { mediainfo: { id: 'v1' } });
    expect(mediaFacts(player)).toEqual({
      src: 'https://cdn.example.com/ep1.mp4',
      duration: 60,
      audio: false,
      mediainfo: { id: 'v1' },
      source: { src: 'https://cdn.example.com/ep1.mp4', type: 'video/mp4' }
    });
    expect(currentSrc(player)).toBe('https://cdn.example.com/ep1.mp4');
    expect(atEnd(player)).toBe(false);
  });

  it("reads the player's error code as errorID, and '' without an error", () => {
    const { player } = createPlayer(null);
    player.error({ code: 2, message: 'network' } as never);
    takeLogs('error');
    expect(errorId(player)).toBe('2');
    player.error(null);
    expect(errorId(player)).toBe('');
  });
});
