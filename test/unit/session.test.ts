import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock, createSession, secondOfDay } from '../../src/session';
import { T0 } from './helpers';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createClock', () => {
  it('gives strictly increasing ts, at least 1 ms apart, following the wall clock', () => {
    const clock = createClock();
    expect([clock(), clock(), clock()]).toEqual([T0, T0 + 1, T0 + 2]);
    vi.setSystemTime(T0 + 1000);
    expect(clock()).toBe(T0 + 1000);
  });

  it('never goes back when the wall clock does', () => {
    const clock = createClock();
    clock();
    vi.setSystemTime(T0 - 5000);
    expect(clock()).toBe(T0 + 1);
  });
});

describe('secondOfDay', () => {
  it.each([
    [T0, 0],
    [T0 + 43200000, 43200],
    [T0 + 86399999, 86399],
    [T0 + 86400000, 0]
  ])('reads %i as second %i of the UTC day', (ts, second) => {
    expect(secondOfDay(ts)).toBe(second);
  });
});

describe('createSession', () => {
  it('builds sessionStart first, with the ts and playhead of its creation', () => {
    const session = createSession('https://x/a.mp4', createClock(), { position: 12.5 });
    expect(session.opening).toEqual({ type: 'sessionStart', playhead: 12.5, ts: T0 });
    expect(session.described).toBe(false);
    expect(session.resume).toBe(false);
  });

  it('gives sessionStart its params and, for live, turns earlier playheads into seconds of the day', () => {
    const session = createSession('https://x/live.m3u8', createClock(), { position: 30 });
    vi.setSystemTime(T0 + 61000);
    const ping = session.event('ping', { position: 31 });
    session.describe({ 'media.length': 86400 }, { 'acme.a': 'b' }, 'live');
    expect(session.opening).toEqual({
      type: 'sessionStart',
      playhead: 0,
      ts: T0,
      media: { params: { 'media.length': 86400 }, customMetadata: { 'acme.a': 'b' } }
    });
    expect([ping.playhead, ping.ts]).toEqual([61, T0 + 61000]);
    expect(session.event('play', { position: 99 }).playhead).toBe(61);
    expect(session.described).toBe(true);
  });

  it('keeps VOD playheads, and a paused playhead where the pause began on live', () => {
    const session = createSession('https://x/a.mp4', createClock(), { position: 3 });
    const play = session.event('play', { position: 3 });
    session.describe({ 'media.length': 60 }, {}, 'vod');
    expect(play.playhead).toBe(3);
    const live = createSession('https://x/live.m3u8', createClock(), { position: 0 });
    live.describe({ 'media.length': 86400 }, {}, 'live');
    vi.setSystemTime(T0 + 90000);
    expect(live.event('ping', { position: 5, since: T0 + 30000 }).playhead).toBe(30);
  });

  it('extrapolates the playhead from the last event, within the media length', () => {
    const session = createSession('https://x/a.mp4', createClock(), { position: 0 });
    session.describe({ 'media.length': 10 }, {}, 'vod');
    session.event('play', { position: 4 });
    vi.setSystemTime(T0 + 2501);
    expect(session.extrapolate()).toBe(6.5);
    vi.setSystemTime(T0 + 60000);
    expect(session.extrapolate()).toBe(10);
  });
});
