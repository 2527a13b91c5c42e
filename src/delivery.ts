import type { TrackedEvent } from './events';
import type { Outcome, Request, Transport } from './transport/transport';

/** An Adobe session as delivery sees it: its id once the server gave one. */
export interface Target {
  sid: string | null;
  /** Its `sessionStart` failed for good, or the server closed it (404/410). */
  dead?: boolean;
}

/** How delivery tells the tracker what happened. */
export interface DeliveryHooks {
  /** The server gave `target` its id. */
  sessionStarted(target: Target): void;
  /** The server no longer knows `target` (404/410): the session is gone. */
  gone(target: Target): void;
  /** Something was rejected or dropped; `message` says what and why. */
  problem(code: 'rejected' | 'dropped', message: string): void;
  /** Debug trace of every request and response. */
  trace(message: string): void;
  /**
   * A `sessionStart` is about to leave (consent allows it): completes it (the visitor's
   * identity) and calls `done` once, maybe at once. Nothing is sent before.
   */
  prepare(event: TrackedEvent, done: () => void): void;
}

/** The viewer's consent: `pending` keeps events unsent, `denied` drops them. */
export type Consent = 'pending' | 'granted' | 'denied';

interface Job {
  target: Target;
  event: TrackedEvent;
  /** False while a `sessionStart` waits for its params (and everything behind it with it). */
  ready: boolean;
  /** A `sessionStart` went through `prepare`. */
  prepared?: boolean;
  tries: number;
}

/** Delivery's bounds, documented in the README. */
export const LIMITS = {
  /** Events queued at most; past it the oldest event (never a `sessionStart`) is dropped. */
  queue: 2000,
  /** A failing request is retried until its event is this old (ms): Adobe closes a session after 10 minutes without events (spec §4.2). */
  age: 600000,
  /** A request that has not answered after this long (ms) counts as a network error. */
  timeout: 20000,
  /** The longest wait between two attempts (ms), unless `Retry-After` asks for more. */
  backoff: 30000,
  /** Bytes of request bodies in flight with `keepalive` at once (browsers allow 64 KiB). */
  keepalive: 48000,
  /** Bytes of one request at most: the emulator and Adobe's edge refuse more (spec §9), so a larger one is not sent. */
  body: 64000
};

const isStart = (job: Job) => job.event.type === 'sessionStart';

/**
 * Sends events through a transport: first in first out, one request in flight, events held
 * behind a `sessionStart` until the server gave its id, retries with exponential backoff and
 * jitter, and a last unload-safe burst at page close or disposal. It knows no request shape:
 * the transport builds the requests and reads the answers.
 */
export function createDelivery(transport: Transport, hooks: DeliveryHooks, initialConsent: Consent = 'granted') {
  let consent: Consent = initialConsent;
  let queue: Job[] = [];
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  /** Disposed: nothing is retried, and what can go goes at once. */
  let final = false;
  /** The page is being left (`closing`): what can go goes at once, unload-safe. */
  let leaving = false;
  let inFlightBytes = 0;
  let overflowed = false;

  /** Whether a job is the one in flight (the head of the queue while busy). */
  const inFlight = (index: number) => !index && busy;

  function next(): void {
    if (consent !== 'granted') return;
    // Disposed or leaving: beside the request in flight, not after it.
    if ((final || leaving) && queue.some((job, index) => job.target.sid && !inFlight(index))) return self.flush();
    if (busy || timer) return;
    const job = queue[0];
    if (!job?.ready) return;
    if (isStart(job) && !job.prepared) {
      // Preparing counts as in flight: nothing overtakes the sessionStart.
      job.prepared = busy = true;
      return hooks.prepare(job.event, () => {
        busy = false;
        if (consent === 'denied') self.discard(job.target);
        next();
      });
    }
    const request = transport.request(job.event, job.target.sid);
    const size = new TextEncoder().encode(request.body).length;
    if (size > LIMITS.body) {
      conclude(job, { kind: 'rejected', reason: `${size} bytes: too large` });
      return next();
    }
    busy = true;
    job.tries++;
    attempt(job, request);
  }

  /** Sends a job's request; at page close only what starts in this task goes out, so fetch is called at once. */
  async function send({ url, body, type }: Request, signal?: AbortSignal): Promise<Response> {
    const keepalive = inFlightBytes + body.length <= LIMITS.keepalive;
    if (keepalive) inFlightBytes += body.length;
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': type },
        body,
        keepalive,
        credentials: 'omit',
        signal
      });
    } finally {
      if (keepalive) inFlightBytes -= body.length;
    }
  }

  /** Sends the job at the head of the queue and concludes it by the answer. */
  async function attempt(job: Job, request: Request): Promise<void> {
    let outcome: Outcome;
    try {
      // A native timeout, not a timer of ours: it counts active time only, so a page that was
      // frozen or asleep does not abort (and then send twice) a request that is fine.
      const response = await send(request, AbortSignal.timeout?.(LIMITS.timeout));
      // The debug log shows every request by its event and ts: never a param, so never the visitor's ids.
      hooks.trace(`${job.event.type} (ts ${job.event.ts}) → HTTP ${response.status}`);
      outcome = await transport.outcome(job.event, response);
    } catch {
      outcome = { kind: 'retry' };
    }
    busy = false;
    conclude(job, outcome);
    next();
  }

  /** Acts on an attempt's outcome: the job leaves the queue, unless it is tried again. */
  function conclude(job: Job, outcome: Outcome): void {
    const { target, event } = job;
    let reason = outcome.kind === 'rejected' ? outcome.reason : '';
    if (outcome.kind === 'retry') {
      const wait = outcome.after ?? Math.min(LIMITS.backoff, 1000 * 2 ** (job.tries - 1)) * (0.5 + Math.random() / 2);
      // After a denial, the request that was in flight is not tried again.
      if (!final && consent !== 'denied' && Date.now() + wait - event.ts < LIMITS.age) {
        timer = setTimeout(() => {
          timer = 0;
          next();
        }, wait);
        return;
      }
      reason = `${job.tries} attempts failed`;
    }
    queue.splice(queue.indexOf(job), 1);
    if (outcome.kind === 'accepted') return;
    if (outcome.kind === 'started') {
      target.sid = outcome.sid;
      return hooks.sessionStarted(target);
    }
    const dead = isStart(job) || outcome.kind === 'gone';
    if (dead) {
      target.dead = true;
      const before = queue.length;
      self.discard(target);
      if (outcome.kind === 'gone') return hooks.gone(target);
      if (before > queue.length) reason += `; ${before - queue.length} queued events dropped`;
    }
    hooks.problem(
      outcome.kind === 'rejected' ? 'rejected' : 'dropped',
      `${dead ? 'no session started' : `dropped ${event.type} (ts ${event.ts})`}: ${reason}`
    );
  }

  /** Adds a job at the end of the queue, within its bounds. */
  function enqueue(job: Job): void {
    if (job.target.dead || consent === 'denied') return;
    // A slow server: a waiting ping between two events at most 10 s apart is not needed (a
    // ping every 10 s, spec §4.1), so a backlog holds one per 10 s, not one a second. Its
    // neighbours are of its own session, whose last event is always a sessionEnd or
    // sessionComplete (or it was discarded). Its QoE goes with it.
    const [a, b] = queue.slice(-2);
    if (b?.event.type === 'ping' && job.event.ts - a.event.ts <= 1e4) queue.pop();
    if (queue.length >= LIMITS.queue) {
      queue.splice(
        queue.findIndex((queued, index) => !inFlight(index) && !isStart(queued)),
        1
      );
      if (!overflowed) hooks.problem('dropped', `queue full (${LIMITS.queue} events): the oldest dropped`);
      overflowed = true;
    }
    queue.push(job);
    next();
  }

  const self = {
    /** Queues an event. */
    push(target: Target, event: TrackedEvent): void {
      enqueue({ target, event, ready: true, tries: 0 });
    },

    /** Queues a `sessionStart` that waits for its params: it and everything behind it wait for `ready()`. */
    pushWaiting(target: Target, event: TrackedEvent): void {
      enqueue({ target, event, ready: false, tries: 0 });
    },

    /** A `sessionStart` queued with `pushWaiting` has its params: it and what follows may go. */
    ready(event: TrackedEvent): void {
      for (const job of queue) if (job.event === event) job.ready = true;
      next();
    },

    /** Forgets the queued events of a session that will never be started. */
    discard(target: Target): void {
      queue = queue.filter((job, index) => job.target !== target || inFlight(index));
    },

    /**
     * Follows the viewer's consent: `granted` sends what was kept, `denied` drops it (a request
     * already in flight finishes) and every later event. Returns the consent before.
     */
    consent(state: Consent): Consent {
      const was = consent;
      consent = state;
      if (state === 'denied') queue = queue.filter((_, index) => inFlight(index));
      next();
      return was;
    },

    /**
     * The page closes: sends at once, in parallel, every queued event whose session id is known,
     * so that they survive it: a `text/plain` request as a beacon (which browsers deliver from a
     * closing tab more surely than a keepalive fetch, measured in Firefox), else with `keepalive`.
     */
    flush(): void {
      clearTimeout(timer);
      timer = 0;
      // A session has its id once its sessionStart is answered: no sessionStart is among these.
      for (const job of queue.filter((job, index) => !inFlight(index) && job.target.sid)) {
        const request = transport.request(job.event, job.target.sid);
        // sendBeacon is false past its quota (64 KiB in flight), and missing in old browsers.
        if (request.type !== 'text/plain' || !navigator.sendBeacon?.(request.url, request.body)) send(request).catch(() => undefined);
        // Each job leaves the queue once sent: a page-close script cut short leaves the rest queued.
        queue.splice(queue.indexOf(job), 1);
      }
      next();
    },

    /**
     * The page is left (`pagehide`, `true`) or shown again from the back-forward cache
     * (`pageshow`, `false`). While it is left, every event leaves as soon as its session id is
     * known, at once and unload-safe (`flush`): the last ones too, which the tracker adds now.
     */
    closing(on: boolean): void {
      leaving = on;
      if (on) self.flush();
    },

    /**
     * The tracker is disposed: like `flush`, and from now on nothing is retried and no timer is
     * left; what still waits for a session id goes out when it comes.
     */
    dispose(): void {
      final = true;
      self.flush();
    }
  };
  return self;
}

/** The delivery of one tracker. */
export type Delivery = ReturnType<typeof createDelivery>;
