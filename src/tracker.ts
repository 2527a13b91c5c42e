import { createAds, type AdBreakDetails, type AdDetails, type Ads } from './ads';
import { createChapters } from './chapters';
import type { Context, ProblemCode } from './context';
import { createDelivery, type Delivery } from './delivery';
import { findIdentity } from './identity';
import { checkOptions } from './options';
import { createPlayback, type Playback } from './playback';
import type { MediaPlayer } from './player/player';
import { createQuality } from './quality';
import type { EndReason } from './session';
import { STATE_NAME, createStates, type States } from './states';
import { mediaCollection } from './transport/media-collection';
import { mediaEdge } from './transport/media-edge';

/** Data of `mediacollection:sessionstart`. */
export interface SessionStartData {
  sessionId: string;
}

/** Data of `mediacollection:sessionend`. */
export interface SessionEndData {
  sessionId: string | null;
  reason: EndReason;
}

/** Data of `mediacollection:error`. */
export interface ErrorData {
  /**
   * `invalid-options`, `invalid-argument` (a tracker method got something it cannot use),
   * `rejected` (the API refused a request), `dropped` (past a delivery bound) or `internal`.
   */
  code: ProblemCode;
  message: string;
}

/** The tracker's events for the page, by their names without the `mediacollection:` prefix. */
export interface TrackerEvents {
  sessionstart: SessionStartData;
  sessionend: SessionEndData;
  error: ErrorData;
}

/** What an entry (the video.js plugin, `trackMedia`) gives the tracker: the one player and the page around it. */
export interface Host {
  /** Makes the player adapter, which listens through `listen`. */
  player(listen: Context['listen']): MediaPlayer;
  /** Listens to the player, `window`, `document` or any other target until the entry is disposed. */
  listen(target: object, type: string, listener: (event: Event) => void): void;
  /** What the `metadata` option is called with (the video.js player, the media element). */
  subject: unknown;
  /** Logs a message (the `debug` option's trace), and warnings and errors, as video.js's logger does. */
  log: { (message: string): void; warn(message: string): void; error(message: string): void };
  /**
   * Tells the page (`mediacollection:<type>`). `later`: the options were invalid, told once the
   * player is ready, so that listeners added right after setup hear it.
   */
  emit<T extends keyof TrackerEvents>(type: T, data: TrackerEvents[T], later?: boolean): void;
}

/**
 * One tracker of one player: validates the options, wires delivery, playback and the features,
 * and keeps every exception from the page. Player-neutral: the entries give it a player adapter
 * through `host`.
 */
export function createTracker(host: Host, options: unknown) {
  let playback: Playback | undefined;
  let delivery: Delivery | undefined;
  let media: MediaPlayer | undefined;
  let states: States | undefined;
  let ads: Ads | undefined;
  const reported = new Set<string>();

  const problem = (code: ProblemCode, message: string, later?: boolean) => {
    host.log.error(message);
    host.emit('error', { code, message }, later);
  };

  /** Nothing the tracker does may throw into the page or stop playback. */
  const guard = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      try {
        // One report per distinct failure: a broken player method would otherwise fail every event.
        const message = `internal error, tracking goes on: ${error}`;
        if (!reported.has(message)) problem('internal', message);
        reported.add(message);
      } catch {
        // the player is gone; there is nobody left to tell
      }
    }
  };

  /** Listens until disposal; `types` are separated by spaces; nothing thrown escapes. */
  const listen: Context['listen'] = (target, types, listener) => {
    const guarded = (event: Event) => guard(() => listener(event));
    for (const type of types.split(' ')) host.listen(target, type, guarded);
  };

  guard(() => {
    const { config, errors, warnings } = checkOptions(options);
    warnings.forEach(host.log.warn);
    if (errors.length) return problem('invalid-options', `invalid options, nothing is sent: ${errors.join('; ')}`, true);
    const context: Context = {
      player: (media = host.player(listen)),
      config,
      listen,
      warn: host.log.warn,
      // Delivery calls this from its own tasks: it must not throw either.
      problem: (code, message) => guard(() => problem(code, message))
    };
    const sent = (delivery = createDelivery(
      config.datastreamId ? mediaEdge(config.base, config.datastreamId) : mediaCollection(config.base),
      {
        problem: context.problem,
        trace: (message) => config.debug && host.log(message),
        prepare: (event, done) => {
          const params = event.media!.params;
          if (!config.identity || params['visitor.marketingCloudUserId'] != null) return done();
          findIdentity(params['visitor.marketingCloudOrgId'] as string | undefined, (found) => {
            // Values in params win.
            event.media!.params = { ...found, ...params };
            done();
          });
        },
        // A session id can come after disposal (the last events still go out).
        sessionStarted: (session) => guard(() => host.emit('sessionstart', { sessionId: session.sid! })),
        gone: (session) => guard(() => tracked.sessions.restart(session))
      },
      config.consentPending ? 'pending' : 'granted'
    ));
    const tracked = (playback = createPlayback({
      ...context,
      delivery: sent,
      metadata: () => {
        try {
          return { result: config.metadata?.(host.subject) };
        } catch (threw) {
          return { threw };
        }
      },
      ended: (session, reason) => host.emit('sessionend', { sessionId: session.sid, reason })
    }));
    const features = { ...context, playback: tracked };
    // Restart context order (spec §4.4): chapter, ad break and ad, states. Quality data listens
    // after playback, so that the first play is built before it forgets the play request.
    tracked.use(createChapters(features), (ads = createAds(features)), (states = createStates(features)), createQuality(features));
    // Closing first, so that the sessionEnd leaves unload-safe too (a beacon on the Edge path).
    const leave = () => {
      sent.closing(true);
      tracked.sessions.end('unload');
    };
    // Twice: Firefox cuts the first script that runs as a tab closes short now and then (measured:
    // this listener stopped part way, without an exception, in 3 to 5 closes of 10, while a
    // listener after it ran). The second finishes what the first left; after a first that
    // finished, it finds nothing to do (see the README's "Supported browsers").
    listen(window, 'pagehide', leave);
    listen(window, 'pagehide', leave);
    listen(window, 'pageshow', () => sent.closing(false));
  });

  const toggleState = (name: string, on: boolean) =>
    guard(() => {
      if (!STATE_NAME.test(name)) return problem('invalid-argument', `invalid state name ${JSON.stringify(name)}`);
      states?.set(name, on);
    });

  return {
    /** The current session id; `null` when none is open. */
    get sessionId(): string | null {
      return playback?.active ? playback.session!.sid : null;
    },

    start: () => guard(() => playback?.sessions.start()),
    end: () => guard(() => playback?.sessions.end()),
    startState: (name: string) => toggleState(name, true),
    endState: (name: string) => toggleState(name, false),
    // The new track is followed like any other chapters track.
    setChapters: (chapters: Array<{ start: number; end: number; name?: string }>) => guard(() => media?.addChapters(chapters)),
    adBreakStart: (details?: AdBreakDetails) => guard(() => ads?.breakStart(details)),
    adStart: (details: AdDetails) => guard(() => ads?.adStart(details)),
    adComplete: () => guard(() => ads?.adEnd('adComplete')),
    adSkip: () => guard(() => ads?.adEnd('adSkip')),
    adBreakComplete: () => guard(() => ads?.breakEnd('stitched')),

    setConsent(state: 'granted' | 'denied'): void {
      guard(() => {
        if (state !== 'granted' && state !== 'denied') return problem('invalid-argument', `invalid consent ${JSON.stringify(state)}`);
        const was = delivery?.consent(state);
        if (state === 'denied' || was === 'denied') playback?.sessions.consent(state);
      });
    },

    /**
     * Ends the open session (reason `dispose`, or `source` when the entry follows a new media),
     * sends what is left and clears every timer; the entry removes its listeners.
     */
    dispose(reason: 'dispose' | 'source' = 'dispose'): void {
      guard(() => {
        playback?.sessions.end(reason);
        playback?.dispose();
        delivery?.dispose();
      });
      playback = undefined;
    },

    /** Runs `fn` guarded: for the entries' own work. */
    guard
  };
}

/** One tracker, as the entries wrap it. */
export type Tracker = ReturnType<typeof createTracker>;
