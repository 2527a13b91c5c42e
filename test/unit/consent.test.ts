// Consent: with consentPending the plugin tracks but sends nothing; setConsent('granted') sends
// what was kept, in order with the original ts; setConsent('denied') drops it and sends nothing
// more, page close included, until consent is granted.
import { describe, expect, it } from 'vitest';
import { OPTIONS, T0, advance, createPlayer, expectAllValid, settle, useFakeWorld } from './helpers';
import { takeLogs } from './setup';

const world = useFakeWorld();

const pending = () => createPlayer({ ...OPTIONS, consentPending: true });

describe('consent', () => {
  it('keeps what happens while consent is pending and sends it in order, with the original ts, once granted', async () => {
    const { play, pause, media, tracker } = pending();
    play();
    media.time = 10;
    await advance(10000);
    pause();
    await advance(20000);
    expect(world.api.requests).toEqual([]);
    expect(tracker.sessionId).toBeNull();

    tracker.setConsent('granted');
    await settle();
    // The ping at 10 s waited between two events 10 s apart: it was not needed (README, Delivery).
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@10→s1', 'ping@10→s1', 'ping@10→s1']);
    expect(world.api.bodies.map((b) => b.playerTime.ts - T0)).toEqual([0, 1, 10001, 20000, 30000]);
    expect(tracker.sessionId).toBe('s1');
    // From now on events go out as they happen.
    await advance(5000);
    expect(world.api.sequence.at(-1)).toBe('ping@10→s1');
    expectAllValid(world.api);
  });

  it('sends nothing at page close while consent is pending', async () => {
    const { play } = pending();
    play();
    await advance(3000);
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(world.api.requests).toEqual([]);
  });

  it('drops what was kept once denied, sends nothing more (page close included), and tracks again once granted', async () => {
    const { play, media, tracker, player } = pending();
    const ends: unknown[] = [];
    player.on('mediacollection:sessionend', (_event: unknown, data: unknown) => ends.push(data));
    play();
    await advance(12000);
    tracker.setConsent('denied');
    expect(ends).toEqual([{ sessionId: null, reason: 'end' }]);
    media.time = 30;
    await advance(30000);
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(world.api.requests).toEqual([]);

    // Granted while the media plays: a new session starts there and then.
    media.time = 45;
    tracker.setConsent('granted');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@45', 'play@45→s1']);
    expect(world.api.bodies[0].playerTime.ts).toBe(T0 + 42000);
    expect(world.api.bodies[0].params).not.toHaveProperty('media.resume');
    expectAllValid(world.api);
  });

  it('waits for the next play when consent is granted after a denial while paused', async () => {
    const { play, pause, tracker } = createPlayer();
    tracker.setConsent('denied');
    play();
    pause();
    await settle();
    expect(world.api.requests).toEqual([]);
    tracker.setConsent('granted');
    await settle();
    expect(world.api.requests).toEqual([]);
    play();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });

  it('drops queued events on denial but lets the request in flight finish', async () => {
    const { play, tracker } = createPlayer();
    let answer!: (response: Response) => void;
    world.api.answer(new Promise<Response>((resolve) => (answer = resolve)));
    play();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0']);
    tracker.setConsent('denied');
    answer(new Response(null, { status: 201, headers: { Location: '/api/v1/sessions/s1' } }));
    await advance(20000);
    // The play queued behind the sessionStart is gone; nothing else was sent.
    expect(world.api.sequence).toEqual(['sessionStart@0']);
  });

  it('reports a consent it does not know once, and changes nothing', async () => {
    const { play, tracker, player } = createPlayer();
    const errors: unknown[] = [];
    player.on('mediacollection:error', (_event: unknown, data: unknown) => errors.push(data));
    tracker.setConsent('yes' as never);
    expect(takeLogs('error')).toEqual([expect.stringContaining('invalid consent "yes"')]);
    expect(errors).toEqual([{ code: 'invalid-argument', message: 'invalid consent "yes"' }]);
    play();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });
});
