import type { TrackedEvent } from '../events';

/** A request to send, as a transport builds it. */
export interface Request {
  url: string;
  /** JSON. */
  body: string;
  /**
   * Its `Content-Type`. A `text/plain` request is CORS-simple: it needs no preflight, and at page
   * close it goes as a beacon.
   */
  type: 'application/json' | 'text/plain';
}

/**
 * What an answer means for the event it answers. Delivery acts on these alone: it knows no
 * request or response shape.
 */
export type Outcome =
  /** A `sessionStart` was accepted: the session has this id. */
  | { kind: 'started'; sid: string }
  /** The event was accepted. */
  | { kind: 'accepted' }
  /** Try the same request again, after `after` ms when the server says so. */
  | { kind: 'retry'; after?: number }
  /** The server refused the event for good; `reason` says why (for the log). */
  | { kind: 'rejected'; reason: string }
  /** The server no longer knows the session (a new one must continue it). */
  | { kind: 'gone' };

/** One of Adobe's collection APIs: events to requests, answers to outcomes. */
export interface Transport {
  /** The request for `event` of the session with id `sid` (`null` for its `sessionStart`). */
  request(event: TrackedEvent, sid: string | null): Request;
  /** What the answer to `event`'s request means. */
  outcome(event: TrackedEvent, response: Response): Promise<Outcome>;
}

/** Retry-After in seconds (the form APIs use; a date counts as none), in ms. */
export const retryAfter = (response: Response): number | undefined => Number(response.headers.get('Retry-After')) * 1000 || undefined;

/** The server's message in an error answer: a JSON `message`, or the text, cut to 300 characters. */
export async function serverMessage(response: Response): Promise<string> {
  let message = '';
  try {
    message = await response.text();
    message = JSON.parse(message).message ?? message;
  } catch {
    // a plain-text body (or none) is the message as it is
  }
  return message ? `: ${String(message).slice(0, 300)}` : '';
}
