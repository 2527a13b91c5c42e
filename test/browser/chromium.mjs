// What every Chromium run here shares: the browser tests, the demo test and `npm run bench`.

/** The flags Chromium needs here: root, headless, no network beyond loopback, autoplay. */
export const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required'
];

/**
 * Collects what a page logs as errors or warnings, and its uncaught errors, into a list (bar
 * Chromium's own lines about HTTP error answers, which the emulator's records show).
 * @param {import('playwright-core').Page} page
 * @returns {string[]}
 */
export function watchConsole(page) {
  const logged = [];
  page.on('console', (message) => {
    if (/^Failed to load resource/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning') logged.push(message.text());
  });
  page.on('pageerror', (error) => logged.push(`pageerror: ${error.message}`));
  return logged;
}
