// Every unit test fails on a warning or error that it did not expect (the pattern of
// videojs/http-streaming's useFakeEnvironment): take the ones you expect with `takeLogs`.
import { afterEach, beforeEach, expect, vi } from 'vitest';

const logs: Array<{ type: 'warn' | 'error'; text: string }> = [];

/** Removes and returns the logged messages of one type, each as one line of text. */
export function takeLogs(type: 'warn' | 'error'): string[] {
  const taken = logs.filter((log) => log.type === type);
  logs.splice(0, logs.length, ...logs.filter((log) => log.type !== type));
  return taken.map((log) => log.text);
}

beforeEach(() => {
  for (const type of ['warn', 'error'] as const) {
    vi.spyOn(globalThis.console, type).mockImplementation((...args: unknown[]) => {
      logs.push({ type, text: args.map(String).join(' ') });
    });
  }
});

afterEach(() => {
  const left = logs.splice(0);
  expect(left, 'unexpected warnings or errors were logged').toEqual([]);
});
