import type { Params } from './options';

/** One Media Collection API request body (spec §1.1). */
export interface ApiEvent {
  eventType: string;
  playerTime: { playhead: number; ts: number };
  params?: Params;
  qoeData?: Record<string, string | number>;
  customMetadata?: Record<string, string>;
}

/** An Adobe session as delivery sees it: its id once the `201` gave one. */
export interface Target {
  sid: string | null;
  /** Its `sessionStart` failed for good, or the server closed it (404/410). */
  dead?: boolean;
}

/** How delivery tells the tracker what happened. */
export interface DeliveryHooks {
  /** A `201` gave `target` its id. */
  started(target: Target): void;
  /** The server answered 404 or 410 for an event: the session is gone. */
  gone(target: Target): void;
  /** Something was rejected or dropped; `message` says what and why. */
  problem(code: string, message: string): void;
  /** Debug trace of every request and response. */
  trace(message: string): void;
}

interface Job {
  t: Target;
  e: ApiEvent;
  ready: boolean;
  tries: number;
}

/** How an attempt ended: sent, to be retried, refused for good, or the session is gone (404/410). */
type Kind = 'ok' | 'retry' | 'reject' | 'gone';

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

const isStart = (job: Job) => job.e.eventType === 'sessionStart';

/**
 * Parses the session id from the `Location` header of a `201`, relative or absolute
 * (spec §2.4: Adobe's own pattern is `^/api/(.*)/sessions/(.*)`).
 */
export function parseSessionId(location: string | null): string | null {
  const match = /\/api\/[^/?#]+\/sessions\/([^/?#]+)\/?(?:[?#]|$)/.exec(location || '');
  return match ? match[1] : null;
}

/**
 * Sends events to the API: first in first out, one request in flight, events held behind a
 * `sessionStart` until its `201`, retries with exponential backoff and jitter, and a last
 * unload-safe burst at page close or disposal.
 */
export function createDelivery(base: string, hooks: DeliveryHooks, pending?: boolean) {
  /** The viewer's consent: `pending` keeps events unsent, `denied` drops them. */
  let consent = pending ? 'pending' : 'granted';
  let q: Job[] = [];
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let final = false;
  let kept = 0;
  let overflowed = false;

  /** Whether a job is the one in flight (the head of the queue while busy). */
  const inFlight = (index: number) => !index && busy;

  function pump(): void {
    if (busy || timer || consent !== 'granted') return;
    if (final && q.some((job) => job.t.sid)) return self.flush(true);
    const job = q[0];
    if (!job?.ready) return;
    const body = JSON.stringify(job.e);
    const size = new TextEncoder().encode(body).length;
    if (size > LIMITS.body) {
      settle(job, 'reject', `${size} bytes: too large`);
      return pump();
    }
    busy = true;
    job.tries++;
    attempt(job, body);
  }

  /** Sends a request; at page close only what starts in this task goes out, so fetch is called at once. */
  async function send(job: Job, body = JSON.stringify(job.e), signal?: AbortSignal): Promise<Response> {
    const keepalive = kept + body.length <= LIMITS.keepalive;
    if (keepalive) kept += body.length;
    try {
      return await fetch(`${base}/api/v1/sessions${isStart(job) ? '' : `/${job.t.sid}/events`}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        keepalive,
        credentials: 'omit',
        signal
      });
    } finally {
      if (keepalive) kept -= body.length;
    }
  }

  /** Sends the job at the head of the queue and settles it by the answer. */
  async function attempt(job: Job, body: string): Promise<void> {
    const start = isStart(job);
    let kind: Kind = 'reject';
    let detail: string | number;
    try {
      // A native timeout, not a timer of ours: it counts active time only, so a page that was
      // frozen or asleep does not abort (and then send twice) a request that is fine.
      const response = await send(job, body, AbortSignal.timeout?.(LIMITS.timeout));
      const status = response.status;
      // The debug log shows every request by its event and ts: never a param, so never the visitor's ids.
      hooks.trace(`${job.e.eventType} (ts ${job.e.playerTime.ts}) → HTTP ${status}`);
      if (start ? status === 201 : status >= 200 && status < 300) {
        const sid = parseSessionId(response.headers.get('Location'));
        if (sid || !start) kind = 'ok';
        detail = sid || 'the 201 had no readable Location (CORS must expose it)';
      } else if (status === 408 || status === 429 || status >= 500) {
        kind = 'retry';
        // Retry-After in seconds (the form APIs use; a date counts as none).
        detail = Number(response.headers.get('Retry-After')) * 1000 || 0;
      } else if (!start && (status === 404 || status === 410)) {
        kind = 'gone';
      } else {
        let message = '';
        try {
          message = await response.text();
          message = JSON.parse(message).message ?? message;
        } catch {
          // a plain-text body (or none) is the message as it is
        }
        detail = `HTTP ${status}${message ? `: ${String(message).slice(0, 300)}` : ''}`;
      }
    } catch {
      kind = 'retry';
      detail = 'network error';
    }
    busy = false;
    settle(job, kind, detail!);
    pump();
  }

  function settle(job: Job, kind: Kind, detail: string | number): void {
    const { t, e } = job;
    if (kind === 'retry') {
      const wait =
        (detail as number) > 0
          ? (detail as number)
          : Math.min(LIMITS.backoff, 1000 * 2 ** (job.tries - 1)) * (0.5 + Math.random() / 2);
      // After a denial, the request that was in flight is not tried again.
      if (!final && consent !== 'denied' && Date.now() + wait - e.playerTime.ts < LIMITS.age) {
        timer = setTimeout(() => {
          timer = 0;
          pump();
        }, wait);
        return;
      }
      detail = `${job.tries} attempts failed`;
    }
    q.splice(q.indexOf(job), 1);
    if (kind === 'ok') {
      if (isStart(job)) {
        t.sid = detail as string;
        hooks.started(t);
      }
      return;
    }
    const dead = isStart(job) || kind === 'gone';
    if (dead) {
      t.dead = true;
      const before = q.length;
      self.discard(t);
      if (kind === 'gone') return hooks.gone(t);
      if (before > q.length) detail += `; ${before - q.length} queued events dropped`;
    }
    hooks.problem(
      kind === 'reject' ? 'rejected' : 'dropped',
      `${dead ? 'no session started' : `dropped ${e.eventType} (ts ${e.playerTime.ts})`}: ${detail}`
    );
  }

  const self = {
    /** Queues an event. With `ready` false it (and everything behind it) waits for `release`. */
    push(t: Target, e: ApiEvent, ready = true): void {
      if (t.dead || consent === 'denied') return;
      // A slow server: a waiting ping between two events at most 10 s apart is not needed (a
      // ping every 10 s, spec §4.1), so a backlog holds one per 10 s, not one a second. Its
      // neighbours are of its own session, whose last event is always a sessionEnd or
      // sessionComplete (or it was discarded). Its qoeData goes with it (the 8 KiB budget).
      const [a, b] = q.slice(-2);
      if (b?.e.eventType === 'ping' && e.playerTime.ts - a.e.playerTime.ts <= 1e4) q.pop();
      if (q.length >= LIMITS.queue) {
        q.splice(q.findIndex((job, index) => !inFlight(index) && !isStart(job)), 1);
        if (!overflowed) hooks.problem('dropped', `queue full (${LIMITS.queue} events): the oldest dropped`);
        overflowed = true;
      }
      q.push({ t, e, ready, tries: 0 });
      pump();
    },

    /** Lets a held event go. */
    release(e: ApiEvent): void {
      for (const job of q) if (job.e === e) job.ready = true;
      pump();
    },

    /** Forgets the queued events of a session that will never be started. */
    discard(t: Target): void {
      q = q.filter((job, index) => job.t !== t || inFlight(index));
    },

    /**
     * Sends at once, in parallel and with `keepalive`, every queued event whose session id is
     * known, so that they survive the page closing. With `final` (disposal) nothing is retried
     * afterwards and no timer is left: what still waits for a `201` goes out when it comes.
     */
    /**
     * Follows the viewer's consent: `granted` sends what was kept, `denied` drops it (a request
     * already in flight finishes) and every later event. Returns the consent before.
     */
    consent(state: string): string {
      const was = consent;
      consent = state;
      if (state === 'denied') q = q.filter((_, index) => inFlight(index));
      pump();
      return was;
    },

    flush(last: boolean): void {
      final ||= last;
      clearTimeout(timer);
      timer = 0;
      q = q.filter((job, index) => {
        if (inFlight(index) || !job.t.sid || isStart(job)) return true;
        send(job).catch(() => undefined);
        return false;
      });
      pump();
    }
  };
  return self;
}

/** The delivery of one tracker. */
export type Delivery = ReturnType<typeof createDelivery>;
