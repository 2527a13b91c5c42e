import { describe, expect, it, vi } from 'vitest';
import { OPTIONS, advance, createPlayer, expectAllValid, settle, useFakeWorld } from './helpers';
import { takeLogs } from './setup';

const world = useFakeWorld();

const states = () =>
  world.api.bodies
    .filter((body) => body.eventType.startsWith('state'))
    .map((body) => `${body.eventType}:${body.params!['media.state.name']}`);

describe('player states', () => {
  it('sends the states already on right after sessionStart', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { play, player } = createPlayer();
    player.muted(true);
    player.tech(true).trigger('volumechange');
    play();
    await settle();
    expect(world.api.sequence.slice(0, 4)).toEqual(['sessionStart@0', 'stateStart@0→s1', 'stateStart@0→s1', 'play@0→s1']);
    expect(states()).toEqual(['stateStart:inFocus', 'stateStart:mute']);
    expectAllValid(world.api);
  });

  it('sends stateStart and stateEnd when mute, fullscreen, captions and picture-in-picture change', async () => {
    const { play, player } = createPlayer();
    play();
    await settle();
    const volume = (value: number) => {
      player.volume(value);
      player.tech(true).trigger('volumechange');
    };
    volume(0);
    volume(0.5);
    player.isFullscreen(true);
    player.trigger('fullscreenchange');
    player.isFullscreen(false);
    player.trigger('fullscreenchange');
    player.addRemoteTextTrack({ kind: 'captions', srclang: 'en', label: 'English', mode: 'showing' }, false);
    (player.textTracks() as unknown as TextTrack[])[0].mode = 'disabled';
    player.isInPictureInPicture(true);
    player.trigger('enterpictureinpicture');
    await settle();
    expect(states()).toEqual([
      'stateStart:mute',
      'stateEnd:mute',
      'stateStart:fullscreen',
      'stateEnd:fullscreen',
      'stateStart:closedCaptioning',
      'stateEnd:closedCaptioning',
      'stateStart:pictureInPicture'
    ]);
    expectAllValid(world.api);
  });

  it('follows page visibility and focus as inFocus', async () => {
    const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { play } = createPlayer();
    play();
    focus.mockReturnValue(false);
    window.dispatchEvent(new Event('blur'));
    focus.mockReturnValue(true);
    window.dispatchEvent(new Event('focus'));
    await settle();
    expect(states()).toEqual(['stateStart:inFocus', 'stateEnd:inFocus', 'stateStart:inFocus']);
  });

  it('takes custom states through the tracker, and rejects invalid names with one error', async () => {
    const { play, player } = createPlayer();
    const tracker = player.mediaCollection();
    play();
    tracker.startState('theaterMode');
    tracker.startState('theaterMode');
    tracker.endState('theaterMode');
    tracker.startState('bad name!');
    await settle();
    expect(states()).toEqual(['stateStart:theaterMode', 'stateEnd:theaterMode']);
    expect(takeLogs('error')).toEqual([expect.stringContaining('invalid state name "bad name!"')]);
  });

  it('sends at most 10 state names per session, warning for each change past that', async () => {
    const { play, player } = createPlayer();
    const tracker = player.mediaCollection();
    play();
    for (let i = 1; i <= 12; i++) tracker.startState(`s${i}`);
    tracker.endState('s12');
    tracker.endState('s1');
    await settle();
    expect(states()).toHaveLength(11);
    expect(states().at(-1)).toBe('stateEnd:s1');
    expect(takeLogs('warn')).toEqual([
      expect.stringContaining('state "s11" dropped: 10 per session at most'),
      expect.stringContaining('state "s12" dropped'),
      expect.stringContaining('state "s12" dropped')
    ]);
  });

  it('re-sends the active states after a session restart', async () => {
    const { play, player, media } = createPlayer();
    player.mediaCollection().startState('theaterMode');
    play();
    await settle();
    world.api.answer(new Response(null, { status: 410 }));
    media.time = 3;
    await advance(10000);
    expect(world.api.sequence.slice(-4)).toEqual(['ping@3→s1', 'sessionStart@3', 'stateStart@3→s2', 'play@3→s2']);
  });

  it('keeps states without a session and sends them when one starts', async () => {
    const { play, player } = createPlayer({ ...OPTIONS, autoStart: false });
    player.muted(true);
    player.tech(true).trigger('volumechange');
    play();
    await advance(1000);
    expect(world.api.requests).toHaveLength(0);
    player.mediaCollection().start();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'stateStart@0→s1', 'play@0→s1']);
  });
});
