// The three browser engines the tests drive, behind one small page driver:
// - Chromium through Playwright (the full suite; Playwright's own page stays at hand for its clock),
// - Firefox ESR through WebDriver BiDi with puppeteer-core (Playwright cannot drive a stock Firefox),
// - WebKitGTK through classic WebDriver: WebKitWebDriver drives its MiniBrowser on a virtual X
//   display (Xvfb). It speaks no BiDi yet, and a dozen HTTP calls are all the tests need, so the
//   client is the few lines below rather than a WebDriver library.
// Every engine comes from Debian's packages (see .ci/run); a missing one fails with what to install.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Page as PlaywrightPage } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { FLAGS, watchConsole } from './chromium.mjs';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** What a test does with a page, the same in every engine. */
export interface PageDriver {
  goto(url: string): Promise<void>;
  /**
   * Runs `code` in the page: an expression gives its value, statements give nothing, a function
   * is called with `arg` (it must not close over test variables). A promise is awaited.
   */
  evaluate<R = any, A = undefined>(code: string | ((arg: A) => R | Promise<R>), arg?: A): Promise<R>;
  /** Polls `code` (an expression or a function) in the page until it is truthy, up to `timeout` ms. */
  waitForFunction(code: string | (() => unknown), timeout?: number): Promise<void>;
  /** A viewer's click on the element `selector` finds: a trusted event, with user activation. */
  click(selector: string): Promise<void>;
  /** The browser's back button. */
  back(): Promise<void>;
}

/** One page (a tab of its own in each engine), with what it logged as errors or warnings. */
export interface EnginePage {
  driver: PageDriver;
  console: string[];
  /** Brings what the page logged so far into `console` (WebKit's log is read from the page). */
  syncConsole(): Promise<void>;
  /** Closes the tab as a viewer does: `pagehide` (and `beforeunload`) run. */
  closeTab(): Promise<void>;
  /** Closes whatever is left of the page; safe after `closeTab`. */
  dispose(): Promise<void>;
  /** Playwright's page, for what only Playwright does (its page clock): Chromium only. */
  playwright?: PlaywrightPage;
}

export interface Engine {
  name: EngineName;
  /** The engine as test names say it. */
  label: string;
  /** The browser's own version string. */
  version: string;
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

/** The engine a test project drives: `BROWSER_ENGINE` (see vitest.config.mjs), Chromium by default. */
export const ENGINE_NAME = (process.env.BROWSER_ENGINE ?? 'chromium') as EngineName;

export const ENGINE_LABELS: Record<EngineName, string> = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

/** Starts the engine a test project drives. */
export function launchEngine(name: EngineName = ENGINE_NAME): Promise<Engine> {
  if (name === 'firefox') return launchFirefox();
  if (name === 'webkit') return launchWebKit();
  if (name === 'chromium') return launchChromium();
  throw new Error(`BROWSER_ENGINE must be chromium, firefox or webkit, got ${name}`);
}

/** The first of `paths` that exists, else an error saying how to install it: tests never skip. */
function find(paths: Array<string | undefined>, missing: string): string {
  const found = paths.find((path) => path && existsSync(path));
  if (!found) throw new Error(missing);
  return found;
}

/** The Chromium to drive: `CHROME_PATH`, else Debian's. */
export function chromiumPath(): string {
  return find(
    [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
    'The browser tests need Chromium: install it with `apt-get install -y chromium` (Debian), or set CHROME_PATH to a Chrome or Chromium binary.'
  );
}

/** Polls `check` every 50 ms until it gives a truthy value, or fails saying `what` at the deadline. */
async function poll<T>(check: () => Promise<T>, what: string, timeout: number): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const waitIn =
  (driver: Pick<PageDriver, 'evaluate'>) =>
  async (code: string | (() => unknown), timeout = 20000) => {
    await poll(() => driver.evaluate(code as string).then(Boolean), String(code), timeout);
  };

async function launchChromium(): Promise<Engine> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: FLAGS, headless: true });
  return {
    name: 'chromium',
    label: 'Chromium',
    version: browser.version(),
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      const driver: PageDriver = {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (code, arg) => page.evaluate(code as any, arg),
        waitForFunction: (code, timeout = 20000) => page.waitForFunction(code, undefined, { timeout }).then(() => undefined),
        click: (selector) => page.click(selector),
        back: async () => void (await page.goBack())
      };
      return {
        driver,
        console: watchConsole(page),
        syncConsole: async () => undefined,
        closeTab: () => page.close({ runBeforeUnload: true }),
        dispose: () => context.close(),
        playwright: page
      };
    },
    close: () => browser.close()
  };
}

async function launchFirefox(): Promise<Engine> {
  const executablePath = find(
    [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'],
    'The Firefox tests need Firefox: install it with `apt-get install -y firefox-esr` (Debian), or set FIREFOX_PATH to a Firefox binary.'
  );
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // Media may play without a gesture, as Chromium's --autoplay-policy=no-user-gesture-required.
    extraPrefsFirefox: { 'media.autoplay.default': 0 }
  });
  return {
    name: 'firefox',
    label: 'Firefox',
    version: await browser.version(),
    async newPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const console: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warn') console.push(message.text());
      });
      page.on('pageerror', (error) => console.push(`pageerror: ${(error as Error).message}`));
      const driver: PageDriver = {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (code, arg) => page.evaluate(code as any, arg),
        waitForFunction: waitIn({ evaluate: (code, arg) => page.evaluate(code as any, arg) }),
        click: (selector) => page.click(selector),
        back: async () => void (await page.goBack())
      };
      return {
        driver,
        console,
        syncConsole: async () => undefined,
        closeTab: async () => {
          if (!page.isClosed()) await page.close({ runBeforeUnload: true });
        },
        dispose: () => context.close(),
        playwright: undefined
      };
    },
    close: () => browser.close()
  };
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Ends a process group we started (the driver and the browser it spawned), if it still runs. */
function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

/**
 * The page hook that keeps what a WebKit page logs as errors or warnings (classic WebDriver has
 * no log): console.error/warn, uncaught errors and unhandled rejections, read by `syncConsole`.
 */
const WEBKIT_LOG_HOOK = `if (!window.__engineLog) {
  const log = (window.__engineLog = []);
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = function (...args) {
      log.push(args.map((a) => (typeof a === 'object' && a !== null ? Object.prototype.toString.call(a) : String(a))).join(' '));
      return original.apply(this, args);
    };
  }
  window.addEventListener('error', (e) => log.push('pageerror: ' + e.message));
  window.addEventListener('unhandledrejection', (e) => log.push('pageerror: ' + (e.reason && e.reason.message)));
}`;

/** Whether `code` is one expression (its value is returned) rather than statements. */
function isExpression(code: string): boolean {
  try {
    new Function(`return (${code}\n);`);
    return true;
  } catch {
    return false;
  }
}

async function launchWebKit(): Promise<Engine> {
  const install =
    'apt-get install -y webkit2gtk-driver xvfb gstreamer1.0-libav gstreamer1.0-plugins-good gstreamer1.0-plugins-bad (Debian)';
  const webdriver = find(['/usr/bin/WebKitWebDriver'], `The WebKit tests need WebKitWebDriver and its MiniBrowser: ${install}.`);
  const xvfbPath = find(['/usr/bin/Xvfb'], `The WebKit tests need a virtual X display: ${install}.`);
  const lib = [
    '/usr/lib',
    ...readdirSync('/usr/lib', { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `/usr/lib/${d.name}`)
  ];
  const miniBrowser = find(
    lib.flatMap((dir) => ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0'].map((v) => `${dir}/${v}/MiniBrowser`)),
    `The WebKit tests need WebKitGTK's MiniBrowser: ${install}.`
  );

  // Xvfb picks a free display itself and writes its number to fd 3.
  const xvfb = spawn(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    detached: true
  });
  const children = [xvfb];
  const shutdown = () => children.forEach(stop);
  try {
    const display = await new Promise<string>((resolve, reject) => {
      let text = '';
      xvfb.stdio[3]!.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) resolve(text.trim());
      });
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before it opened a display`)));
    });
    const port = await freePort();
    const driverProcess = spawn(webdriver, [`--port=${port}`], {
      env: { ...process.env, DISPLAY: `:${display}` },
      stdio: 'ignore',
      detached: true
    });
    children.push(driverProcess);
    const base = `http://127.0.0.1:${port}`;

    /** One WebDriver command; fails with the driver's error. */
    const command = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> => {
      const response = await fetch(base + path, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
      const answer = (await response.json()) as { value: any };
      if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${answer.value?.error}: ${answer.value?.message}`);
      return answer.value;
    };
    await poll(
      () =>
        command('GET', '/status').then(
          (status) => status.ready,
          () => false
        ),
      'WebKitWebDriver to listen',
      10000
    );
    const created = await command('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation', '--autoplay-policy=allow'] }
        }
      }
    });
    const session = `/session/${created.sessionId}`;
    // The first window stays open and empty: closing a session's last window ends the session.
    const home: string = await command('GET', `${session}/window`);
    let current = home;
    const focus = async (handle: string) => {
      if (current !== handle) await command('POST', `${session}/window`, { handle });
      current = handle;
    };

    return {
      name: 'webkit',
      label: 'WebKit',
      version: `WebKitGTK ${created.capabilities.browserVersion}`,
      async newPage() {
        const { handle } = await command('POST', `${session}/window/new`, { type: 'window' });
        let open = true;
        const console: string[] = [];
        const execute = async (script: string, args: unknown[] = []) => {
          await focus(handle);
          return command('POST', `${session}/execute/sync`, { script, args });
        };
        const syncConsole = async () => {
          if (!open) return;
          console.push(...(await execute('const log = window.__engineLog || []; return log.splice(0, log.length);')));
        };
        const driver: PageDriver = {
          async goto(url) {
            await syncConsole();
            await focus(handle);
            await command('POST', `${session}/url`, { url });
            await execute(WEBKIT_LOG_HOOK);
          },
          evaluate(code, arg) {
            if (typeof code === 'function') return execute(`return (${code.toString()})(arguments[0]);`, [arg ?? null]);
            return execute(isExpression(code) ? `return (${code}\n);` : code);
          },
          waitForFunction: waitIn({ evaluate: (code, arg) => driver.evaluate(code as any, arg) }),
          async click(selector) {
            await focus(handle);
            const element = await command('POST', `${session}/element`, { using: 'css selector', value: selector });
            await command('POST', `${session}/element/${Object.values(element)[0]}/click`, {});
          },
          async back() {
            await syncConsole();
            await focus(handle);
            await command('POST', `${session}/back`, {});
            await execute(WEBKIT_LOG_HOOK);
          }
        };
        const closeTab = async () => {
          if (!open) return;
          await syncConsole();
          open = false;
          await focus(handle);
          await command('DELETE', `${session}/window`);
          current = '';
          await focus(home);
        };
        return { driver, console, syncConsole, closeTab, dispose: closeTab, playwright: undefined };
      },
      async close() {
        await command('DELETE', session).catch(() => undefined);
        shutdown();
      }
    };
  } catch (error) {
    shutdown();
    throw error;
  }
}
