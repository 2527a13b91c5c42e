import { beforeEach, describe, expect, it, vi } from 'vitest';
import type Player from 'video.js/dist/types/player';
import { videojsPlayer } from '../../src/player/videojs';
import { FakeApi, T0, createPlayer } from './helpers';
import { takeLogs } from './setup';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  new FakeApi();
});

/** The adapter over a test player, listening through the player itself. */
const adapt = (player: Player) => videojsPlayer(player, (target, types, listener) => (target as Player).on(types.split(' '), listener));

describe('the video.js player', () => {
  it('reads the playhead as the player reports it, never negative or NaN', () => {
    const { player, media } = createPlayer(null);
    media.time = 12.34567;
    expect(adapt(player).position()).toBe(12.34567);
    media.time = -1;
    expect(adapt(player).position()).toBe(0);
    media.time = NaN;
    expect(adapt(player).position()).toBe(0);
    media.time = 1.8e305;
    expect(adapt(player).position()).toBe(1.8e305);
    media.time = Infinity;
    expect(adapt(player).position()).toBe(0);
  });

  it('reads an unknown duration as NaN and keeps Infinity for live', () => {
    const { player, media } = createPlayer(null);
    for (const [value, read] of [
      [0, NaN],
      [NaN, NaN],
      [Infinity, Infinity],
      [42.5, 42.5]
    ]) {
      media.duration = value;
      expect(adapt(player).duration()).toBe(read);
    }
  });

  it('tells audio-only media by element, mode or MIME type', () => {
    const { player, media } = createPlayer(null);
    expect(adapt(player).facts().audio).toBe(false);
    media.type = 'audio/mpeg';
    expect(adapt(player).facts().audio).toBe(true);
    media.type = 'video/mp4';
    player.isAudio(true);
    expect(adapt(player).facts().audio).toBe(true);
  });

  it('gathers the media facts, with mediainfo and the source object', () => {
    const { player } = createPlayer(null);
    Object.assign(player, { mediainfo: { id: 'v1' } });
    expect(adapt(player).facts()).toEqual({
      src: 'https://cdn.example.com/ep1.mp4',
      playerName: 'video.js',
      duration: 60,
      audio: false,
      mediainfo: { id: 'v1' },
      source: { src: 'https://cdn.example.com/ep1.mp4', type: 'video/mp4' }
    });
    expect(adapt(player).src()).toBe('https://cdn.example.com/ep1.mp4');
    expect(adapt(player).atEnd()).toBe(false);
  });

  it("reads the player's error code as errorID, and '' without an error", () => {
    const { player } = createPlayer(null);
    player.error({ code: 2, message: 'network' } as never);
    takeLogs('error');
    expect(adapt(player).errorId()).toBe('2');
    player.error(null);
    expect(adapt(player).errorId()).toBe('');
  });
});
