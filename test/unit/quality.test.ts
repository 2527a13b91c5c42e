import { describe, expect, it } from 'vitest';
import { OPTIONS, advance, createPlayer, expectAllValid, settle, useFakeWorld } from './helpers';
import { takeLogs } from './setup';

const world = useFakeWorld();

/** The parts of videojs-contrib-quality-levels' list the tests drive. */
interface QualityLevelList {
  addQualityLevel(representation: Record<string, unknown>): void;
  trigger(event: Record<string, unknown>): void;
}

/** A player whose quality levels and frame counts the test controls. */
function withQuality() {
  const setup = createPlayer();
  const levels = (setup.player as unknown as { qualityLevels(): QualityLevelList }).qualityLevels();
  levels.addQualityLevel({ id: '180p', bandwidth: 250000, width: 320, height: 180, enabled: () => true });
  levels.addQualityLevel({ id: '360p', bandwidth: 700000, width: 640, height: 360, enabled: () => true });
  const counts = { droppedVideoFrames: 0, totalVideoFrames: 0 };
  const el = setup.player.tech(true).el() as HTMLVideoElement;
  Object.assign(el, { getVideoPlaybackQuality: () => ({ ...counts }) });
  const select = (index: number) => {
    (levels as unknown as { selectedIndex_: number }).selectedIndex_ = index;
    levels.trigger({ type: 'change', selectedIndex: index });
  };
  return { ...setup, levels, counts, select };
}

describe('quality of experience', () => {
  it('sends the time from the play request to the first frame with the first play only', async () => {
    const { fire, media, pause, play } = createPlayer();
    media.paused = false;
    fire('play');
    await advance(1234);
    fire('playing');
    pause();
    play();
    await settle();
    const plays = world.api.bodies.filter((b) => b.eventType === 'play');
    expect(plays.map((b) => b.qoeData)).toEqual([{ 'media.qoe.timeToStart': 1234 }, undefined]);
    expectAllValid(world.api);
  });

  it('sends bitrateChange with the new bitrate in kbps (an integer) when the rendition changes', async () => {
    const { play, select } = withQuality();
    select(0);
    play();
    await advance(3000);
    select(1);
    await settle();
    expect(world.api.bodies.map((b) => [b.eventType, b.qoeData])).toEqual([
      ['sessionStart', undefined],
      ['play', { 'media.qoe.bitrate': 250, 'media.qoe.droppedFrames': 0, 'media.qoe.timeToStart': 0 }],
      ['bitrateChange', { 'media.qoe.bitrate': 700, 'media.qoe.droppedFrames': 0 }]
    ]);
    expectAllValid(world.api);
  });

  it('rounds a bitrate that is not a whole number of kbps', async () => {
    const { play, levels, select } = withQuality();
    levels.addQualityLevel({ id: '1080p', bandwidth: 2499501, width: 1920, height: 1080, enabled: () => true });
    select(2);
    play();
    await settle();
    expect(world.api.bodies[1].qoeData).toMatchObject({ 'media.qoe.bitrate': 2500 });
  });

  it('sends every value again with the first play of each new session (a replay, a restart)', async () => {
    const { play, pause, fire, media, counts, levels } = withQuality();
    (levels as unknown as { selectedIndex_: number }).selectedIndex_ = 1;
    play();
    counts.totalVideoFrames = 240;
    counts.droppedVideoFrames = 3;
    media.time = 10;
    await advance(10000);
    // The end, then a replay: a new session.
    media.time = 60;
    media.ended = true;
    fire('pause', 'ended');
    media.ended = false;
    media.time = 0;
    play();
    await settle();
    // The server lost that session (410): a restart while playing.
    world.api.answer(new Response(null, { status: 410 }));
    media.time = 10;
    await advance(10000);
    pause();
    await settle();
    const firstPlays = world.api.sequence
      .map((step, i) => [step, world.api.bodies[i].qoeData] as const)
      .filter(([step]) => step.startsWith('play'));
    expect(firstPlays).toEqual([
      ['play@0→s1', { 'media.qoe.bitrate': 700, 'media.qoe.droppedFrames': 0, 'media.qoe.timeToStart': 0 }],
      [
        'play@0→s2',
        { 'media.qoe.bitrate': 700, 'media.qoe.droppedFrames': 3, 'media.qoe.framesPerSecond': 24, 'media.qoe.timeToStart': 0 }
      ],
      ['play@10→s3', { 'media.qoe.bitrate': 700, 'media.qoe.droppedFrames': 3, 'media.qoe.framesPerSecond': 24 }]
    ]);
    expectAllValid(world.api);
  });

  it('attaches dropped frames and frames per second when they change', async () => {
    const { play, counts, media } = withQuality();
    play();
    for (let i = 1; i <= 3; i++) {
      counts.totalVideoFrames += 240;
      if (i === 3) counts.droppedVideoFrames = 5;
      media.time += 10;
      await advance(10000);
    }
    await settle();
    const pings = world.api.bodies.filter((b) => b.eventType === 'ping').map((b) => b.qoeData);
    expect(pings).toEqual([{ 'media.qoe.framesPerSecond': 24 }, undefined, { 'media.qoe.droppedFrames': 5 }]);
    expectAllValid(world.api);
  });

  it('counts frames per second from when frames flow again, not from the play request', async () => {
    const { counts, fire, media, pause, play } = withQuality();
    /** `seconds` of playing at 24 frames a second. */
    const frames = async (seconds: number) => {
      for (let i = 0; i < seconds * 4; i++) {
        counts.totalVideoFrames += 6;
        media.time += 0.25;
        await advance(250);
      }
    };
    play();
    await frames(10);
    pause();
    await advance(5000);
    // The viewer plays on; the first frame takes 1.5 s (WebKit took up to 1.8 s at times).
    media.paused = false;
    fire('play');
    await advance(1500);
    fire('playing');
    await frames(10);
    await settle();
    // Sent when it changes: it never did.
    const fps = world.api.bodies.filter((b) => b.qoeData?.['media.qoe.framesPerSecond']);
    expect(fps.map((b) => [b.eventType, b.qoeData!['media.qoe.framesPerSecond']])).toEqual([['ping', 24]]);
    expectAllValid(world.api);
  });

  it('sends no bitrate, and nothing else changes, without a qualityLevels plugin (video.js 7 alone)', async () => {
    const setup = createPlayer(null);
    Object.assign(setup.player, { qualityLevels: undefined });
    setup.player.mediaCollection(OPTIONS);
    setup.play();
    await advance(10000);
    setup.pause();
    await settle();
    expect(world.api.bodies.map((b) => [b.eventType, b.qoeData])).toEqual([
      ['sessionStart', undefined],
      ['play', { 'media.qoe.timeToStart': 0 }],
      ['ping', undefined],
      ['pauseStart', undefined]
    ]);
    expectAllValid(world.api);
  });

  it('sends everything it knows with an error', async () => {
    const { play, select, player } = withQuality();
    select(1);
    play();
    await advance(1000);
    player.error({ code: 2, message: 'net' } as never);
    takeLogs('error');
    await settle();
    const error = world.api.bodies.find((b) => b.eventType === 'error')!;
    expect(error.qoeData).toEqual({
      'media.qoe.bitrate': 700,
      'media.qoe.droppedFrames': 0,
      'media.qoe.errorID': '2',
      'media.qoe.errorSource': 'player'
    });
  });
});
