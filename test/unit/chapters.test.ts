import { describe, expect, it, vi } from 'vitest';
import { advance, createPlayer, expectAllValid, settle, useFakeWorld } from './helpers';

const world = useFakeWorld();

/** A native-like chapters track whose active cue the test moves, as the browser would. */
class FakeTrack extends EventTarget {
  kind = 'chapters';
  mode: TextTrackMode = 'disabled';
  cues = [
    { startTime: 0, endTime: 20, text: 'Opening' },
    { startTime: 20, endTime: 45, text: 'Interview' },
    { startTime: 45, endTime: 60, text: '' }
  ];
  activeCues: Array<(typeof this.cues)[number]> = [];
  /** Makes cue `index` active (or none), and says so like the browser. */
  enter(index: number | null) {
    this.activeCues = index === null ? [] : [this.cues[index]];
    this.dispatchEvent(new Event('cuechange'));
  }
}

/**
 * A stand-in for contrib-ads' `player.ads`; gives what plays one break of one ad of `ms` in the
 * content's element, as contrib-ads and its integration do.
 */
function contribAds(player: { trigger(type: string): void }, adType: string) {
  let inBreak = false;
  Object.assign(player, { ads: { inAdBreak: () => inBreak, adType } });
  return async function playBreak(ms: number) {
    inBreak = true;
    player.trigger('adstart');
    player.trigger('ads-ad-started');
    await advance(ms);
    player.trigger('ads-ad-ended');
    inBreak = false;
    player.trigger('adend');
  };
}

function withChapters() {
  const setup = createPlayer();
  const track = new FakeTrack();
  const tracks = setup.player.textTracks() as unknown as { addTrack(track: unknown): void };
  tracks.addTrack(track);
  return { ...setup, track };
}

const chapterEvents = () => world.api.bodies.filter((b) => b.eventType.startsWith('chapter')).map((b) => [b.eventType, b.params ?? null]);

describe('chapters', () => {
  it('loads the cues of a disabled chapters track by making it hidden', () => {
    const { track } = withChapters();
    expect(track.mode).toBe('hidden');
  });

  it('sends chapterStart after sessionStart for the chapter at the start, then complete and the next', async () => {
    const { track, play, media } = withChapters();
    track.enter(0);
    play();
    media.time = 20;
    track.enter(1);
    await settle();
    expect(world.api.sequence.slice(0, 3)).toEqual(['sessionStart@0', 'chapterStart@0→s1', 'play@0→s1']);
    expect(chapterEvents()).toEqual([
      [
        'chapterStart',
        { 'media.chapter.index': 1, 'media.chapter.offset': 0, 'media.chapter.length': 20, 'media.chapter.friendlyName': 'Opening' }
      ],
      ['chapterComplete', null],
      [
        'chapterStart',
        { 'media.chapter.index': 2, 'media.chapter.offset': 20, 'media.chapter.length': 25, 'media.chapter.friendlyName': 'Interview' }
      ]
    ]);
    expectAllValid(world.api);
  });

  it("starts the first chapter after a pre-roll, with the content play (Adobe's chapter timeline)", async () => {
    const { track, player, media, fire } = withChapters();
    const playBreak = contribAds(player, 'preroll');
    track.enter(0);
    // The viewer plays; contrib-ads holds the content and plays the pre-roll in its element.
    media.paused = false;
    fire('play');
    await playBreak(5000);
    fire('playing');
    await settle();
    expect(world.api.sequence).toEqual([
      'sessionStart@0',
      'adBreakStart@0→s1',
      'adStart@0→s1',
      'play@0→s1',
      'adComplete@0→s1',
      'adBreakComplete@0→s1',
      'chapterStart@0→s1',
      'play@0→s1'
    ]);
    expectAllValid(world.api);
  });

  it('ignores the cues an ad passes while it plays in the content element', async () => {
    const { track, play, media, player } = withChapters();
    const tracker = player.mediaCollection();
    track.enter(0);
    play();
    media.time = 20;
    track.enter(1);
    media.time = 25;
    tracker.adBreakStart();
    tracker.adStart({ id: 'ad-1', length: 15 });
    // The ad plays in the content's element: the player's time runs through chapter 1 again.
    media.time = 1;
    track.enter(0);
    tracker.adComplete();
    media.time = 25;
    track.enter(1);
    tracker.adBreakComplete();
    await settle();
    expect(chapterEvents().map(([type]) => type)).toEqual(['chapterStart', 'chapterComplete', 'chapterStart']);
    expect(world.api.sequence.slice(-5)).toEqual([
      'adStart@25→s1',
      'play@25→s1',
      'adComplete@25→s1',
      'adBreakComplete@25→s1',
      'play@25→s1'
    ]);
    expectAllValid(world.api);
  });

  it('ignores the cues the content passes while contrib-ads restores it after a mid-roll', async () => {
    const { track, play, player, media, fire } = withChapters();
    const playBreak = contribAds(player, 'midroll');
    track.enter(0);
    play();
    media.time = 20;
    track.enter(1);
    media.time = 25;
    await playBreak(2000);
    // contrib-ads reloads the content's source and seeks back to where it stood: on a slow
    // machine the player's time reads 0 in between, and the track says so.
    media.time = 0;
    track.enter(0);
    media.time = 25;
    track.enter(1);
    fire('playing');
    await settle();
    expect(chapterEvents().map(([type]) => type)).toEqual(['chapterStart', 'chapterComplete', 'chapterStart']);
    expect(world.api.sequence.slice(-4)).toEqual(['play@25→s1', 'adComplete@25→s1', 'adBreakComplete@25→s1', 'play@25→s1']);
    expectAllValid(world.api);
  });

  it('sends chapterSkip when a seek leaves a chapter before its end', async () => {
    const { track, play, media, fire } = withChapters();
    track.enter(0);
    play();
    fire('seeking');
    media.time = 50;
    track.enter(2);
    fire('seeked');
    await settle();
    expect(chapterEvents().map(([type]) => type)).toEqual(['chapterStart', 'chapterSkip', 'chapterStart']);
    expect(chapterEvents()[2][1]).toEqual({ 'media.chapter.index': 3, 'media.chapter.offset': 45, 'media.chapter.length': 15 });
  });

  it('completes the last chapter before sessionComplete', async () => {
    const { track, play, media, fire } = withChapters();
    track.enter(2);
    play();
    media.time = 60;
    media.ended = true;
    fire('ended');
    await settle();
    expect(world.api.sequence.slice(-2)).toEqual(['chapterComplete@60→s1', 'sessionComplete@60→s1']);
  });

  it('re-sends the open chapter after a session restart', async () => {
    const { track, play, media } = withChapters();
    track.enter(1);
    media.time = 30;
    play();
    await settle();
    world.api.answer(new Response(null, { status: 410 }));
    await vi.advanceTimersByTimeAsync(10000);
    expect(world.api.sequence.slice(-3)).toEqual(['sessionStart@30', 'chapterStart@30→s2', 'play@30→s2']);
  });

  it('finds the chapter of a track that loaded without a cuechange at the next playing', async () => {
    const { player, play, fire, pause, media } = createPlayer();
    play();
    media.time = 25;
    const track = new FakeTrack();
    (player.textTracks() as unknown as { addTrack(track: unknown): void }).addTrack(track);
    pause();
    media.paused = false;
    fire('playing');
    await settle();
    expect(chapterEvents()).toEqual([
      [
        'chapterStart',
        { 'media.chapter.index': 2, 'media.chapter.offset': 20, 'media.chapter.length': 25, 'media.chapter.friendlyName': 'Interview' }
      ]
    ]);
  });

  it("sends nothing to the old session when the new media's track changes before its loadstart", async () => {
    const { track, play, media, fire } = withChapters();
    track.enter(0);
    play();
    media.src = 'https://cdn.example.com/ep2.mp4';
    // A new source pauses the element (the media load algorithm).
    media.paused = true;
    media.time = 50;
    track.enter(2);
    fire('loadstart');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'chapterStart@0→s1', 'play@0→s1', 'sessionEnd@0→s1']);
  });

  it('forgets a chapters track that was removed (the next media has none)', async () => {
    const { track, player, play, media, fire } = withChapters();
    (player.textTracks() as unknown as { removeTrack(track: unknown): void }).removeTrack(track);
    media.src = 'https://cdn.example.com/live.m3u8';
    fire('loadstart');
    play();
    await settle();
    expect(chapterEvents()).toEqual([]);
  });

  it('makes a chapters track from setChapters()', () => {
    const { player } = createPlayer();
    const added: Array<[number, number, string]> = [];
    const track = Object.assign(new FakeTrack(), { cues: [], addCue: (cue: VTTCue) => added.push([cue.startTime, cue.endTime, cue.text]) });
    vi.stubGlobal(
      'VTTCue',
      class {
        constructor(
          public startTime: number,
          public endTime: number,
          public text: string
        ) {}
      }
    );
    vi.spyOn(player, 'addTextTrack').mockReturnValue(track as never);
    player.mediaCollection().setChapters([
      { start: 0, end: 10, name: 'One' },
      { start: 10, end: 30 }
    ]);
    expect(added).toEqual([
      [0, 10, 'One'],
      [10, 30, '']
    ]);
  });
});
